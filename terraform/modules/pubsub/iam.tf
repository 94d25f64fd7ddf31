# The Pub/Sub service agent forwards undeliverable messages: it must publish to each dead-letter topic and
# acknowledge the message on the source subscription.
data "google_project" "this" {
  project_id = var.project_id
}

locals {
  pubsub_service_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = google_pubsub_topic.dead_letter

  project = var.project_id
  topic   = each.value.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_source_subscriber" {
  for_each = { for k, s in google_pubsub_subscription.events : k => s if contains(keys(local.dead_lettered), k) }

  project      = var.project_id
  subscription = each.value.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = toset(var.publisher_members)

  project = var.project_id
  topic   = google_pubsub_topic.events.name
  role    = "roles/pubsub.publisher"
  member  = each.value
}

resource "google_pubsub_subscription_iam_member" "dead_letter_inspector" {
  for_each = {
    for pair in setproduct(keys(local.dead_letter_topics), var.dead_letter_inspector_members) :
    "${pair[0]}/${pair[1]}" => { subscription = pair[0], member = pair[1] }
  }

  project      = var.project_id
  subscription = google_pubsub_subscription.dead_letter_inspection[each.value.subscription].name
  role         = "roles/pubsub.subscriber"
  member       = each.value.member
}
