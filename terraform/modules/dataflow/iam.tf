# Least privilege for the two worker service accounts: project-level only what Dataflow itself needs,
# everything else on the exact subscription, table or bucket.

locals {
  worker_project_roles = ["roles/dataflow.worker", "roles/logging.logWriter", "roles/monitoring.metricWriter"]

  subscriptions = {
    ingestion = var.ingestion.input_subscription_id
    analytics = var.analytics.input_subscription_id
  }

  deadletter_datasets = {
    ingestion = var.ingestion.deadletter_dataset_id
    analytics = var.analytics.deadletter_dataset_id
  }

  analytics_tables = {
    events     = var.analytics.output_table_id
    deadletter = var.analytics.deadletter_table_id
  }
}

resource "google_project_iam_member" "worker" {
  for_each = {
    for pair in setproduct(keys(local.jobs), local.worker_project_roles) : "${pair[0]}/${pair[1]}" => { job = pair[0], role = pair[1] }
  }

  project = var.project_id
  role    = each.value.role
  member  = google_service_account.worker[each.value.job].member
}

# subscriber = consume/ack; viewer = subscriptions.get, which the Dataflow Pub/Sub source calls at start.
resource "google_pubsub_subscription_iam_member" "worker" {
  for_each = {
    for pair in setproduct(keys(local.subscriptions), ["roles/pubsub.subscriber", "roles/pubsub.viewer"]) : "${pair[0]}/${pair[1]}" => { job = pair[0], role = pair[1] }
  }

  subscription = local.subscriptions[each.value.job]
  role         = each.value.role
  member       = google_service_account.worker[each.value.job].member
}

resource "google_storage_bucket_iam_member" "temp" {
  for_each = google_service_account.worker

  bucket = google_storage_bucket.temp.name
  role   = "roles/storage.objectAdmin"
  member = each.value.member
}

resource "google_storage_bucket_iam_member" "udf_reader" {
  for_each = google_service_account.worker

  bucket = var.udf_bucket_name
  role   = "roles/storage.objectViewer"
  member = each.value.member
}

# Launch: the templates' dead-letter writers (ErrorConverters.Write*MessageErrors in DataflowTemplates
# v2/common) build BigQueryIO.writeTableRows() with CREATE_IF_NEEDED and without withoutValidation(), so
# Beam's BigQueryIO.Write#validate calls datasets.get on the dead-letter dataset while the launcher VM
# constructs the pipeline, as the job's service account. Table-level grants cannot give
# bigquery.datasets.get; roles/bigquery.metadataViewer on that one dataset is the smallest predefined role
# that does (metadata only: no row data, no writes). Source: see terraform/test/permissions.json.
resource "google_bigquery_dataset_iam_member" "deadletter_dataset_metadata" {
  for_each = local.deadletter_datasets

  project    = var.project_id
  dataset_id = each.value
  role       = "roles/bigquery.metadataViewer"
  member     = google_service_account.worker[each.key].member
}

resource "google_bigquery_table_iam_member" "ingestion_deadletter" {
  project    = var.project_id
  dataset_id = var.ingestion.deadletter_dataset_id
  table_id   = var.ingestion.deadletter_table_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.worker["ingestion"].member
}

resource "google_bigquery_table_iam_member" "analytics_tables" {
  for_each = local.analytics_tables

  project    = var.project_id
  dataset_id = var.analytics.output_dataset_id
  table_id   = each.value
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.worker["analytics"].member
}

# Launching a job that runs as a worker account needs iam.serviceAccounts.actAs on that account: granted on
# the two worker accounts only, instead of roles/iam.serviceAccountUser on the whole project.
resource "google_service_account_iam_member" "deployer_act_as" {
  for_each = var.deployer_member == null ? {} : google_service_account.worker

  service_account_id = each.value.name
  role               = "roles/iam.serviceAccountUser"
  member             = var.deployer_member
}
