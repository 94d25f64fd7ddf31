variable "project_id" {
  description = "Google Cloud project that owns the datasets."
  type        = string
}

variable "location" {
  description = "BigQuery location of the datasets and of the scheduled queries (e.g. `EU`, `US`, `europe-west1`)."
  type        = string
}

variable "raw_dataset_id" {
  description = "ID of the raw dataset (events and dead-letter tables), derived by packages/platform, e.g. `shopstream_dev_raw`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_]+$", var.raw_dataset_id)) && length(var.raw_dataset_id) <= 1024
    error_message = "raw_dataset_id may contain only letters, digits and underscores, at most 1,024 (BigQuery DatasetReference.datasetId)."
  }
}

variable "analytics_dataset_id" {
  description = "ID of the analytics dataset (aggregate tables), derived by packages/platform, e.g. `shopstream_dev_analytics`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_]+$", var.analytics_dataset_id)) && length(var.analytics_dataset_id) <= 1024
    error_message = "analytics_dataset_id may contain only letters, digits and underscores, at most 1,024 (BigQuery DatasetReference.datasetId)."
  }
}

variable "events_table_id" {
  description = "ID of the raw events table. The aggregate SQL (apps/analytics/sql) reads it as `events`, so change both together."
  type        = string
}

variable "aggregates_service_account_id" {
  description = "Account ID of the service account the scheduled queries run as, derived by packages/platform within 6-30 characters."
  type        = string

  validation {
    condition     = can(regex("^[a-z][-a-z0-9]{4,28}[a-z0-9]$", var.aggregates_service_account_id))
    error_message = "aggregates_service_account_id must have 6-30 characters matching [a-z]([-a-z0-9]*[a-z0-9]) (IAM API, CreateServiceAccountRequest.account_id)."
  }
}

variable "scheduled_query_name_prefix" {
  description = "Display-name prefix of the scheduled queries; each is `<prefix><aggregate>`."
  type        = string
}

variable "events_table_schema_json" {
  description = "BigQuery JSON schema (array of fields) of the raw `events` table, generated from the event contract (packages/events/generated/bigquery-events-schema.json)."
  type        = string

  validation {
    condition     = can(jsondecode(var.events_table_schema_json)[0].name)
    error_message = "events_table_schema_json must be a JSON array of BigQuery field objects."
  }
}

variable "events_partition_field" {
  description = "TIMESTAMP or DATE column of the events table used for daily partitioning (the event time: a partition is one UTC event date)."
  type        = string
  default     = "event_time"
}

variable "events_clustering_fields" {
  description = "Up to four columns the events table is clustered by."
  type        = list(string)
  default     = ["event_type", "user_key"]

  validation {
    condition     = length(var.events_clustering_fields) <= 4
    error_message = "BigQuery allows at most four clustering columns."
  }
}

variable "events_require_partition_filter" {
  description = "Reject queries on the events table that do not filter on the partition column (cost guard)."
  type        = bool
  default     = false
}

variable "events_partition_expiration_days" {
  description = "Days after which raw event partitions are deleted; null keeps them forever."
  type        = number
  default     = null
}

variable "dead_letter_tables" {
  description = "Names of the dead-letter (error) tables created in the raw dataset with the Dataflow templates' error schema, keyed by pipeline (`ingestion`, `analytics`)."
  type        = map(string)
  default = {
    ingestion = "ingestion_deadletter"
    analytics = "events_deadletter"
  }
}

variable "dead_letter_expiration_days" {
  description = "Days after which dead-letter partitions are deleted."
  type        = number
  default     = 30
}

variable "aggregates" {
  description = "Aggregates keyed by table name, as declared by the headers of apps/analytics/sql/aggregates/*.sql: `select` is one SELECT over `events` (the deduplicated window), `window_column` the TIMESTAMP bucket column, `grain` `minute` or `day`, `columns` the output schema."
  type = map(object({
    description   = string
    select        = string
    window_column = string
    grain         = string
    columns = list(object({
      name = string
      type = string
    }))
  }))
  default = {}

  validation {
    condition     = alltrue([for k in keys(var.aggregates) : can(regex("^[a-z][a-z0-9_]{0,100}$", k))])
    error_message = "Aggregate names must be lower-case letters, digits and underscores (they become table names)."
  }

  validation {
    condition     = alltrue([for a in values(var.aggregates) : contains(["minute", "day"], a.grain)])
    error_message = "Aggregate grain must be minute or day."
  }

  validation {
    condition = alltrue([for a in values(var.aggregates) :
      contains([for c in a.columns : c.name if c.type == "TIMESTAMP"], a.window_column)
    ])
    error_message = "Each aggregate's window_column must be one of its TIMESTAMP columns."
  }
}

variable "deduped_events_sql" {
  description = "SELECT of one window of `events` with each event_id once (apps/analytics/sql/deduped_events.sql): reads `$${dataset}.events` and filters on @window_start/@window_end. Every aggregate reads it as `events`."
  type        = string
  default     = "SELECT * FROM `$${dataset}.events` WHERE event_time >= @window_start AND event_time < @window_end"
}

variable "aggregate_schedule" {
  description = "Schedule of the aggregate refresh in BigQuery Data Transfer syntax."
  type        = string
  default     = "every 1 hours"
}

variable "aggregate_lookback_hours" {
  description = "How far back every run recomputes: late events arrive up to 24 h late, so keep this >= 24 + one schedule interval. The window start is aligned down to a UTC day boundary, its end up to the next whole grain unit."
  type        = number
  default     = 26

  validation {
    condition     = var.aggregate_lookback_hours >= 25
    error_message = "aggregate_lookback_hours must cover the 24 h lateness plus one schedule interval (>= 25)."
  }
}

variable "aggregates_enabled" {
  description = "Create the scheduled queries (turn off in an environment to pause the refresh without deleting tables)."
  type        = bool
  default     = true
}

variable "raw_writer_members" {
  description = "Principals that write the raw dataset (the Dataflow worker service accounts), granted roles/bigquery.dataEditor on the raw dataset."
  type        = list(string)
  default     = []
}

variable "reader_members" {
  description = "Principals granted roles/bigquery.dataViewer on the analytics dataset (dashboards, analysts' groups)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(setintersection(toset(var.reader_members), toset(["allUsers", "allAuthenticatedUsers"]))) == 0
    error_message = "Datasets are never public: allUsers / allAuthenticatedUsers are not allowed."
  }
}

variable "raw_reader_members" {
  description = "Principals granted roles/bigquery.dataViewer on the raw dataset (reconciliation jobs, data engineers)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(setintersection(toset(var.raw_reader_members), toset(["allUsers", "allAuthenticatedUsers"]))) == 0
    error_message = "Datasets are never public: allUsers / allAuthenticatedUsers are not allowed."
  }
}

variable "deployer_member" {
  description = "Principal that runs Terraform (the environment's deploy service account); it is granted actAs on the scheduled-query service account. Null skips the grant (e.g. when the deployer already holds roles/iam.serviceAccountUser on the project)."
  type        = string
  default     = null
}

variable "kms_key_name" {
  description = "Optional Cloud KMS key for CMEK as the datasets' default encryption. The BigQuery service agent needs roles/cloudkms.cryptoKeyEncrypterDecrypter on it. Null uses Google-managed keys."
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Protect tables from deletion by Terraform (true in staging and prod)."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels applied to every labelable resource."
  type        = map(string)
  default     = {}
}
