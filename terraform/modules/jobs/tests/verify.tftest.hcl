# Plan-time checks of the verify job with a mocked google provider (no credentials, real provider schema):
# run `bash tools/terraform/test-modules.sh`.
mock_provider "google" {
  # Computed attributes the provider validates downstream need realistic mock values.
  mock_resource "google_service_account" {
    defaults = {
      email  = "mock-account@shop-test-123.iam.gserviceaccount.com"
      member = "serviceAccount:mock-account@shop-test-123.iam.gserviceaccount.com"
      name   = "projects/shop-test-123/serviceAccounts/mock-account@shop-test-123.iam.gserviceaccount.com"
    }
  }
}

variables {
  project_id  = "shop-test-123"
  region      = "europe-west1"
  name_prefix = "shopstream-dev"
  image       = "europe-west1-docker.pkg.dev/p/r/reconciler@sha256:0000000000000000000000000000000000000000000000000000000000000000"
  names = {
    jobs             = { reconciler = "shopstream-dev-reconciler", exporter = "shopstream-dev-exporter" }
    schedulers       = { reconciler = "shopstream-dev-reconciler", exporter = "shopstream-dev-exporter" }
    service_accounts = { reconciler = "shopstream-d-reconciler", exporter = "shopstream-d-sli-exporter" }
  }
  deployer_member         = "serviceAccount:deploy@shop-test-123.iam.gserviceaccount.com"
  subnetwork_self_link    = "projects/shop-test-123/regions/europe-west1/subnetworks/workers"
  mongodb_uri_secret_id   = "projects/shop-test-123/secrets/jobs-uri"
  state_table_schema_json = "[]"
  mongodb                 = { database = "shopstream", collection = "events" }
  bigquery = {
    dataset_id                 = "shopstream_dev_raw"
    location                   = "EU"
    ingestion_deadletter_table = "ingestion_deadletter"
    analytics_deadletter_table = "events_deadletter"
    analytics_dataset_id       = "shopstream_dev_analytics"
    aggregate_table_ids        = ["orders_by_currency_minute", "product_revenue_minute"]
  }
}

run "verify_job_is_declared_unscheduled_and_read_only" {
  command = plan

  assert {
    condition     = google_cloud_run_v2_job.job["verify"].name == "shopstream-dev-itest-verify"
    error_message = "the verify job keeps the name the action defaults to"
  }
  assert {
    condition     = google_cloud_run_v2_job.job["verify"].template[0].template[0].containers[0].args == tolist(["verify"])
    error_message = "the verify job runs the verify command"
  }
  assert {
    condition     = google_cloud_run_v2_job.job["verify"].template[0].template[0].max_retries == 0
    error_message = "a failed check is not retried"
  }
  assert {
    condition     = !contains(keys(google_cloud_scheduler_job.job), "verify") && !contains(keys(google_cloud_run_v2_job_iam_member.scheduler), "verify")
    error_message = "nothing schedules the verify job"
  }
  assert {
    condition     = google_service_account.verify[0].account_id == "shopstream-d-itest"
    error_message = "the verify account is derived from the reconciler's prefix"
  }
  assert {
    condition     = google_storage_bucket.verify_results[0].name == "shop-test-123-itest-results" && google_storage_bucket.verify_results[0].public_access_prevention == "enforced" && google_storage_bucket.verify_results[0].uniform_bucket_level_access
    error_message = "the results bucket has the action's default name and is private"
  }
  assert {
    condition     = google_storage_bucket_iam_member.verify_writer[0].role == "roles/storage.objectCreator" && google_storage_bucket_iam_member.verify_reader[0].role == "roles/storage.objectViewer"
    error_message = "the job may only create results, the deploy identity only read them"
  }
  assert {
    condition     = toset([for k, m in google_bigquery_table_iam_member.verify_reader : "${m.dataset_id}.${m.table_id}:${m.role}"]) == toset(["shopstream_dev_raw.events:roles/bigquery.dataViewer", "shopstream_dev_raw.ingestion_deadletter:roles/bigquery.dataViewer", "shopstream_dev_raw.events_deadletter:roles/bigquery.dataViewer", "shopstream_dev_analytics.orders_by_currency_minute:roles/bigquery.dataViewer", "shopstream_dev_analytics.product_revenue_minute:roles/bigquery.dataViewer"])
    error_message = "the verify job reads exactly events, both dead-letter tables and the aggregates"
  }
  assert {
    condition     = length(google_cloud_scheduler_job.job) == 2
    error_message = "the two scheduled jobs keep their triggers"
  }
}

run "verify_job_can_be_disabled" {
  command = plan

  variables {
    verify = { enabled = false }
  }

  assert {
    condition     = !contains(keys(google_cloud_run_v2_job.job), "verify") && length(google_storage_bucket.verify_results) == 0 && length(google_service_account.verify) == 0
    error_message = "disabled: no verify job, bucket or account"
  }
}
