output "events_topic_id" {
  description = "Pub/Sub topic shop events are published to."
  value       = module.pubsub.topic_id
}

output "subscription_ids" {
  description = "Consumer subscriptions, keyed by consumer."
  value       = module.pubsub.subscription_ids
}

output "dead_letter_subscriptions" {
  description = "Inspection subscriptions on the dead-letter topics, keyed by consumer."
  value       = module.pubsub.dead_letter_subscription_names
}

output "bigquery_events_table" {
  description = "Raw events table as PROJECT:DATASET.TABLE."
  value       = module.bigquery.events_table_spec
}

output "bigquery_aggregate_tables" {
  description = "Aggregate tables, keyed by aggregate name."
  value       = module.bigquery.aggregate_tables
}

output "mongodb_uri_secret_id" {
  description = "Secret Manager secret holding the MongoDB connection URI."
  value       = module.mongodb.uri_secret_id
}

output "mongodb_private_srv" {
  description = "MongoDB SRV connection string through Private Service Connect (no credentials)."
  value       = module.mongodb.private_srv_connection_string
}

output "dataflow_job_ids" {
  description = "Dataflow job IDs, keyed by job."
  value       = module.dataflow.job_ids
}

output "dataflow_service_accounts" {
  description = "Dataflow worker service accounts, keyed by job."
  value       = module.dataflow.service_account_emails
}

output "monitoring_dashboard_id" {
  description = "Cloud Monitoring dashboard of the pipeline."
  value       = module.monitoring.dashboard_id
}

output "platform_names" {
  description = "Every resource name of this environment as derived by packages/platform (for workflows and actions that prefer Terraform outputs to the declaration)."
  value       = local.names
}
