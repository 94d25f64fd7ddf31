variable "environment" {
  description = "Environment this root is applied to: a cloud environment of the platform declaration (packages/platform/platform.ts; `dev`, `staging` or `prod` as shipped)."
  type        = string

  validation {
    condition     = contains(keys(jsondecode(file("${path.module}/../packages/platform/generated/terraform-platform.json")).environments), var.environment)
    error_message = "environment must be a cloud environment declared in packages/platform/platform.ts (run npm run generate:platform after adding one)."
  }
}

variable "platform_file" {
  description = "Resource names, locations and delivery policy of every cloud environment, generated from packages/platform/platform.ts by `npm run generate:platform` (checked fresh by `npm run check`). Never edit names here: edit the declaration."
  type        = string
  default     = "../packages/platform/generated/terraform-platform.json"
}

variable "project_id" {
  description = "Google Cloud project of this environment (one project per environment)."
  type        = string
}

variable "labels" {
  description = "Extra labels added to every resource (team, cost-center...)."
  type        = map(string)
  default     = {}
}

variable "kms_key_name" {
  description = "Optional Cloud KMS key for CMEK on topics, datasets, buckets and Dataflow; null uses Google-managed keys."
  type        = string
  default     = null
}

variable "deployer_service_account" {
  description = "Email of the deploy service account Terraform runs as in this environment (output of bootstrap); granted actAs on service accounts it assigns. Null skips those grants."
  type        = string
  default     = null
}

variable "state_encryption_key" {
  description = "Cloud KMS key that encrypts this environment's OpenTofu state and saved plans (bootstrap output `state_encryption_keys[env]`, `projects/ADMIN/locations/REGION/keyRings/APP-tofu/cryptoKeys/state-ENV`); used by encryption.tofu, so it must be known at `tofu init`."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.state_encryption_key))
    error_message = "state_encryption_key must be a Cloud KMS key name: projects/P/locations/L/keyRings/R/cryptoKeys/K."
  }
}

# ---- contract and SQL (paths are relative to this directory) ----

variable "events_avro_schema_path" {
  description = "Path of the generated Avro schema of the shop event."
  type        = string
  default     = "../packages/events/generated/shop-event.avsc"
}

variable "events_bigquery_schema_path" {
  description = "Path of the generated BigQuery JSON schema of the raw events table."
  type        = string
  default     = "../packages/events/generated/bigquery-events-schema.json"
}

variable "analytics_sql_dir" {
  description = "Directory holding deduped_events.sql and aggregates/*.sql (one SELECT over the deduplicated `events` window each, with a declarative header); each aggregate becomes a table and a scheduled query."
  type        = string
  default     = "../apps/analytics/sql"
}

# ---- network ----

variable "subnetwork_cidr" {
  description = "Primary range of the subnetwork created for Dataflow workers and the MongoDB PSC endpoint."
  type        = string
  default     = "10.10.0.0/20"
}

# ---- pubsub ----

variable "enforce_topic_schema" {
  description = "Attach the Avro schema to the events topic (see modules/pubsub/README.md before turning on)."
  type        = bool
  default     = false
}

variable "event_publishers" {
  description = "Principals allowed to publish shop events (the shop's service accounts)."
  type        = list(string)
  default     = []
}

variable "dead_letter_inspectors" {
  description = "Principals allowed to pull from the dead-letter inspection subscriptions (on-call group)."
  type        = list(string)
  default     = []
}

# ---- bigquery ----

variable "analytics_readers" {
  description = "Principals granted read access to the analytics dataset."
  type        = list(string)
  default     = []
}

variable "raw_readers" {
  description = "Principals granted read access to the raw dataset (reconciliation, data engineers)."
  type        = list(string)
  default     = []
}

variable "events_partition_expiration_days" {
  description = "Days raw event partitions are kept; null keeps them forever."
  type        = number
  default     = null
}

variable "deletion_protection" {
  description = "Protect tables and the Atlas cluster from deletion (true in staging and prod)."
  type        = bool
  default     = true
}

# ---- mongodb ----

variable "atlas_org_id" {
  description = "MongoDB Atlas organization ID."
  type        = string
}

variable "atlas_instance_size" {
  description = "Atlas instance size (M10 or larger)."
  type        = string
  default     = "M10"
}

variable "mongodb_password_generation" {
  description = "Raise by one, in a pull request, to rotate the MongoDB database user's password (docs/forking.md, \"What the plan identity can read\"); promotions then carry the rotation to each environment."
  type        = number
  default     = 1
}

# ---- dataflow ----

variable "udf_bucket_name" {
  description = "UDF artifact bucket of this environment (output `udf_bucket_names[env]` of bootstrap)."
  type        = string
}

