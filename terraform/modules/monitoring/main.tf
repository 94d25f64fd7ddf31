# Slack notification channels, the custom service with its SLOs, multi-window burn-rate alerts,
# operational alerts and one dashboard.

locals {
  user_labels = merge(var.labels, { environment = var.environment })

  slos = { for s in var.slos : s.name => s }

  # One alert policy per (SLO, alert window pair).
  burn_alerts = merge([
    for s in var.slos : {
      for a in s.alerts : "${s.name}-${coalesce(a.name, "${a.severity}-${trimsuffix(a.long_window, "s")}")}" => merge(a, { slo = s.name, slo_display = s.display_name, runbook_url = s.runbook_url })
    }
  ]...)

  channels = {
    page   = google_monitoring_notification_channel.slack["page"].id
    ticket = google_monitoring_notification_channel.slack["ticket"].id
  }

  quoted = {
    subscriptions = join(", ", [for n in values(var.pubsub_subscription_names) : "\"${n}\""])
    dead_letters  = join(", ", [for n in values(var.dead_letter_subscription_names) : "\"${n}\""])
    jobs          = join(", ", [for n in values(var.dataflow_job_names) : "\"${n}\""])
  }

  # Runbooks of the operational alerts (docs/runbooks/), absolute when runbook_base_url is set.
  runbook_prefix = var.runbook_base_url == null ? "" : "${trimsuffix(var.runbook_base_url, "/")}/"
  runbooks = {
    dataflow_failed = "${local.runbook_prefix}docs/runbooks/dataflow-job-failed.md"
    dead_letters    = "${local.runbook_prefix}docs/runbooks/dead-letters.md"
    metric_absent   = "${local.runbook_prefix}docs/runbooks/metric-absent.md"
    reconciliation  = "${local.runbook_prefix}docs/runbooks/reconciliation-drift.md"
  }

  reconciliation = {
    missing = "custom.googleapis.com/shopstream/reconciliation/missing_events"
    extra   = "custom.googleapis.com/shopstream/reconciliation/extra_events"
  }
}

resource "google_monitoring_notification_channel" "slack" {
  for_each = {
    page   = var.slack_page_channel
    ticket = coalesce(var.slack_ticket_channel, var.slack_page_channel)
  }

  project      = var.project_id
  display_name = "${var.name_prefix} Slack ${each.key} (${each.value})"
  type         = "slack"
  user_labels  = merge(local.user_labels, { severity = each.key })

  labels = {
    channel_name = each.value
  }

  # Write-only (hashicorp/google >= 7.19.0): the token is sent on create and on every update of the channel,
  # and is never stored in the plan or in state. A plan needs no token (it is not part of the plan), but the
  # provider validates that the argument is set, hence the stand-in while planning; it can never be applied
  # because the precondition below refuses any apply without the real token (OpenTofu checks it at every
  # apply, also when the channels do not change).
  sensitive_labels {
    auth_token_wo         = var.slack_auth_token != null ? var.slack_auth_token : (terraform.applying ? null : "not-sent-while-planning")
    auth_token_wo_version = tostring(var.slack_auth_token_version)
  }

  lifecycle {
    precondition {
      condition     = var.slack_auth_token != null || !terraform.applying
      error_message = "No Slack token: an apply needs the real token of the ${each.key} alert channel (TF_VAR_slack_auth_token, the deploy environment's SLACK_AUTH_TOKEN secret; docs/forking.md). Plans need none."
    }
  }
}

# Descriptors of the custom metrics (declared once in packages/slo/src/custom-metrics.ts). Cloud Monitoring
# refuses an SLO or alert policy whose filter names a metric with no descriptor, so the SLOs and the alerts
# on these metrics depend on them.
resource "google_monitoring_metric_descriptor" "custom" {
  for_each = { for m in var.custom_metrics : m.type => m }

  project      = var.project_id
  type         = each.value.type
  display_name = each.value.display_name
  description  = each.value.description
  metric_kind  = each.value.metric_kind
  value_type   = each.value.value_type
  unit         = each.value.unit

  dynamic "labels" {
    for_each = each.value.labels
    content {
      key         = labels.value.key
      value_type  = labels.value.value_type
      description = labels.value.description
    }
  }

  metadata {
    sample_period = each.value.sample_period
    ingest_delay  = each.value.ingest_delay
  }
}

resource "google_monitoring_custom_service" "pipeline" {
  project      = var.project_id
  service_id   = var.service_id
  display_name = "${var.name_prefix} event pipeline"
  user_labels  = local.user_labels
}

