# Minimal use of the dataflow module with resources assumed to exist (normally wired by the root).
# tofu init && tofu apply -var project_id=YOUR_PROJECT
terraform {
  required_version = ">= 1.6.0"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 8.0"
    }
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "~> 8.0"
    }
  }
}

variable "project_id" {
  description = "Project to create the example in."
  type        = string
}

variable "mongodb_uri" {
  description = "MongoDB connection URI with credentials (pass as TF_VAR_mongodb_uri, never in a file)."
  type        = string
  sensitive   = true
}

provider "google" {
  project = var.project_id
}

provider "google-beta" {
  project = var.project_id
}

module "dataflow" {
  source = "../.."

  project_id           = var.project_id
  region               = "europe-west1"
  job_names            = { ingestion = "shopstream-example-ingestion", analytics = "shopstream-example-analytics" }
  service_account_ids  = { ingestion = "shopstream-ex-df-ingestion", analytics = "shopstream-ex-df-analytics" }
  temp_bucket_name     = "${var.project_id}-shopstream-example-dataflow"
  subnetwork_self_link = "regions/europe-west1/subnetworks/shopstream-example-workers"
  udf_bucket_name      = "${var.project_id}-shopstream-udf"
  mongodb_uri          = var.mongodb_uri
  # A dated release folder (a GoogleCloudPlatform/DataflowTemplates release tag); promotions take it from
  # the release manifest.
  google_template_version = "2026-08-18-00_RC00"

  ingestion = {
    input_subscription_id = "projects/${var.project_id}/subscriptions/shopstream-example-events-ingestion"
    mongodb_database      = "shopstream"
    mongodb_collection    = "events"
    deadletter_table_spec = "${var.project_id}:shopstream_example_raw.ingestion_deadletter"
    deadletter_dataset_id = "shopstream_example_raw"
    deadletter_table_id   = "ingestion_deadletter"
    udf_gcs_path          = "gs://${var.project_id}-shopstream-udf/ingestion/0000000000000000/udf.js"
    udf_function_name     = "transform"
  }

  analytics = {
    input_subscription_id = "projects/${var.project_id}/subscriptions/shopstream-example-events-analytics"
    output_table_spec     = "${var.project_id}:shopstream_example_raw.events"
    output_dataset_id     = "shopstream_example_raw"
    output_table_id       = "events"
    deadletter_table_spec = "${var.project_id}:shopstream_example_raw.events_deadletter"
    deadletter_dataset_id = "shopstream_example_raw"
    deadletter_table_id   = "events_deadletter"
    udf_gcs_path          = "gs://${var.project_id}-shopstream-udf/analytics/0000000000000000/udf.js"
    udf_function_name     = "transform"
  }

  labels = { app = "shopstream", environment = "example" }
}

output "job_ids" {
  description = "Dataflow job IDs launched by the example."
  value       = module.dataflow.job_ids
}
