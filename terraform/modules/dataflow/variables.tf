variable "project_id" {
  description = "Google Cloud project the Dataflow jobs run in."
  type        = string
}

variable "region" {
  description = "Dataflow regional endpoint and worker region (e.g. `europe-west1`)."
  type        = string
}

variable "job_names" {
  description = "Dataflow job name per pipeline (`ingestion`, `analytics`), derived by packages/platform."
  type        = map(string)

  validation {
    # RE2 caps repetition counts at 1000, so the length is checked apart from the pattern.
    condition     = alltrue([for k in ["ingestion", "analytics"] : can(regex("^[a-z]([-a-z0-9]*[a-z0-9])?$", var.job_names[k])) && length(var.job_names[k]) <= 1024])
    error_message = "job_names needs ingestion and analytics, each matching [a-z]([-a-z0-9]{0,1022}[a-z0-9])? (Dataflow API, Job.name)."
  }
}

variable "service_account_ids" {
  description = "Account ID of each job's worker service account (`ingestion`, `analytics`), derived by packages/platform within the 6-30 character limit."
  type        = map(string)

  validation {
    condition     = alltrue([for k in ["ingestion", "analytics"] : can(regex("^[a-z][-a-z0-9]{4,28}[a-z0-9]$", var.service_account_ids[k]))])
    error_message = "service_account_ids needs ingestion and analytics, each 6-30 characters matching [a-z]([-a-z0-9]*[a-z0-9]) (IAM API, CreateServiceAccountRequest.account_id)."
  }
}

variable "temp_bucket_name" {
  description = "Name of the staging/temp bucket the module creates, derived by packages/platform (globally unique: it embeds the project ID)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$", var.temp_bucket_name)) && !startswith(var.temp_bucket_name, "goog")
    error_message = "temp_bucket_name must be a 3-63 character bucket name without dots (Cloud Storage bucket naming guidelines)."
  }
}

variable "subnetwork_self_link" {
  description = "Subnetwork the workers run in (self link or `regions/REGION/subnetworks/NAME`); it needs Private Google Access and a route to the MongoDB Private Service Connect endpoint."
  type        = string
}

variable "google_template_version" {
  description = "Dated release folder of the Google-provided Flex templates in gs://dataflow-templates-REGION/ (`YYYY-MM-DD-NN_RCNN`, e.g. `2026-08-18-00_RC00`, the tag names of GoogleCloudPlatform/DataflowTemplates releases), taken from the promoted release (ADR 0002). `latest` is refused: it moves, so a relaunch could run another template under an unchanged configuration."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}_RC[0-9]{2}$", var.google_template_version))
    error_message = "google_template_version must be a dated release folder like 2026-08-18-00_RC00 (never latest: it moves under a running job)."
  }
}

variable "ingestion" {
  description = "Ingestion job (Pub/Sub -> MongoDB, template Cloud_PubSub_to_MongoDB). udf_* come from the template-build action's output; template_gcs_path overrides the Google-provided template."
  type = object({
    input_subscription_id       = string
    mongodb_database            = string
    mongodb_collection          = string
    deadletter_table_spec       = string
    deadletter_dataset_id       = string
    deadletter_table_id         = string
    udf_gcs_path                = string
    udf_function_name           = string
    udf_reload_interval_minutes = optional(number, 0)
    template_gcs_path           = optional(string)
    with_ordered                = optional(bool, false)
    batch_size                  = optional(number, 1000)
    machine_type                = optional(string, "n2-standard-2")
    max_workers                 = optional(number, 3)
    num_workers                 = optional(number, 1)
    extra_parameters            = optional(map(string), {})
  })
}

variable "analytics" {
  description = "Analytics job (Pub/Sub -> BigQuery `events`, template PubSub_to_BigQuery_Flex, Storage Write API exactly-once). udf_* come from the template-build action's output."
  type = object({
    input_subscription_id         = string
    output_table_spec             = string
    output_dataset_id             = string
    output_table_id               = string
    deadletter_table_spec         = string
    deadletter_dataset_id         = string
    deadletter_table_id           = string
    udf_gcs_path                  = string
    udf_function_name             = string
    udf_reload_interval_minutes   = optional(number, 0)
    template_gcs_path             = optional(string)
    num_storage_write_api_streams = optional(number, 2)
    triggering_frequency_seconds  = optional(number, 5)
    machine_type                  = optional(string, "n2-standard-2")
    max_workers                   = optional(number, 3)
    num_workers                   = optional(number, 1)
    extra_parameters              = optional(map(string), {})
  })
}

variable "mongodb_uri" {
  description = "MongoDB connection URI with credentials (the mongodb module's sensitive `connection_uri` output), passed as the template's mongoDBUri parameter, which the template accepts only in plain text (see README). Passed between modules as a value so that no plan reads Secret Manager."
  type        = string
  sensitive   = true
}

variable "udf_bucket_name" {
  description = "Bucket holding the UDF artifacts (created by bootstrap); the worker service accounts get read access to it."
  type        = string
}

variable "deployer_member" {
  description = "IAM member Terraform applies as (`serviceAccount:...`), granted actAs on the two worker accounts so that it can launch the jobs; null skips the grant (then the applying identity needs actAs some other way)."
  type        = string
  default     = null
}

variable "jobs_enabled" {
  description = "Launch the streaming jobs. Set false to create service accounts, buckets and IAM only (e.g. before the first UDF build exists)."
  type        = bool
  default     = true
}

variable "verify_udf_objects" {
  description = "Refuse at plan time a job whose UDF object does not exist. Set false only by a caller that publishes the bundles itself before applying the plan and fails when one is missing (the promotion's apply job, through actions/dataflow-template)."
  type        = bool
  default     = true
}

variable "kms_key_name" {
  description = "Optional Cloud KMS key for CMEK on job state and the temp bucket. Null uses Google-managed keys."
  type        = string
  default     = null
}

variable "temp_retention_days" {
  description = "Days after which objects in the staging/temp bucket are deleted."
  type        = number
  default     = 7
}

variable "labels" {
  description = "Labels applied to every labelable resource (jobs, buckets)."
  type        = map(string)
  default     = {}
}
