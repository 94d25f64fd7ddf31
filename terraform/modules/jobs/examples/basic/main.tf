# Minimal use of the jobs module with resources assumed to exist (normally wired by the root).
# tofu init && tofu apply -var project_id=YOUR_PROJECT -var image=REGION-docker.pkg.dev/P/R/reconciler@sha256:...
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

variable "image" {
  description = "The reconciler image, pinned by digest."
  type        = string
}

provider "google" {
  project = var.project_id
}

module "jobs" {
  source = "../.."

  project_id  = var.project_id
  region      = "europe-west1"
  name_prefix = "shopstream-dev"
  image       = var.image
  names = {
    jobs             = { reconciler = "shopstream-dev-reconciler", exporter = "shopstream-dev-exporter" }
    schedulers       = { reconciler = "shopstream-dev-reconciler", exporter = "shopstream-dev-exporter" }
    service_accounts = { reconciler = "shopstream-d-reconciler", exporter = "shopstream-d-sli-exporter" }
  }
  subnetwork_self_link    = "projects/${var.project_id}/regions/europe-west1/subnetworks/shopstream-dev-workers"
  mongodb_uri_secret_id   = "projects/${var.project_id}/secrets/shopstream-dev-mongodb-uri"
  state_table_schema_json = file("${path.module}/../../../../../apps/reconciler/state-schema.json")

  mongodb = {
    database   = "shopstream"
    collection = "events"
  }

  bigquery = {
    dataset_id                 = "shopstream_dev_raw"
    location                   = "EU"
    ingestion_deadletter_table = "ingestion_deadletter"
    analytics_deadletter_table = "events_deadletter"
  }
}
