# Events topic, its Avro schema, the consumer subscriptions and their dead-letter topics.

locals {
  dead_letter_topics = { for k, _ in var.subscriptions : k => var.names.dead_letter_topics[k] }
}

# The schema is registered from the generated contract on every apply, so drift between the contract and
# what is registered shows up in the plan even while enforcement is off.
resource "google_pubsub_schema" "events" {
  project    = var.project_id
  name       = var.names.schema
  type       = "AVRO"
  definition = var.avro_schema_definition
}

resource "google_pubsub_topic" "events" {
  project                    = var.project_id
  name                       = var.names.topic
  labels                     = var.labels
  kms_key_name               = var.kms_key_name
  message_retention_duration = var.topic_message_retention_duration

  dynamic "schema_settings" {
    for_each = var.enforce_topic_schema ? [1] : []
    content {
      schema   = google_pubsub_schema.events.id
      encoding = "JSON"
    }
  }
}

resource "google_pubsub_topic" "dead_letter" {
  for_each = local.dead_letter_topics

  project                    = var.project_id
  name                       = each.value
  labels                     = merge(var.labels, { purpose = "dead-letter", source-subscription = each.key })
  kms_key_name               = var.kms_key_name
  message_retention_duration = var.dead_letter_retention_duration
}

resource "google_pubsub_subscription" "events" {
  for_each = var.subscriptions

  project = var.project_id
  name    = var.names.subscriptions[each.key]
  topic   = google_pubsub_topic.events.id
  labels  = merge(var.labels, { consumer = each.key })

  ack_deadline_seconds         = each.value.ack_deadline_seconds
  message_retention_duration   = each.value.message_retention_duration
  retain_acked_messages        = each.value.retain_acked_messages
  enable_exactly_once_delivery = each.value.enable_exactly_once_delivery
  enable_message_ordering      = each.value.enable_message_ordering
  filter                       = each.value.filter

  # Never expire: a paused consumer must not lose its subscription.
  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = each.value.minimum_backoff
    maximum_backoff = each.value.maximum_backoff
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter[each.key].id
    max_delivery_attempts = each.value.max_delivery_attempts
  }

  # Grants must exist before Pub/Sub starts forwarding (see iam.tf).
  depends_on = [google_pubsub_topic_iam_member.dead_letter_publisher]
}

# One pull subscription per dead-letter topic so that dead-lettered messages are retained and can be
# inspected or replayed; a topic without subscriptions drops what is published to it.
resource "google_pubsub_subscription" "dead_letter_inspection" {
  for_each = local.dead_letter_topics

  project                    = var.project_id
  name                       = var.names.inspection_subscriptions[each.key]
  topic                      = google_pubsub_topic.dead_letter[each.key].id
  labels                     = merge(var.labels, { purpose = "dead-letter-inspection" })
  ack_deadline_seconds       = 60
  message_retention_duration = var.dead_letter_retention_duration
  retain_acked_messages      = true

  expiration_policy {
    ttl = ""
  }
}