variable "dataflow_jobs_enabled" {
  description = "Launch the streaming jobs. Keep false until the first promotion has published the UDF bundles: the plan then checks that each `udfs[*].gcs_path` object exists and refuses to launch a job on a missing one (the template would dead-letter every message)."
  type        = bool
  default     = false
}

variable "verify_udf_objects" {
  description = "Refuse at plan time a Dataflow job whose UDF object does not exist. The var file written by actions/dataflow-template sets it false in dry-run mode: the promotion publishes those bundles in its approved apply job, right before applying the plan, and that step fails the job if an upload is missing or an existing object's bytes differ."
  type        = bool
  default     = true
}

variable "dataflow_template_version" {
  description = "Dated release folder of the Google-provided Flex templates (`YYYY-MM-DD-NN_RCNN`). Promotions set it from the release manifest (the var file of actions/dataflow-template wins over environments/<env>.tfvars); the tfvars value is what pull-request and drift plans see. `latest` is refused by modules/dataflow."
  type        = string
}

variable "release_id" {
  description = "ID (SHA-256) of the release a promotion applies, from its manifest via actions/dataflow-template's var file (ADR 0002): shown in the plan's variables. What runs where is recorded in env/<env>/release/running.json of the state bucket, not as an output (an environment planned before its first release passes none, so an output would make those plans non-empty). Drift and pull-request plans pass the running release's ID; null when none is recorded yet."
  type        = string
  default     = null

  validation {
    condition     = var.release_id == null || can(regex("^[0-9a-f]{64}$", var.release_id))
    error_message = "release_id must be the 64-hex SHA-256 ID of a release manifest."
  }
}

variable "udfs" {
  description = "UDF artifacts per pipeline (`ingestion`, `analytics`) from the template-build action's output: gcs_path, function_name and optionally template_gcs_path (a custom Flex template)."
  type = map(object({
    gcs_path          = string
    function_name     = string
    template_gcs_path = optional(string)
  }))

  validation {
    condition     = alltrue([for k in ["ingestion", "analytics"] : contains(keys(var.udfs), k)])
    error_message = "udfs must have entries for ingestion and analytics."
  }

  validation {
    condition     = alltrue([for u in values(var.udfs) : startswith(u.gcs_path, "gs://")])
    error_message = "udfs[*].gcs_path must be a gs:// URI."
  }
}

variable "dataflow_max_workers" {
  description = "Maximum workers per streaming job."
  type        = number
  default     = 3
}

# ---- monitoring ----

variable "slack_auth_token" {
  description = "Slack OAuth token of the Cloud Monitoring app. Ephemeral and write-only: never in a plan file or state. Plans need no value; every apply needs it (the promotion's apply step: TF_VAR_slack_auth_token from the deploy environment's SLACK_AUTH_TOKEN secret) and fails without it. Never put it in a tfvars file."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = null
}

variable "slack_auth_token_version" {
  description = "Generation of the Slack token: after rotating SLACK_AUTH_TOKEN, increase it in environments/<env>.tfvars so that the next promotion sends the new token to the alert channels (docs/forking.md)."
  type        = number
  default     = 1
  nullable    = false
}

variable "slack_page_channel" {
  description = "Slack channel for paging alerts (e.g. `#shopstream-oncall`)."
  type        = string
}

variable "slack_ticket_channel" {
  description = "Slack channel for ticket-level alerts; null uses slack_page_channel."
  type        = string
  default     = null
}

variable "slo_declaration_file" {
  description = "JSON list of SLOs generated from policies/slo/*.yaml by packages/slo (npx tsx packages/slo/scripts/generate.ts); `{name_prefix}` in its filters becomes the environment's prefix from packages/platform (`<app>-<environment>`). Never edit SLOs here: edit policies/slo."
  type        = string
  default     = "../policies/slo/generated/terraform-slos.json"
}

variable "custom_metrics_file" {
  description = "JSON list of custom metric descriptors generated from packages/slo/src/custom-metrics.ts (npx tsx packages/slo/scripts/generate.ts). The monitoring module creates them before the SLOs and alerts that read them. Never edit it by hand."
  type        = string
  default     = "../policies/slo/generated/terraform-custom-metrics.json"
}

variable "runbook_base_url" {
  description = "Base URL that alert runbook paths (docs/runbooks/*.md) are appended to in alert documentation, e.g. `https://github.com/OWNER/REPO/blob/main`; null keeps repository-relative paths."
  type        = string
  default     = null
}

variable "reconciler_image" {
  description = "Container image of apps/reconciler pinned by digest (`…/reconciler@sha256:…`), never in environments/*.tfvars: promotions take it from the release manifest (built once by .github/workflows/release.yml, written to actions/dataflow-template's var file), pull-request and drift plans set TF_VAR_reconciler_image to the one the jobs run now (.github/scripts/deployed-jobs-image.sh). null or \"\" until the first promotion publishes one: the reconciliation and SLI-exporter jobs are then not created."
  type        = string
  default     = null
}
