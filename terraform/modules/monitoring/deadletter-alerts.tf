# Dead letters of the Dataflow jobs land in BigQuery, not on Pub/Sub: Pub/Sub dead-letter topics are not
# supported for subscriptions that Dataflow reads (Pub/Sub documentation "Handle message failures"), and the
# templates route parse/UDF failures (and, for the analytics job, rows BigQuery refused) to their dead-letter
# tables (modules/bigquery). This alert fires on rows arriving in those tables.
#
# Signal: the built-in metric bigquery.googleapis.com/storage/uploaded_row_count (resource bigquery_dataset,
# metric label `table`), a DELTA count of rows written to a table by any write API. Google's metric list says it
# is "sampled every 60s and may take up to 21720s to display", so this alert can lag by hours: it guarantees
# no dead letter goes unnoticed, not that it is noticed fast. The reconciliation job's dead-lettered metric
# (per closed window) is the faster signal once deployed.

locals {
  dead_letter_tables_by_dataset = {
    for ds in distinct([for t in values(var.dead_letter_tables) : t.dataset_id]) :
    ds => [for t in values(var.dead_letter_tables) : t.table_id if t.dataset_id == ds]
  }
}

resource "google_monitoring_alert_policy" "dead_letter_rows" {
  count = var.operational_alerts_enabled && length(var.dead_letter_tables) > 0 ? 1 : 0

  project               = var.project_id
  display_name          = "[${var.environment}] Rows arriving in a Dataflow dead-letter table"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = [local.channels.ticket]
  user_labels           = merge(local.user_labels, { severity = "ticket" })

  dynamic "conditions" {
    for_each = local.dead_letter_tables_by_dataset
    content {
      display_name = "New rows in ${join(", ", conditions.value)} (${conditions.key})"
      condition_threshold {
        filter          = "resource.type = \"bigquery_dataset\" AND metric.type = \"bigquery.googleapis.com/storage/uploaded_row_count\" AND resource.label.dataset_id = \"${conditions.key}\" AND metric.label.table = one_of(${join(", ", [for t in conditions.value : "\"${t}\""])})"
        comparison      = "COMPARISON_GT"
        threshold_value = 0
        duration        = "0s"
        aggregations {
          alignment_period     = var.dead_letter_alert_window
          per_series_aligner   = "ALIGN_DELTA"
          cross_series_reducer = "REDUCE_SUM"
          group_by_fields      = ["metric.label.table"]
        }
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A Dataflow job of ${var.name_prefix} dead-lettered events into BigQuery (${join(", ", [for k, t in var.dead_letter_tables : "${k}: ${t.dataset_id}.${t.table_id}"])}). Query the newest rows for errorMessage and payloadString, fix the cause, then replay them. Runbook: ${local.runbooks.dead_letters}"
  }
}
