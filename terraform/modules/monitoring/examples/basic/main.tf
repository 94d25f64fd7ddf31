# Minimal use of the monitoring module: Slack channels, one freshness SLO with the default burn-rate alerts,
# and a per-event latency SLO over a custom distribution metric whose descriptor the module creates first.
# TF_VAR_slack_auth_token=... tofu apply -var project_id=YOUR_PROJECT   (the token is ephemeral: never saved)
terraform {
  required_version = ">= 1.11.0"
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
  description = "Slack OAuth token of the Cloud Monitoring app (ephemeral: not stored in a plan or state; needed by apply)."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = null
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

  # In the product root this list is policies/slo/generated/terraform-custom-metrics.json.
  custom_metrics = [
    {
      type         = "custom.googleapis.com/shopstream/pipeline/event_latency"
      display_name = "Event latency"
      description  = "Publish to stored latency per event (one point per minute, CUMULATIVE resets)."
      metric_kind  = "CUMULATIVE"
      value_type   = "DISTRIBUTION"
      unit         = "s"
      labels       = [{ key = "deployment", description = "Environment prefix." }]
      absent_after = "1080s"
    },
  ]

  slos = [
    {
      name         = "event-latency"
      display_name = "Events stored within 10 s"
      goal         = 0.95
      sli = {
        type                = "request_distribution_cut"
        distribution_filter = "resource.type = \"global\" AND metric.type = \"custom.googleapis.com/shopstream/pipeline/event_latency\" AND metric.label.deployment = \"shopstream-example\""
        range_min           = 0
        range_max           = 10
      }
    },
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
