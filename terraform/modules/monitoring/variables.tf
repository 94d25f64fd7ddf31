variable "project_id" {
  description = "Google Cloud project that is monitored (metrics scope) and owns the channels, SLOs and dashboard."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of display names, e.g. `shopstream-dev`."
  type        = string
}

variable "environment" {
  description = "Environment name shown in alert titles and used as a label (`dev`, `staging`, `prod`)."
  type        = string
}

variable "slack_auth_token" {
  description = "OAuth token of the Google Cloud Monitoring Slack app for the workspace, sent to the channels as the write-only `auth_token_wo` (never stored in a plan or in state). Ephemeral: give it to `apply` (TF_VAR_slack_auth_token from the deploy environment's secret); plans need no value, and every apply fails without it."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = null
}

variable "slack_auth_token_version" {
  description = "Generation of the Slack token (`auth_token_wo_version`): increase it to send a rotated token to the channels on the next apply. Any other change to a channel also sends the token given to that apply."
  type        = number
  default     = 1
  nullable    = false
}

variable "slack_page_channel" {
  description = "Slack channel (`#name`) that receives paging alerts (fast burn, job failed)."
  type        = string
}

variable "slack_ticket_channel" {
  description = "Slack channel (`#name`) that receives ticket-level alerts (slow burn, dead letters); null uses slack_page_channel."
  type        = string
  default     = null
}

variable "service_id" {
  description = "ID of the custom Monitoring service the SLOs are attached to, e.g. `shopstream-dev-pipeline` (derived by packages/platform)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]{1,32}$", var.service_id))
    error_message = "service_id must be 1-32 lower-case letters, digits or hyphens."
  }
}

