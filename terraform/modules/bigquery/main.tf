# Datasets, the raw events table, dead-letter tables and the scheduled aggregate refresh.

locals {
  raw_dataset_id       = var.raw_dataset_id
  analytics_dataset_id = var.analytics_dataset_id

  # Normalised so that formatting changes in the generated file do not show up as diffs.
  events_schema     = jsonencode(jsondecode(var.events_table_schema_json))
  deadletter_schema = jsonencode(jsondecode(file("${path.module}/schemas/dataflow-deadletter.json")))

  day_ms = 24 * 60 * 60 * 1000

  # The deduplicated window every aggregate reads as `events`; @window_* become script variables.
  deduped_events = replace(replace(replace(trimsuffix(trimspace(var.deduped_events_sql), ";"),
    "$${dataset}", "${var.project_id}.${local.raw_dataset_id}"),
    "@window_start", "_agg_window_start"),
  "@window_end", "_agg_window_end")

  # Each aggregate becomes one BigQuery script run by the Data Transfer Service at @run_time. The window
  # [start of the UTC day `lookback` hours ago, end of the current grain unit) is recomputed whole, so
  # events up to 24 h late are counted. Delete + insert run in one transaction: readers see the old or the
  # new rows of the window, never a mix, and re-running a schedule is idempotent.
  aggregate_scripts = {
    for name, a in var.aggregates : name => join("\n", [
      "-- Managed by Terraform (terraform/modules/bigquery) from apps/analytics/sql. Do not edit in the console.",
      "DECLARE _agg_window_start TIMESTAMP DEFAULT TIMESTAMP_TRUNC(TIMESTAMP_SUB(@run_time, INTERVAL ${var.aggregate_lookback_hours} HOUR), DAY);",
      "DECLARE _agg_window_end TIMESTAMP DEFAULT TIMESTAMP_ADD(TIMESTAMP_TRUNC(@run_time, ${upper(a.grain)}), INTERVAL 1 ${upper(a.grain)});",
      "BEGIN TRANSACTION;",
      "DELETE FROM `${var.project_id}.${local.analytics_dataset_id}.${name}` WHERE ${a.window_column} >= _agg_window_start AND ${a.window_column} < _agg_window_end;",
      "INSERT INTO `${var.project_id}.${local.analytics_dataset_id}.${name}` (${join(", ", [for c in a.columns : c.name])})",
      "WITH events AS (",
      local.deduped_events,
      ")",
      trimsuffix(trimspace(a.select), ";"),
      ";",
      "COMMIT TRANSACTION;",
    ])
  }
}

resource "google_bigquery_dataset" "raw" {
  project                    = var.project_id
  dataset_id                 = local.raw_dataset_id
  friendly_name              = "Raw shop events (${var.raw_dataset_id})"
  description                = "Raw events written by the analytics Dataflow job, and the pipelines' dead-letter tables."
  location                   = var.location
  labels                     = var.labels
  delete_contents_on_destroy = false

  dynamic "default_encryption_configuration" {
    for_each = var.kms_key_name == null ? [] : [var.kms_key_name]
    content {
      kms_key_name = default_encryption_configuration.value
    }
  }
}

resource "google_bigquery_dataset" "analytics" {
  project                    = var.project_id
  dataset_id                 = local.analytics_dataset_id
  friendly_name              = "Shop analytics aggregates (${var.analytics_dataset_id})"
  description                = "Aggregate tables recomputed by scheduled queries from the raw events."
  location                   = var.location
  labels                     = var.labels
  delete_contents_on_destroy = false

  dynamic "default_encryption_configuration" {
    for_each = var.kms_key_name == null ? [] : [var.kms_key_name]
    content {
      kms_key_name = default_encryption_configuration.value
    }
  }
}

resource "google_bigquery_table" "events" {
  project                  = var.project_id
  dataset_id               = google_bigquery_dataset.raw.dataset_id
  table_id                 = var.events_table_id
  description              = "One row per shop event (schema generated from the event contract). Written by the PubSub_to_BigQuery_Flex job with the Storage Write API."
  labels                   = var.labels
  schema                   = local.events_schema
  clustering               = var.events_clustering_fields
  require_partition_filter = var.events_require_partition_filter
  deletion_protection      = var.deletion_protection

  time_partitioning {
    type          = "DAY"
    field         = var.events_partition_field
    expiration_ms = var.events_partition_expiration_days == null ? null : var.events_partition_expiration_days * local.day_ms
  }

  dynamic "encryption_configuration" {
    for_each = var.kms_key_name == null ? [] : [var.kms_key_name]
    content {
      kms_key_name = encryption_configuration.value
    }
  }
}

resource "google_bigquery_table" "dead_letter" {
  for_each = var.dead_letter_tables

  project             = var.project_id
  dataset_id          = google_bigquery_dataset.raw.dataset_id
  table_id            = each.value
  description         = "Messages the ${each.key} Dataflow job could not parse or transform (UDF error), with the error and stack trace."
  labels              = merge(var.labels, { purpose = "dead-letter", pipeline = each.key })
  schema              = local.deadletter_schema
  deletion_protection = var.deletion_protection

  time_partitioning {
    type          = "DAY"
    field         = "timestamp"
    expiration_ms = var.dead_letter_expiration_days * local.day_ms
  }

  dynamic "encryption_configuration" {
    for_each = var.kms_key_name == null ? [] : [var.kms_key_name]
    content {
      kms_key_name = encryption_configuration.value
    }
  }
}

resource "google_bigquery_table" "aggregate" {
  for_each = var.aggregates

  project             = var.project_id
  dataset_id          = google_bigquery_dataset.analytics.dataset_id
  table_id            = each.key
  description         = "${each.value.description} Recomputed by the scheduled query ${var.scheduled_query_name_prefix}${each.key}."
  labels              = merge(var.labels, { purpose = "aggregate", grain = each.value.grain })
  deletion_protection = var.deletion_protection
  schema = jsonencode([for c in each.value.columns : {
    name = c.name
    type = c.type
    mode = "NULLABLE"
  }])

  time_partitioning {
    type  = each.value.grain == "day" ? "MONTH" : "DAY"
    field = each.value.window_column
  }

  dynamic "encryption_configuration" {
    for_each = var.kms_key_name == null ? [] : [var.kms_key_name]
    content {
      kms_key_name = encryption_configuration.value
    }
  }
}

resource "google_service_account" "aggregates" {
  project      = var.project_id
  account_id   = var.aggregates_service_account_id
  display_name = "Scheduled aggregate queries (${var.analytics_dataset_id})"
  description  = "Runs the BigQuery scheduled queries that recompute the aggregate tables."
}

resource "google_bigquery_data_transfer_config" "aggregate" {
  for_each = var.aggregates_enabled ? local.aggregate_scripts : {}

  project              = var.project_id
  display_name         = "${var.scheduled_query_name_prefix}${each.key}"
  location             = var.location
  data_source_id       = "scheduled_query"
  schedule             = var.aggregate_schedule
  service_account_name = google_service_account.aggregates.email

  # A DML script has no destination table: the script names it.
  params = {
    query = each.value
  }

  depends_on = [
    google_bigquery_table.aggregate,
    google_bigquery_dataset_iam_member.aggregates_raw_reader,
    google_bigquery_dataset_iam_member.aggregates_writer,
    google_project_iam_member.aggregates_job_user,
    google_service_account_iam_member.dts_token_creator,
  ]
}
