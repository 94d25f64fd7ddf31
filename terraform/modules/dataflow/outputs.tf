output "service_account_emails" {
  description = "Worker service-account emails, keyed by job (`ingestion`, `analytics`)."
  value       = { for k, sa in google_service_account.worker : k => sa.email }
}

output "job_ids" {
  description = "Dataflow job IDs, keyed by job; empty while jobs_enabled is false."
  value       = { for k, j in google_dataflow_flex_template_job.job : k => j.job_id }
}

output "job_names" {
  description = "Dataflow job names, keyed by job (stable across updates; use them in monitoring filters)."
  value       = { for k, _ in local.jobs : k => var.job_names[k] }
}

output "temp_bucket_name" {
  description = "Bucket holding the jobs' staging and temp files."
  value       = google_storage_bucket.temp.name
}
