# Private network for Dataflow workers (no external IPs) and the MongoDB Atlas PSC endpoint.

resource "google_compute_network" "vpc" {
  project                 = var.project_id
  name                    = local.names.network.vpc
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"

  depends_on = [google_project_service.api]
}

resource "google_compute_subnetwork" "workers" {
  project                  = var.project_id
  name                     = local.names.network.subnetwork
  region                   = local.locations.region
  network                  = google_compute_network.vpc.id
  ip_cidr_range            = var.subnetwork_cidr
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_5_MIN"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

# Dataflow workers exchange shuffle/streaming data on TCP 12345-12346; nothing else is opened.
resource "google_compute_firewall" "dataflow_internal" {
  project     = var.project_id
  name        = local.names.network.dataflow_firewall
  network     = google_compute_network.vpc.id
  direction   = "INGRESS"
  priority    = 1000
  source_tags = ["dataflow"]
  target_tags = ["dataflow"]

  allow {
    protocol = "tcp"
    ports    = ["12345-12346"]
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