variable "slos" {
  description = <<-EOT
    SLOs to create, typically decoded from policies/slo/*.yaml. sli.type is one of:
    `request_ratio` (request_based_sli good_total_ratio: two of good_filter / bad_filter / total_filter),
    `request_distribution_cut` (request_based_sli distribution_cut: distribution_filter with range_min/range_max),
    `windows_good_bad` (windows_based_sli good_bad_metric_filter: good_filter is a boolean time series),
    `windows_mean_in_range` (windows_based_sli metric_mean_in_range: metric_filter with range_min/range_max),
    `windows_sum_in_range` (windows_based_sli metric_sum_in_range: metric_filter with range_min/range_max).
    The root generates this list from policies/slo/*.yaml (packages/slo); alerts[].name keys the policy.
    Each alert is a multi-window burn-rate policy: it fires when the burn rate exceeds threshold over both
    long_window and short_window; severity `page` goes to the paging channel, `ticket` to the ticket channel.
  EOT
  type = list(object({
    name                = string
    display_name        = string
    goal                = number
    rolling_period_days = optional(number, 28)
    sli = object({
      type                = string
      good_filter         = optional(string)
      bad_filter          = optional(string)
      total_filter        = optional(string)
      metric_filter       = optional(string)
      distribution_filter = optional(string)
      range_min           = optional(number)
      range_max           = optional(number)
      window_period       = optional(string, "60s")
    })
    alerts = optional(list(object({
      name         = optional(string)
      severity     = string
      long_window  = string
      short_window = string
      burn_rate    = number
      })), [
      { severity = "page", long_window = "3600s", short_window = "300s", burn_rate = 14.4 },
      { severity = "page", long_window = "21600s", short_window = "1800s", burn_rate = 6 },
      { severity = "ticket", long_window = "259200s", short_window = "21600s", burn_rate = 1 },
    ])
    runbook_url = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.slos : s.goal > 0 && s.goal < 1])
    error_message = "Every SLO goal must be strictly between 0 and 1 (e.g. 0.999)."
  }

  validation {
    condition     = alltrue([for s in var.slos : contains(["request_ratio", "request_distribution_cut", "windows_good_bad", "windows_mean_in_range", "windows_sum_in_range"], s.sli.type)])
    error_message = "sli.type must be request_ratio, request_distribution_cut, windows_good_bad, windows_mean_in_range or windows_sum_in_range."
  }

  validation {
    condition = alltrue(flatten([for s in var.slos : [
      for a in s.alerts : contains(["page", "ticket"], a.severity) && a.burn_rate > 0
    ]]))
    error_message = "Alert severity must be page or ticket, and burn_rate positive."
  }

  validation {
    condition     = alltrue([for s in var.slos : can(regex("^[a-z][a-z0-9-]{0,60}$", s.name))])
    error_message = "SLO names must be lower-case letters, digits and hyphens (they become SLO IDs)."
  }

  validation {
    condition     = length(distinct([for s in var.slos : s.name])) == length(var.slos)
    error_message = "SLO names must be unique."
  }
}

variable "custom_metrics" {
  description = "Custom metric descriptors to create before the SLOs and alerts that read them; the root passes policies/slo/generated/terraform-custom-metrics.json (generated from packages/slo/src/custom-metrics.ts). metric_kind GAUGE or CUMULATIVE (user-defined metrics cannot be DELTA)."
  type = list(object({
    type         = string
    display_name = string
    description  = string
    metric_kind  = string
    value_type   = string
    unit         = optional(string)
    labels = optional(list(object({
      key         = string
      value_type  = optional(string, "STRING")
      description = optional(string)
    })), [])
    sample_period = optional(string, "60s")
    ingest_delay  = optional(string, "180s")
    absent_after  = optional(string, "1800s")
  }))
  default = []

  validation {
    condition     = alltrue([for m in var.custom_metrics : startswith(m.type, "custom.googleapis.com/")])
    error_message = "Custom metric types must start with custom.googleapis.com/."
  }

  validation {
    condition     = alltrue([for m in var.custom_metrics : contains(["GAUGE", "CUMULATIVE"], m.metric_kind)])
    error_message = "metric_kind must be GAUGE or CUMULATIVE: Cloud Monitoring does not accept DELTA for user-defined metrics."
  }

  validation {
    condition     = length(distinct([for m in var.custom_metrics : m.type])) == length(var.custom_metrics)
    error_message = "Custom metric types must be unique."
  }
}

variable "runbook_base_url" {
  description = "Base URL the docs/runbooks/*.md paths of the operational alerts are appended to (e.g. `https://github.com/OWNER/REPO/blob/main`); null links repository-relative paths."
  type        = string
  default     = null
}

variable "pubsub_subscription_names" {
  description = "Consumer subscription short names, keyed by consumer (dashboard tiles)."
  type        = map(string)
  default     = {}
}

variable "dead_letter_subscription_names" {
  description = "Dead-letter inspection subscription short names, keyed by source consumer (dashboard tiles and the dead-letter alert)."
  type        = map(string)
  default     = {}
}

variable "dataflow_job_names" {
  description = "Dataflow job names, keyed by job (dashboard tiles and the job-failed alert)."
  type        = map(string)
  default     = {}
}

variable "operational_alerts_enabled" {
  description = "Create the built-in operational alerts (Dataflow job failed -> page, messages on a dead-letter topic -> ticket), in addition to the SLO burn-rate alerts."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels applied as user labels on channels, services, SLOs and alert policies."
  type        = map(string)
  default     = {}
}

# ---- dead-letter table alert (deadletter-alerts.tf) ----

variable "dead_letter_tables" {
  description = "BigQuery dead-letter tables of the Dataflow jobs, keyed by pipeline (`ingestion`, `analytics`): rows arriving in them raise a ticket-level alert (modules/bigquery output `dead_letter_table_ids`)."
  type = map(object({
    dataset_id = string
    table_id   = string
  }))
  default = {}
}

variable "dead_letter_alert_window" {
  description = "Alignment period of the dead-letter rows alert: the alert fires when any row arrived during one such window."
  type        = string
  default     = "600s"

  validation {
    condition     = can(regex("^[0-9]+s$", var.dead_letter_alert_window))
    error_message = "dead_letter_alert_window must be a number of seconds such as \"600s\"."
  }
}

variable "metric_absence_alerts_enabled" {
  description = "Alert (ticket) when a custom SLI or reconciliation metric stops arriving for its absent_after (its writer, the SLI exporter or the reconciliation job, stopped). Turn off only while those jobs are not deployed yet."
  type        = bool
  default     = true
}
