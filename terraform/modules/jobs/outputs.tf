output "job_names" {
  description = "Cloud Run job names, keyed by `reconciler` and `exporter`."
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
