# Minimal use of the monitoring module: Slack channels, one freshness SLO with the default burn-rate alerts.
# TF_VAR_slack_auth_token=... tofu apply -var project_id=YOUR_PROJECT
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

variable "slack_auth_token" {
  description = "Slack OAuth token of the Cloud Monitoring app."
  type        = string
  sensitive   = true
}

provider "google" {
  project = var.project_id
}

module "monitoring" {
  source = "../.."

  project_id         = var.project_id
  name_prefix        = "shopstream-example"
  service_id         = "shopstream-example-pipeline"
  environment        = "dev"
  slack_auth_token   = var.slack_auth_token
  slack_page_channel = "#shopstream-example"

  dataflow_job_names = { analytics = "shopstream-example-analytics" }

  slos = [
    {
      name         = "analytics-freshness"
      display_name = "Analytics freshness (system lag < 60 s)"
      goal         = 0.99
      sli = {
        type          = "windows_mean_in_range"
        metric_filter = "resource.type = \"dataflow_job\" AND metric.type = \"dataflow.googleapis.com/job/system_lag\" AND resource.label.job_name = \"shopstream-example-analytics\""
        range_min     = 0
        range_max     = 60
      }
    },
  ]
}

output "slo_names" {
  description = "SLOs created by the example."
  value       = module.monitoring.slo_names
}
