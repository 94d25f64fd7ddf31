output "topic_id" {
  description = "Full resource ID of the events topic (projects/P/topics/T)."
  value       = google_pubsub_topic.events.id
}

output "topic_name" {
  description = "Short name of the events topic."
  value       = google_pubsub_topic.events.name
}

output "schema_id" {
  description = "Full resource ID of the registered Avro schema."
  value       = google_pubsub_schema.events.id
}

output "subscription_ids" {
  description = "Full resource IDs of the consumer subscriptions, keyed by short name (the form Dataflow's inputSubscription expects)."
  value       = { for k, s in google_pubsub_subscription.events : k => s.id }
}

output "subscription_names" {
  description = "Short names of the consumer subscriptions, keyed by short name (for IAM and monitoring filters)."
  value       = { for k, s in google_pubsub_subscription.events : k => s.name }
}

output "dead_letter_topic_ids" {
  description = "Full resource IDs of the dead-letter topics, keyed by the source subscription's short name."
  value       = { for k, t in google_pubsub_topic.dead_letter : k => t.id }
}

output "dead_letter_subscription_names" {
  description = "Short names of the inspection subscriptions on the dead-letter topics, keyed by the source subscription's short name."
  value       = { for k, s in google_pubsub_subscription.dead_letter_inspection : k => s.name }
}
