# The post-deploy integration test's store checks (apps/reconciler `verify`), as a Cloud Run job in the VPC:
# MongoDB Atlas is reachable only through Private Service Connect, never from a hosted runner. No schedule:
# actions/integration-test (mode: production) starts one execution per test run with the run's expectations
# as overrides (Run Admin API v2 `jobs.run`, RunJobRequest.overrides.containerOverrides[].env), waits for it
# and reads the JSON result the job writes to the results bucket.
#
# Its identity only reads the stores and creates result objects:
#   bigquery.jobs.create            project (roles/bigquery.jobUser; a query job has no narrower scope)
#   bigquery.tables.getData         events, both dead-letter tables, the aggregate tables (roles/bigquery.dataViewer)
#   secretmanager.versions.access   the read-only jobs user's MongoDB URI secret
#   storage.objects.create          the results bucket only (roles/storage.objectCreator: no read, no overwrite)
# The caller (the deploy identity) needs run.jobs.runWithOverrides on the job and run.operations.get (Cloud
# Run Admin API reference, projects.locations.jobs.run / operations.get), storage.objects.get on the bucket.

locals {
  verify_enabled = var.verify.enabled
  # Until the platform declaration names it: the reconciler's account prefix plus "-itest" (never longer).
  verify_account_id  = "${trimsuffix(var.names.service_accounts.reconciler, "-reconciler")}-itest"
  verify_job_name    = coalesce(var.verify.job_name, "${var.name_prefix}-itest-verify")
  verify_bucket_name = coalesce(var.verify.results_bucket_name, "${var.project_id}-itest-results")
  analytics_dataset  = coalesce(var.bigquery.analytics_dataset_id, var.bigquery.dataset_id)

  # The verify job's entry in local.jobs (main.tf declares every Cloud Run job once).
  verify_job = {
    name    = local.verify_job_name
    command = "verify"
    # The default task timeout; the action overrides it per execution (RunJobRequest.overrides.timeout).
    timeout = "${var.verify.timeout_seconds}s"
    env = merge(local.common_env, {
      MONGODB_DATABASE           = var.mongodb.database
      MONGODB_COLLECTION         = var.mongodb.collection
      BIGQUERY_DATASET           = var.bigquery.dataset_id
      BIGQUERY_LOCATION          = var.bigquery.location
      AGGREGATES_DATASET         = local.analytics_dataset
      EVENTS_TABLE               = var.bigquery.events_table_id
      INGESTION_DEADLETTER_TABLE = var.bigquery.ingestion_deadletter_table
      ANALYTICS_DEADLETTER_TABLE = var.bigquery.analytics_deadletter_table
      VERIFY_RESULTS_BUCKET      = local.verify_bucket_name
    })
  }

  verify_read_tables = local.verify_enabled ? merge(
    { for t in local.reconcile_read_tables : "raw/${t}" => { dataset_id = var.bigquery.dataset_id, table_id = t } },
    { for t in var.bigquery.aggregate_table_ids : "analytics/${t}" => { dataset_id = local.analytics_dataset, table_id = t } },
  ) : {}
}

resource "google_service_account" "verify" {
  count = local.verify_enabled ? 1 : 0

  project      = var.project_id
  account_id   = local.verify_account_id
  display_name = "shopstream integration-test verify job (${var.name_prefix})"
  description  = "Runs the verify Cloud Run job of ${var.name_prefix}: reads the stores, writes result objects; see terraform/modules/jobs/README.md."
}

resource "google_storage_bucket" "verify_results" {
  #checkov:skip=CKV_GCP_62:Access logs of a bucket holding only small test results, each read once by the promotion, add cost without audit value; Data Access audit logs cover reads if required.
  #checkov:skip=CKV_GCP_78:Versioning is pointless: results are never overwritten (ifGenerationMatch=0, objectCreator only) and a lifecycle rule deletes them.
  count = local.verify_enabled ? 1 : 0

  project                     = var.project_id
  name                        = local.verify_bucket_name
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  # Results are small and only read right after the run; kept a week for investigation.
  force_destroy = true
  labels        = var.labels

  lifecycle_rule {
    condition {
      age = var.verify.results_retention_days
    }
    action {
      type = "Delete"
    }
  }

  dynamic "encryption" {
    for_each = var.kms_key_name == null ? [] : [var.kms_key_name]
    content {
      default_kms_key_name = encryption.value
    }
  }
}

resource "google_storage_bucket_iam_member" "verify_writer" {
  count = local.verify_enabled ? 1 : 0

  bucket = google_storage_bucket.verify_results[0].name
  role   = "roles/storage.objectCreator"
  member = google_service_account.verify[0].member
}

# The deploy identity reads the results (the bootstrap's roles/storage.admin covers it; granted here on the
# bucket too so that a fork with a narrower deploy identity keeps working).
resource "google_storage_bucket_iam_member" "verify_reader" {
  count = local.verify_enabled && var.deployer_member != null ? 1 : 0

  bucket = google_storage_bucket.verify_results[0].name
  role   = "roles/storage.objectViewer"
  member = var.deployer_member
}

resource "google_project_iam_member" "verify_query" {
  count = local.verify_enabled ? 1 : 0

  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = google_service_account.verify[0].member
}

resource "google_bigquery_table_iam_member" "verify_reader" {
  for_each = local.verify_read_tables

  project    = var.project_id
  dataset_id = each.value.dataset_id
  table_id   = each.value.table_id
  role       = "roles/bigquery.dataViewer"
  member     = google_service_account.verify[0].member
}

resource "google_secret_manager_secret_iam_member" "verify_mongodb_uri" {
  count = local.verify_enabled ? 1 : 0

  project   = var.project_id
  secret_id = var.mongodb_uri_secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.verify[0].member
}

resource "google_service_account_iam_member" "deployer_act_as_verify" {
  count = local.verify_enabled && var.deployer_member != null ? 1 : 0

  service_account_id = google_service_account.verify[0].name
  role               = "roles/iam.serviceAccountUser"
  member             = var.deployer_member
}
