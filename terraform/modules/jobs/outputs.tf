output "job_names" {
  description = "Cloud Run job names, keyed by `reconciler`, `exporter` and (when enabled) `verify`."
  value       = { for k, j in google_cloud_run_v2_job.job : k => j.name }
}

output "service_account_emails" {
  description = "Service accounts the jobs run as, keyed by `reconciler` and `exporter`."
  value       = { for k, sa in google_service_account.job : k => sa.email }
}

output "scheduler_job_names" {
  description = "Cloud Scheduler job names, keyed by `reconciler` and `exporter`."
  value       = { for k, s in google_cloud_scheduler_job.job : k => s.name }
}

output "state_table_id" {
  description = "Resource ID of the reconciliation state table (one row per reconciled window)."
  value       = google_bigquery_table.state.id
}

output "verify" {
  description = "The integration test's verify job: `job` (Cloud Run job resource name, `projects/P/locations/L/jobs/J`), `job_name`, `results_bucket` and `service_account_email`; null when disabled."
  value = local.verify_enabled ? {
    job                   = google_cloud_run_v2_job.job["verify"].id
    job_name              = google_cloud_run_v2_job.job["verify"].name
    results_bucket        = google_storage_bucket.verify_results[0].name
    service_account_email = google_service_account.verify[0].email
  } : null
}
