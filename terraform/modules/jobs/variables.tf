variable "project_id" {
  description = "Google Cloud project the jobs run in."
  type        = string
}

variable "region" {
  description = "Region of the Cloud Run jobs and the Cloud Scheduler jobs (e.g. `europe-west1`); the subnetwork must be in it."
  type        = string
}

variable "name_prefix" {
  description = "Prefix for job and service-account names, e.g. `shopstream-dev`; also the `deployment` label of the metrics."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,29}$", var.name_prefix))
    error_message = "name_prefix must be 3-30 lower-case letters, digits or hyphens."
  }
}

variable "names" {
  description = "Names from the platform declaration (packages/platform, `scheduled_jobs`): Cloud Run jobs, Cloud Scheduler jobs and service-account IDs, keyed by `reconciler` and `exporter`."
  type = object({
    jobs             = object({ reconciler = string, exporter = string })
    schedulers       = object({ reconciler = string, exporter = string })
    service_accounts = object({ reconciler = string, exporter = string })
  })
}

variable "deployer_member" {
  description = "IAM member Terraform applies as (`serviceAccount:...`), granted actAs on the two job accounts so that it can create the Cloud Run jobs and their Cloud Scheduler triggers; null skips the grant (then the applying identity needs actAs some other way)."
  type        = string
  default     = null
}

variable "image" {
  description = "Container image of apps/reconciler (built by .github/workflows/reconciler-image.yml), pinned by digest: `REGION-docker.pkg.dev/PROJECT/REPO/reconciler@sha256:...`."
  type        = string

  validation {
    condition     = can(regex("@sha256:[0-9a-f]{64}$", var.image))
    error_message = "image must be pinned by digest (…@sha256:<64 hex>), so a plan shows exactly what runs."
  }
}

variable "subnetwork_self_link" {
  description = "Subnetwork for Direct VPC egress (the jobs reach MongoDB Atlas over its Private Service Connect endpoint in this VPC)."
  type        = string
}

variable "mongodb_uri_secret_id" {
  description = "Secret Manager secret (`projects/P/secrets/S`) holding the MongoDB URI of the read-only jobs user (modules/mongodb `jobs_uri_secret_id`: read on the database, clusterMonitor on admin); the jobs read its latest version at start, nothing reads it at plan time."
  type        = string
}

variable "mongodb" {
  description = "MongoDB raw store the reconciliation reads."
  type = object({
    database   = string
    collection = string
  })
}

variable "bigquery" {
  description = "BigQuery raw dataset (events, the templates' dead-letter tables, and the state table this module creates), its location, and the table IDs; `analytics_dataset_id` and `aggregate_table_ids` are the aggregate tables the verify job reads (null: the raw dataset)."
  type = object({
    dataset_id                 = string
    location                   = string
    events_table_id            = optional(string, "events")
    ingestion_deadletter_table = string
    analytics_deadletter_table = string
    analytics_dataset_id       = optional(string)
    aggregate_table_ids        = optional(list(string), [])
  })
}

variable "state_table_schema_json" {
  description = "Schema of the reconciliation state table as BigQuery JSON (the root reads apps/reconciler/state-schema.json, the file the job's code uses)."
  type        = string
}

variable "reconcile" {
  description = "Reconciliation schedule (cron, UTC) and windows: every 5 minutes by default, 5-minute windows of event_time reconciled 15 minutes after they end. Every `:run` creates a new execution, also while the previous one still runs, so `timeout_seconds` stays below the schedule's period and `max_windows_per_run` (each window takes its queries plus a 5 s pause) fits in it; a catch-up continues on the next run."
  type = object({
    schedule            = optional(string, "*/5 * * * *")
    window_minutes      = optional(number, 5)
    settle_minutes      = optional(number, 15)
    timeout_seconds     = optional(number, 270)
    max_windows_per_run = optional(number, 24)
  })
  default = {}

  validation {
    condition     = 1440 % var.reconcile.window_minutes == 0 && var.reconcile.settle_minutes >= 0 && var.reconcile.max_windows_per_run >= 1 && var.reconcile.max_windows_per_run * 5 < var.reconcile.timeout_seconds
    error_message = "window_minutes must divide a day (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, ...), settle_minutes must not be negative, and max_windows_per_run (at least 1) times the 5 s pause between windows must fit in timeout_seconds."
  }
}

variable "export_schedule" {
  description = "SLI exporter schedule (cron, UTC). Once a minute: the SLOs are scored per minute."
  type        = string
  default     = "* * * * *"
}

variable "export_mongodb_connections" {
  description = "Whether the exporter reads MongoDB `serverStatus` connections (the Atlas user needs the clusterMonitor role)."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the Cloud Run jobs and the state table from deletion."
  type        = bool
  default     = true
}

variable "kms_key_name" {
  description = "Cloud KMS key (CMEK) for the state table, as for the other BigQuery tables; null uses Google-managed keys."
  type        = string
  default     = null
}

variable "labels" {
  description = "Labels applied to every resource that supports them."
  type        = map(string)
  default     = {}
}

variable "verify" {
  description = "The integration test's verify job (no schedule; started by actions/integration-test in production mode): its task timeout (the action overrides it per run), the results bucket's retention, and name overrides (null: `<name_prefix>-itest-verify` and `<project_id>-itest-results`)."
  type = object({
    enabled                = optional(bool, true)
    timeout_seconds        = optional(number, 1800)
    results_retention_days = optional(number, 7)
    job_name               = optional(string)
    results_bucket_name    = optional(string)
  })
  default = {}

  validation {
    condition     = var.verify.timeout_seconds >= 60 && var.verify.timeout_seconds <= 86400 && var.verify.results_retention_days >= 1
    error_message = "verify.timeout_seconds must be 60-86400 and results_retention_days at least 1."
  }
}
