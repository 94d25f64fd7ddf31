output "atlas_project_id" {
  description = "ID of the Atlas project."
  value       = mongodbatlas_project.this.id
}

output "cluster_name" {
  description = "Name of the Atlas cluster."
  value       = mongodbatlas_advanced_cluster.this.name
}

output "database_name" {
  description = "Database the ingestion user may write."
  value       = var.database_name
}

output "private_srv_connection_string" {
  description = "SRV connection string through the Private Service Connect endpoint (no credentials)."
  value       = local.private_srv
}

output "uri_secret_id" {
  description = "Secret Manager secret holding the full connection URI (with credentials)."
  value       = google_secret_manager_secret.this["uri"].id
}

output "jobs_uri_secret_id" {
  description = "Secret Manager secret holding the read-only jobs user's URI (read, clusterMonitor), for modules/jobs; the jobs read it at start, nothing reads it at plan time."
  value       = google_secret_manager_secret.this["jobs_uri"].id
}

output "connection_uri" {
  description = "Full connection URI with credentials, through the Private Service Connect endpoint (sensitive; for the dataflow module's mongodb_uri, so that no plan has to read the secret back)."
  value       = local.connection_uri
  sensitive   = true
}

output "uri_secret_version" {
  description = "Secret Manager secret version of the current connection URI (`projects/P/secrets/S/versions/N`), for consumers that read the URI at run time (never at plan time)."
  value       = google_secret_manager_secret_version.this["uri"].name
}

output "password_secret_id" {
  description = "Secret Manager secret holding the database user's password."
  value       = google_secret_manager_secret.this["password"].id
}

output "psc_endpoint_ip" {
  description = "Internal IP address of the Private Service Connect endpoint."
  value       = google_compute_address.psc.address
}
