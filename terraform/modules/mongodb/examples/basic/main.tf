# Minimal use of the mongodb module in an existing VPC. Atlas credentials come from
# MONGODB_ATLAS_CLIENT_ID / MONGODB_ATLAS_CLIENT_SECRET.
# tofu init && tofu apply -var project_id=YOUR_PROJECT -var atlas_org_id=YOUR_ORG
terraform {
  required_version = ">= 1.6.0"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 8.0"
    }
    mongodbatlas = {
      source  = "mongodb/mongodbatlas"
      version = "~> 2.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }
}

variable "project_id" {
  description = "Project to create the example in."
  type        = string
}

variable "atlas_org_id" {
  description = "Atlas organization to create the example project in."
  type        = string
}

provider "google" {
  project = var.project_id
}

provider "mongodbatlas" {}

module "mongodb" {
  source = "../.."

  project_id                     = var.project_id
  region                         = "europe-west1"
  atlas_org_id                   = var.atlas_org_id
  atlas_project_name             = "shopstream-example"
  psc_endpoint_name              = "shopstream-example-atlas-psc"
  secret_ids                     = { uri = "shopstream-example-mongodb-uri", password = "shopstream-example-mongodb-password", jobs_uri = "shopstream-example-mongodb-jobs-uri" }
  atlas_region_name              = "WESTERN_EUROPE"
  network_self_link              = "projects/${var.project_id}/global/networks/shopstream-example-vpc"
  subnetwork_self_link           = "projects/${var.project_id}/regions/europe-west1/subnetworks/shopstream-example-workers"
  termination_protection_enabled = false
  labels                         = { app = "shopstream", environment = "example" }
}

output "uri_secret_id" {
  description = "Secret holding the connection URI."
  value       = module.mongodb.uri_secret_id
}
