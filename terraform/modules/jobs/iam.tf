# Least privilege, per job. Project-level only what has no narrower scope:
#   monitoring.metricWriter  timeSeries.create has no resource below the project
#   monitoring.viewer        the exporter reads the SLIs' series (timeSeries.list, project only)
#   bigquery.jobUser         running a query job is a project permission; data access stays table-level
# Everything else on the exact table, secret or job.

locals {
  project_roles = {
    reconciler = ["roles/monitoring.metricWriter", "roles/bigquery.jobUser"]
    exporter   = ["roles/monitoring.metricWriter", "roles/monitoring.viewer", "roles/bigquery.jobUser"]
  }

  reconcile_read_tables = toset([
    var.bigquery.events_table_id,
    var.bigquery.ingestion_deadletter_table,
    var.bigquery.analytics_deadletter_table,
  ])
}

resource "google_project_iam_member" "job" {
  for_each = {
    for pair in flatten([for job, roles in local.project_roles : [for role in roles : { job = job, role = role }]]) :
    "${pair.job}/${pair.role}" => pair
  }

  project = var.project_id
  role    = each.value.role
  member  = google_service_account.job[each.value.job].member
}

resource "google_bigquery_table_iam_member" "reconcile_reader" {
  for_each = local.reconcile_read_tables

  project    = var.project_id
  dataset_id = var.bigquery.dataset_id
  table_id   = each.value
  role       = "roles/bigquery.dataViewer"
  member     = google_service_account.job["reconciler"].member
}

# The exporter reads the events table's published_at / processed_at (the latency SLI), that table only.
resource "google_bigquery_table_iam_member" "export_reader" {
  project    = var.project_id
  dataset_id = var.bigquery.dataset_id
  table_id   = var.bigquery.events_table_id
  role       = "roles/bigquery.dataViewer"
  member     = google_service_account.job["exporter"].member
}

# The state table: read the watermark, INSERT one row per window.
resource "google_bigquery_table_iam_member" "reconcile_state" {
  project    = var.project_id
  dataset_id = google_bigquery_table.state.dataset_id
  table_id   = google_bigquery_table.state.table_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.job["reconciler"].member
}

# The MongoDB URI, this secret only; read by Cloud Run when a job starts, never at plan time.
resource "google_secret_manager_secret_iam_member" "mongodb_uri" {
  for_each = google_service_account.job

  project   = var.project_id
  secret_id = var.mongodb_uri_secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value.member
}

# Cloud Scheduler starts each job with that job's identity, which may run that one job (run.jobs.run) only.
resource "google_cloud_run_v2_job_iam_member" "scheduler" {
  for_each = { for k, j in google_cloud_run_v2_job.job : k => j if contains(keys(local.scheduled_jobs), k) }

  project  = var.project_id
  location = each.value.location
  name     = each.value.name
  role     = "roles/run.invoker"
  member   = google_service_account.job[each.key].member
}

# Creating a Cloud Run job that runs as a service account, and a Cloud Scheduler job whose OAuth token is
# minted for one, both need iam.serviceAccounts.actAs on that account (Cloud Run documentation "Introduction
# to service identity": the deployer needs roles/iam.serviceAccountUser on the service identity; Cloud
# Scheduler documentation "Use authentication with HTTP targets": the job creator needs actAs on the
# token's service account). Granted on the two job accounts only, not project-wide.
resource "google_service_account_iam_member" "deployer_act_as" {
  for_each = var.deployer_member == null ? {} : google_service_account.job

  service_account_id = each.value.name
  role               = "roles/iam.serviceAccountUser"
  member             = var.deployer_member
}