resource "google_monitoring_slo" "slo" {
  for_each = local.slos

  project             = var.project_id
  service             = google_monitoring_custom_service.pipeline.service_id
  slo_id              = each.key
  display_name        = each.value.display_name
  goal                = each.value.goal
  rolling_period_days = each.value.rolling_period_days
  user_labels         = local.user_labels

  # An SLO over a custom metric is refused until the metric's descriptor exists.
  depends_on = [google_monitoring_metric_descriptor.custom]

  dynamic "request_based_sli" {
    for_each = startswith(each.value.sli.type, "request_") ? [each.value.sli] : []
    content {
      dynamic "good_total_ratio" {
        for_each = request_based_sli.value.type == "request_ratio" ? [request_based_sli.value] : []
        content {
          good_service_filter  = good_total_ratio.value.good_filter
          bad_service_filter   = good_total_ratio.value.bad_filter
          total_service_filter = good_total_ratio.value.total_filter
        }
      }

      # Per-event latency: the share of a DISTRIBUTION metric's values inside [range_min, range_max].
      dynamic "distribution_cut" {
        for_each = request_based_sli.value.type == "request_distribution_cut" ? [request_based_sli.value] : []
        content {
          distribution_filter = distribution_cut.value.distribution_filter
          range {
            min = distribution_cut.value.range_min
            max = distribution_cut.value.range_max
          }
        }
      }
    }
  }

  dynamic "windows_based_sli" {
    for_each = startswith(each.value.sli.type, "windows_") ? [each.value.sli] : []
    content {
      window_period          = windows_based_sli.value.window_period
      good_bad_metric_filter = windows_based_sli.value.type == "windows_good_bad" ? windows_based_sli.value.good_filter : null

      dynamic "metric_mean_in_range" {
        for_each = windows_based_sli.value.type == "windows_mean_in_range" ? [windows_based_sli.value] : []
        content {
          time_series = metric_mean_in_range.value.metric_filter
          range {
            min = metric_mean_in_range.value.range_min
            max = metric_mean_in_range.value.range_max
          }
        }
      }

      dynamic "metric_sum_in_range" {
        for_each = windows_based_sli.value.type == "windows_sum_in_range" ? [windows_based_sli.value] : []
        content {
          time_series = metric_sum_in_range.value.metric_filter
          range {
            min = metric_sum_in_range.value.range_min
            max = metric_sum_in_range.value.range_max
          }
        }
      }
    }
  }
}

