output "raw_dataset_id" {
  description = "Dataset ID of the raw dataset (events and dead-letter tables)."
  value       = google_bigquery_dataset.raw.dataset_id
}

output "analytics_dataset_id" {
  description = "Dataset ID of the analytics dataset (aggregate tables)."
  value       = google_bigquery_dataset.analytics.dataset_id
}

output "events_table_id" {
  description = "Resource ID of the raw events table (projects/P/datasets/D/tables/events)."
  value       = google_bigquery_table.events.id
}

output "events_table_spec" {
  description = "The events table as `PROJECT:DATASET.TABLE`, the form Dataflow templates expect for outputTableSpec."
  value       = "${var.project_id}:${google_bigquery_dataset.raw.dataset_id}.${google_bigquery_table.events.table_id}"
}

output "dead_letter_table_specs" {
  description = "Dead-letter tables as `PROJECT:DATASET.TABLE`, keyed by pipeline (`ingestion`, `analytics`)."
  value       = { for k, t in google_bigquery_table.dead_letter : k => "${var.project_id}:${t.dataset_id}.${t.table_id}" }
}

output "dead_letter_table_ids" {
  description = "Dead-letter table short IDs (dataset, table), keyed by pipeline, for table-level IAM."
  value       = { for k, t in google_bigquery_table.dead_letter : k => { dataset_id = t.dataset_id, table_id = t.table_id } }
}

output "aggregate_tables" {
  description = "Fully qualified names of the aggregate tables (`project.dataset.table`), keyed by aggregate name."
  value       = { for name, t in google_bigquery_table.aggregate : name => "${var.project_id}.${t.dataset_id}.${t.table_id}" }
}

output "scheduled_query_names" {
  description = "Resource names of the scheduled queries, keyed by aggregate name."
  value       = { for k, c in google_bigquery_data_transfer_config.aggregate : k => c.name }
}

output "aggregates_service_account_email" {
  description = "Service account the scheduled queries run as."
  value       = google_service_account.aggregates.email
}

output "aggregate_scripts" {
  description = "The BigQuery script each scheduled query runs, keyed by aggregate name (for review in plans and for tests)."
  value       = local.aggregate_scripts
}
