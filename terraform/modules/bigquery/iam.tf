# Dataset-level IAM only (no project-wide data roles), and never public principals.

data "google_project" "this" {
  project_id = var.project_id
}

resource "google_bigquery_dataset_iam_member" "raw_writer" {
  for_each = toset(var.raw_writer_members)

  project    = var.project_id
  dataset_id = google_bigquery_dataset.raw.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = each.value
}

resource "google_bigquery_dataset_iam_member" "raw_reader" {
  for_each = toset(var.raw_reader_members)

  project    = var.project_id
  dataset_id = google_bigquery_dataset.raw.dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = each.value
}

resource "google_bigquery_dataset_iam_member" "analytics_reader" {
  for_each = toset(var.reader_members)

  project    = var.project_id
  dataset_id = google_bigquery_dataset.analytics.dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = each.value
}

# Scheduled-query service account: reads raw, writes analytics, runs jobs.
resource "google_bigquery_dataset_iam_member" "aggregates_raw_reader" {
  project    = var.project_id
  dataset_id = google_bigquery_dataset.raw.dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = google_service_account.aggregates.member
}

resource "google_bigquery_dataset_iam_member" "aggregates_writer" {
  project    = var.project_id
  dataset_id = google_bigquery_dataset.analytics.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.aggregates.member
}

resource "google_project_iam_member" "aggregates_job_user" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = google_service_account.aggregates.member
}

# The Data Transfer Service agent mints tokens for the service account the transfer runs as.
resource "google_service_account_iam_member" "dts_token_creator" {
  service_account_id = google_service_account.aggregates.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-bigquerydatatransfer.iam.gserviceaccount.com"
}

# Whoever creates a transfer config that runs as a service account must be able to act as it.
resource "google_service_account_iam_member" "deployer_act_as" {
  count = var.deployer_member == null ? 0 : 1

  service_account_id = google_service_account.aggregates.name
  role               = "roles/iam.serviceAccountUser"
  member             = var.deployer_member
}