# Multi-window burn-rate alert: both the long and the short window must burn faster than the threshold
# (the long window proves significance, the short one that it is still happening).
resource "google_monitoring_alert_policy" "burn_rate" {
  for_each = local.burn_alerts

  project               = var.project_id
  display_name          = "[${var.environment}] ${each.value.slo_display}: burn rate > ${each.value.burn_rate}x (${each.value.long_window} & ${each.value.short_window})"
  combiner              = "AND"
  severity              = each.value.severity == "page" ? "CRITICAL" : "WARNING"
  notification_channels = [local.channels[each.value.severity]]
  user_labels           = merge(local.user_labels, { severity = each.value.severity, slo = each.value.slo })

  dynamic "conditions" {
    for_each = [each.value.long_window, each.value.short_window]
    content {
      display_name = "Burn rate over ${conditions.value} > ${each.value.burn_rate}"
      condition_threshold {
        filter          = "select_slo_burn_rate(\"${google_monitoring_slo.slo[each.value.slo].name}\", \"${conditions.value}\")"
        comparison      = "COMPARISON_GT"
        threshold_value = each.value.burn_rate
        duration        = "0s"
        trigger {
          count = 1
        }
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "SLO **${each.value.slo_display}** is burning its error budget ${each.value.burn_rate}x faster than sustainable over ${each.value.long_window} and ${each.value.short_window} (${each.value.severity}).${each.value.runbook_url == null ? "" : " Runbook: ${each.value.runbook_url}#${each.value.severity == "page" ? "page-fast-burn" : "ticket-slow-burn"}"}"
  }

  alert_strategy {
    auto_close = "1800s"
  }
}

resource "google_monitoring_alert_policy" "dataflow_failed" {
  count = var.operational_alerts_enabled && length(var.dataflow_job_names) > 0 ? 1 : 0

  project               = var.project_id
  display_name          = "[${var.environment}] Dataflow job failed"
  combiner              = "OR"
  severity              = "CRITICAL"
  notification_channels = [local.channels.page]
  user_labels           = merge(local.user_labels, { severity = "page" })

  conditions {
    display_name = "job/is_failed > 0"
    condition_threshold {
      filter          = "resource.type = \"dataflow_job\" AND metric.type = \"dataflow.googleapis.com/job/is_failed\" AND resource.label.job_name = one_of(${local.quoted.jobs})"
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "60s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A streaming Dataflow job of ${var.name_prefix} failed. Events accumulate on its subscription until the job is relaunched (terraform apply). Runbook: ${local.runbooks.dataflow_failed}"
  }
}

resource "google_monitoring_alert_policy" "dead_letters" {
  count = var.operational_alerts_enabled && length(var.dead_letter_subscription_names) > 0 ? 1 : 0

  project               = var.project_id
  display_name          = "[${var.environment}] Messages on a Pub/Sub dead-letter topic"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = [local.channels.ticket]
  user_labels           = merge(local.user_labels, { severity = "ticket" })

  conditions {
    display_name = "Undelivered messages on a dead-letter inspection subscription"
    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.label.subscription_id = one_of(${local.quoted.dead_letters})"
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "300s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Pub/Sub gave up delivering some events. Inspect them on the *-dlq-inspect subscription, fix the cause, then republish them to the events topic. Runbook: ${local.runbooks.dead_letters}"
  }
}

# A metric an SLI or the reconciliation depends on has stopped arriving: its writer (SLI exporter,
# reconciliation job) is down, so the SLO would silently lose data. One policy per custom metric.
resource "google_monitoring_alert_policy" "metric_absent" {
  for_each = var.metric_absence_alerts_enabled ? { for m in var.custom_metrics : m.type => m } : {}

  project               = var.project_id
  display_name          = "[${var.environment}] Metric stopped arriving: ${each.value.display_name}"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = [local.channels.ticket]
  user_labels           = merge(local.user_labels, { severity = "ticket" })

  conditions {
    display_name = "No ${each.key} point for ${each.value.absent_after}"
    condition_absent {
      filter   = "resource.type = \"global\" AND metric.type = \"${each.key}\" AND metric.label.deployment = \"${var.name_prefix}\""
      duration = each.value.absent_after
      aggregations {
        alignment_period   = each.value.sample_period
        per_series_aligner = each.value.value_type == "DISTRIBUTION" ? "ALIGN_DELTA" : "ALIGN_COUNT"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "No point of `${each.key}` for ${each.value.absent_after}: its writer stopped (${each.value.description}). SLOs reading it count the missing minutes as bad. Runbook: ${local.runbooks.metric_absent}"
  }

  depends_on = [google_monitoring_metric_descriptor.custom]
}

# The ack/publish proxy (processing-success) counts an event as good once it is acknowledged; the
# reconciliation ground truth says whether it reached the stores. Events missing from a store (or extra in
# it) mean the proxy is drifting from the truth: the SLO looks better than what shops see.
resource "google_monitoring_alert_policy" "reconciliation_drift" {
  count = contains([for m in var.custom_metrics : m.type], local.reconciliation.missing) ? 1 : 0

  project               = var.project_id
  display_name          = "[${var.environment}] Reconciliation: stores disagree with what was published"
  combiner              = "OR"
  severity              = "CRITICAL"
  notification_channels = [local.channels.page]
  user_labels           = merge(local.user_labels, { severity = "page" })

  dynamic "conditions" {
    for_each = { missing = local.reconciliation.missing, extra = local.reconciliation.extra }
    content {
      display_name = "${conditions.key} events > 0 in a closed window"
      condition_threshold {
        filter          = "resource.type = \"global\" AND metric.type = \"${conditions.value}\" AND metric.label.deployment = \"${var.name_prefix}\""
        comparison      = "COMPARISON_GT"
        threshold_value = 0
        duration        = "0s"
        aggregations {
          alignment_period     = "300s"
          per_series_aligner   = "ALIGN_MAX"
          cross_series_reducer = "REDUCE_MAX"
          group_by_fields      = ["metric.label.store"]
        }
        trigger {
          count = 1
        }
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Reconciliation found events published but missing from a store (or stored but never published) in a closed window. The processing-success SLO (acks vs publishes) counted them as good: it is drifting from the ground truth. Runbook: ${local.runbooks.reconciliation}"
  }

  depends_on = [google_monitoring_metric_descriptor.custom]
}

resource "google_monitoring_dashboard" "pipeline" {
  project = var.project_id
  dashboard_json = jsonencode({
    displayName = "${var.name_prefix} event pipeline"
    gridLayout = {
      columns = 2
      widgets = concat(
        length(var.pubsub_subscription_names) == 0 ? [] : [
          local.widget.undelivered,
          local.widget.oldest_unacked,
        ],
        length(var.dead_letter_subscription_names) == 0 ? [] : [local.widget.dead_letters],
        length(var.dataflow_job_names) == 0 ? [] : [
          local.widget.system_lag,
          local.widget.watermark_age,
        ],
        [for name, s in local.slos : local.sli_widgets[name]],
        [for name, s in local.slos : {
          title = "Error budget remaining: ${s.display_name}"
          xyChart = {
            dataSets = [{
              plotType        = "LINE"
              timeSeriesQuery = { timeSeriesFilter = { filter = "select_slo_budget_fraction(\"${google_monitoring_slo.slo[name].name}\")" } }
            }]
          }
        }],
      )
    }
  })
}

locals {
  charts = {
    undelivered    = { title = "Undelivered messages per subscription", aligner = "ALIGN_MEAN", filter = "resource.type = \"pubsub_subscription\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.label.subscription_id = one_of(${local.quoted.subscriptions})" }
    oldest_unacked = { title = "Oldest unacked message age (s)", aligner = "ALIGN_MAX", filter = "resource.type = \"pubsub_subscription\" AND metric.type = \"pubsub.googleapis.com/subscription/oldest_unacked_message_age\" AND resource.label.subscription_id = one_of(${local.quoted.subscriptions})" }
    dead_letters   = { title = "Messages waiting on dead-letter topics", aligner = "ALIGN_MAX", filter = "resource.type = \"pubsub_subscription\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.label.subscription_id = one_of(${local.quoted.dead_letters})" }
    system_lag     = { title = "Dataflow system lag (s)", aligner = "ALIGN_MAX", filter = "resource.type = \"dataflow_job\" AND metric.type = \"dataflow.googleapis.com/job/system_lag\" AND resource.label.job_name = one_of(${local.quoted.jobs})" }
    watermark_age  = { title = "Dataflow data watermark age (s)", aligner = "ALIGN_MAX", filter = "resource.type = \"dataflow_job\" AND metric.type = \"dataflow.googleapis.com/job/data_watermark_age\" AND resource.label.job_name = one_of(${local.quoted.jobs})" }
  }

  # One chart of each SLO's own SLI metrics (the brief's critical metrics: Pub/Sub published vs
  # acknowledged, Dataflow latency, MongoDB connections, availability), so the dashboard follows the
  # declaration in policies/slo.
  sli_widgets = {
    for name, s in local.slos : name => {
      title = "SLI: ${s.display_name}"
      xyChart = {
        dataSets = s.sli.type == "request_distribution_cut" ? [{
          plotType       = "HEATMAP"
          legendTemplate = "per-event latency (good at or below ${s.sli.range_max})"
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter      = s.sli.distribution_filter
              aggregation = { alignmentPeriod = "60s", perSeriesAligner = "ALIGN_DELTA", crossSeriesReducer = "REDUCE_SUM" }
            }
          }
          }] : s.sli.type == "request_ratio" ? [
          for label, f in { good = s.sli.good_filter, bad = s.sli.bad_filter, total = s.sli.total_filter } : {
            plotType             = "LINE"
            legendTemplate       = label
            timeSeriesQuery = {
              timeSeriesFilter = {
                filter      = f
                aggregation = { alignmentPeriod = "60s", perSeriesAligner = "ALIGN_DELTA", crossSeriesReducer = "REDUCE_SUM" }
              }
            }
          } if f != null
          ] : [{
            plotType       = "LINE"
            legendTemplate = s.sli.type == "windows_good_bad" ? "share of good windows" : "value (good in range)"
            timeSeriesQuery = {
              timeSeriesFilter = {
                filter = s.sli.type == "windows_good_bad" ? s.sli.good_filter : s.sli.metric_filter
                # the same aggregation the SLO and the gate use
                aggregation = {
                  alignmentPeriod    = s.sli.window_period
                  perSeriesAligner   = lookup({ windows_mean_in_range = "ALIGN_MEAN", windows_sum_in_range = "ALIGN_SUM" }, s.sli.type, "ALIGN_FRACTION_TRUE")
                  crossSeriesReducer = lookup({ windows_mean_in_range = "REDUCE_MEAN", windows_sum_in_range = "REDUCE_SUM" }, s.sli.type, "REDUCE_MEAN")
                }
              }
            }
        }]
        thresholds = contains(["windows_mean_in_range", "windows_sum_in_range"], s.sli.type) && s.sli.range_max != null ? [{ value = s.sli.range_max, color = "RED" }] : []
      }
    }
  }

  widget = {
    for k, c in local.charts : k => {
      title = c.title
      xyChart = {
        dataSets = [{
          plotType = "LINE"
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter      = c.filter
              aggregation = { alignmentPeriod = "60s", perSeriesAligner = c.aligner }
            }
          }
        }]
      }
    }
  }
}
