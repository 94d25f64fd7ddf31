# Minimal use of the bigquery module: raw + analytics datasets, the events table and one aggregate.
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

module "bigquery" {
  source = "../.."

  project_id = var.project_id
  location   = "EU"
  # Names come from packages/platform in the root; any valid IDs work here.
  raw_dataset_id                = "shopstream_example_raw"
  analytics_dataset_id          = "shopstream_example_analytics"
  events_table_id               = "events"
  aggregates_service_account_id = "shopstream-example-agg"
  scheduled_query_name_prefix   = "shopstream_example-agg-"
  events_table_schema_json      = file("${path.module}/../../../../../packages/events/generated/bigquery-events-schema.json")

  # Normally parsed by the root from apps/analytics/sql/aggregates/*.sql headers.
  aggregates = {
    orders_by_currency_minute = {
      description   = "Orders and revenue per UTC minute and currency."
      window_column = "minute"
      grain         = "minute"
      columns = [
        { name = "minute", type = "TIMESTAMP" },
        { name = "currency", type = "STRING" },
        { name = "orders", type = "INT64" },
        { name = "revenue", type = "NUMERIC" },
      ]
      select = <<-SQL
        SELECT TIMESTAMP_TRUNC(event_time, MINUTE) AS minute, currency, COUNT(*) AS orders, SUM(value) AS revenue
        FROM events
        WHERE event_type = 'purchase'
        GROUP BY 1, 2
      SQL
    }
  }

  labels = { app = "shopstream", environment = "example" }
}

output "aggregate_tables" {
  description = "Aggregate tables the scheduled queries maintain."
  value       = module.bigquery.aggregate_tables
}
