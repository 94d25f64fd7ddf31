# MongoDB Atlas on Google Cloud: project, cluster, database user, Private Service Connect.
# No IP access list entry is created: the cluster is reachable only through the PSC endpoint.

resource "mongodbatlas_project" "this" {
  name                         = var.atlas_project_name
  org_id                       = var.atlas_org_id
  with_default_alerts_settings = true
  tags                         = var.labels
}

resource "mongodbatlas_advanced_cluster" "this" {
  project_id                     = mongodbatlas_project.this.id
  name                           = var.cluster_name
  cluster_type                   = "REPLICASET"
  mongo_db_major_version         = var.mongodb_major_version
  backup_enabled                 = var.backup_enabled
  pit_enabled                    = var.backup_enabled
  termination_protection_enabled = var.termination_protection_enabled
  tags                           = var.labels

  replication_specs = [
    {
      region_configs = [
        {
          provider_name = "GCP"
          region_name   = var.atlas_region_name
          priority      = 7
          electable_specs = {
            instance_size = var.instance_size
            node_count    = var.node_count
          }
        }
      ]
    }
  ]

  advanced_configuration = {
    minimum_enabled_tls_protocol = "TLS1_2"
    javascript_enabled           = false
  }
}

# ---- Private Service Connect (port-mapped architecture: one endpoint instead of 50) ----

resource "mongodbatlas_privatelink_endpoint" "this" {
  project_id           = mongodbatlas_project.this.id
  provider_name        = "GCP"
  region               = var.region
  port_mapping_enabled = true
}

resource "google_compute_address" "psc" {
  project      = var.project_id
  name         = var.psc_endpoint_name
  region       = var.region
  subnetwork   = var.subnetwork_self_link
  address_type = "INTERNAL"
  address      = var.psc_endpoint_address
  labels       = var.labels

  depends_on = [mongodbatlas_privatelink_endpoint.this]
}

resource "google_compute_forwarding_rule" "psc" {
  project               = var.project_id
  name                  = var.psc_endpoint_name
  region                = var.region
  network               = var.network_self_link
  ip_address            = google_compute_address.psc.id
  target                = mongodbatlas_privatelink_endpoint.this.service_attachment_names[0]
  load_balancing_scheme = ""
  labels                = var.labels
}

resource "mongodbatlas_privatelink_endpoint_service" "this" {
  project_id          = mongodbatlas_privatelink_endpoint.this.project_id
  private_link_id     = mongodbatlas_privatelink_endpoint.this.private_link_id
  provider_name       = "GCP"
  endpoint_service_id = google_compute_forwarding_rule.psc.name
  gcp_project_id      = var.project_id

  endpoints {
    ip_address    = google_compute_address.psc.address
    endpoint_name = google_compute_forwarding_rule.psc.name
  }
}

# Connection strings for private endpoints appear on the cluster only once the endpoint service is up.
data "mongodbatlas_advanced_cluster" "this" {
  project_id = mongodbatlas_privatelink_endpoint_service.this.project_id
  name       = mongodbatlas_advanced_cluster.this.name

  depends_on = [mongodbatlas_privatelink_endpoint_service.this]
}

locals {
  private_srv = try([
    for pe in data.mongodbatlas_advanced_cluster.this.connection_strings.private_endpoint : pe.srv_connection_string
    if contains([for e in pe.endpoints : e.endpoint_id], mongodbatlas_privatelink_endpoint_service.this.endpoint_service_id)
  ][0], null)

  # mongodb+srv://user:password@host/db?options
  connection_uri = local.private_srv == null ? null : format(
    "%s://%s:%s@%s/%s?retryWrites=true&w=majority&authSource=admin",
    split("://", local.private_srv)[0],
    urlencode(mongodbatlas_database_user.ingestion.username),
    urlencode(random_password.database_user.result),
    split("://", local.private_srv)[1],
    var.database_name,
  )
}

# ---- Database user: password generated here, stored in Secret Manager ----

resource "random_password" "database_user" {
  length  = 40
  special = false
}

resource "mongodbatlas_database_user" "ingestion" {
  project_id         = mongodbatlas_project.this.id
  username           = var.database_username
  password           = random_password.database_user.result
  auth_database_name = "admin"

  roles {
    role_name     = "readWrite"
    database_name = var.database_name
  }

  scopes {
    name = mongodbatlas_advanced_cluster.this.name
    type = "CLUSTER"
  }
}

resource "google_secret_manager_secret" "password" {
  project   = var.project_id
  secret_id = var.secret_ids.password
  labels    = var.labels

  replication {
    user_managed {
      replicas {
        location = var.region
        dynamic "customer_managed_encryption" {
          for_each = var.secret_kms_key_name == null ? [] : [var.secret_kms_key_name]
          content {
            kms_key_name = customer_managed_encryption.value
          }
        }
      }
    }
  }
}

resource "google_secret_manager_secret_version" "password" {
  secret      = google_secret_manager_secret.password.id
  secret_data = random_password.database_user.result
}

resource "google_secret_manager_secret" "uri" {
  project   = var.project_id
  secret_id = var.secret_ids.uri
  labels    = var.labels

  replication {
    user_managed {
      replicas {
        location = var.region
        dynamic "customer_managed_encryption" {
          for_each = var.secret_kms_key_name == null ? [] : [var.secret_kms_key_name]
          content {
            kms_key_name = customer_managed_encryption.value
          }
        }
      }
    }
  }
}

resource "google_secret_manager_secret_version" "uri" {
  secret      = google_secret_manager_secret.uri.id
  secret_data = local.connection_uri

  lifecycle {
    precondition {
      condition     = local.connection_uri != null
      error_message = "The cluster has no private-endpoint connection string for this PSC endpoint yet; re-run apply once the endpoint service is AVAILABLE."
    }
  }
}
