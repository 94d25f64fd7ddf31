# Minimal use of the pubsub module: the events topic with two consumer subscriptions.
# tofu init && tofu apply -var project_id=YOUR_PROJECT
terraform {
  required_version = ">= 1.6.0"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 8.0"
    }
  }
}

variable "project_id" {
  description = "Project to create the example in."
  type        = string
}

provider "google" {
  project = var.project_id
}

module "pubsub" {
  source = "../.."

  project_id = var.project_id
  names = {
    topic                    = "shopstream-example-events"
    schema                   = "shopstream-example-shop-event"
    subscriptions            = { ingestion = "shopstream-example-events-ingestion", analytics = "shopstream-example-events-analytics" }
    dead_letter_topics       = { ingestion = "shopstream-example-events-ingestion-dlq", analytics = "shopstream-example-events-analytics-dlq" }
    inspection_subscriptions = { ingestion = "shopstream-example-events-ingestion-dlq-inspect", analytics = "shopstream-example-events-analytics-dlq-inspect" }
  }
  avro_schema_definition = file("${path.module}/../../../../../packages/events/generated/shop-event.avsc")
  publisher_members      = []

  subscriptions = {
    ingestion = { ack_deadline_seconds = 60, max_delivery_attempts = 10 }
    analytics = { ack_deadline_seconds = 120 }
  }

  labels = { app = "shopstream", environment = "example" }
}

output "subscription_ids" {
  description = "Consumer subscriptions created by the example."
  value       = module.pubsub.subscription_ids
}
