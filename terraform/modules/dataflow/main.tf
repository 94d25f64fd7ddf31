# Both streaming Flex template jobs, their service accounts and their staging bucket.

locals {
  template_base = "gs://dataflow-templates-${var.region}/${var.google_template_version}/flex"

  common_parameters = {
    ingestion = {
      javascriptTextTransformGcsPath               = var.ingestion.udf_gcs_path
      javascriptTextTransformFunctionName          = var.ingestion.udf_function_name
      javascriptTextTransformReloadIntervalMinutes = tostring(var.ingestion.udf_reload_interval_minutes)
    }
    analytics = {
      javascriptTextTransformGcsPath               = var.analytics.udf_gcs_path
      javascriptTextTransformFunctionName          = var.analytics.udf_function_name
      javascriptTextTransformReloadIntervalMinutes = tostring(var.analytics.udf_reload_interval_minutes)
    }
  }

  jobs = {
    ingestion = {
      template     = coalesce(var.ingestion.template_gcs_path, "${local.template_base}/Cloud_PubSub_to_MongoDB")
      machine_type = var.ingestion.machine_type
      max_workers  = var.ingestion.max_workers
      num_workers  = var.ingestion.num_workers
      parameters = merge(local.common_parameters.ingestion, {
        inputSubscription = var.ingestion.input_subscription_id
        mongoDBUri        = data.google_secret_manager_secret_version.mongodb_uri.secret_data
        database          = var.ingestion.mongodb_database
        collection        = var.ingestion.mongodb_collection
        deadletterTable   = var.ingestion.deadletter_table_spec
        batchSize         = tostring(var.ingestion.batch_size)
        # Unordered inserts: a redelivered message whose deterministic _id is already stored must not fail
        # (and endlessly retry) the whole bundle. Other write errors are then swallowed by the template and
        # must be caught by reconciliation (see README).
        withOrdered = tostring(var.ingestion.with_ordered)
        # The template defaults both of these to true; Atlas certificates are valid, so verify them.
        sslEnabled                    = "true"
        ignoreSSLCertificate          = "false"
        withSSLInvalidHostNameAllowed = "false"
      }, var.ingestion.extra_parameters)
    }
    analytics = {
      template     = coalesce(var.analytics.template_gcs_path, "${local.template_base}/PubSub_to_BigQuery_Flex")
      machine_type = var.analytics.machine_type
      max_workers  = var.analytics.max_workers
      num_workers  = var.analytics.num_workers
      parameters = merge(local.common_parameters.analytics, {
        inputSubscription                     = var.analytics.input_subscription_id
        outputTableSpec                       = var.analytics.output_table_spec
        outputDeadletterTable                 = var.analytics.deadletter_table_spec
        useStorageWriteApi                    = "true"
        useStorageWriteApiAtLeastOnce         = "false"
        numStorageWriteApiStreams             = tostring(var.analytics.num_storage_write_api_streams)
        storageWriteApiTriggeringFrequencySec = tostring(var.analytics.triggering_frequency_seconds)
      }, var.analytics.extra_parameters)
    }
  }
}

data "google_secret_manager_secret_version" "mongodb_uri" {
  secret  = regex("^(projects/[^/]+/secrets/[^/]+)/versions/[^/]+$", var.mongodb_uri_secret_version)[0]
  version = regex("/versions/([^/]+)$", var.mongodb_uri_secret_version)[0]
}

resource "google_service_account" "worker" {
  for_each = local.jobs

  project      = var.project_id
  account_id   = var.service_account_ids[each.key]
  display_name = "Dataflow ${each.key} worker (${var.job_names[each.key]})"
  description  = "Runs the ${each.key} Flex template job; holds only the grants in modules/dataflow/iam.tf."
}

resource "google_storage_bucket" "temp" {
  #checkov:skip=CKV_GCP_62:Access logs of a bucket holding only transient Dataflow staging files add cost without audit value; Data Access audit logs cover reads if required.
  #checkov:skip=CKV_GCP_78:Versioning is pointless for transient staging/temp files that a lifecycle rule deletes after a few days.
  project                     = var.project_id
  name                        = var.temp_bucket_name
  location                    = var.region
  labels                      = var.labels
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  lifecycle_rule {
    condition {
      age = var.temp_retention_days
    }
    action {
      type = "Delete"
    }
  }

  dynamic "encryption" {
    for_each = var.kms_key_name == null ? [] : [var.kms_key_name]
    content {
      default_kms_key_name = encryption.value
    }
  }
}

resource "google_dataflow_flex_template_job" "job" {
  provider = google-beta
  for_each = var.jobs_enabled ? local.jobs : {}

  project                 = var.project_id
  region                  = var.region
  name                    = var.job_names[each.key]
  container_spec_gcs_path = each.value.template
  parameters              = each.value.parameters
  labels                  = var.labels

  service_account_email   = google_service_account.worker[each.key].email
  subnetwork              = var.subnetwork_self_link
  ip_configuration        = "WORKER_IP_PRIVATE"
  enable_streaming_engine = true
  machine_type            = each.value.machine_type
  launcher_machine_type   = "n2-standard-2"
  max_workers             = each.value.max_workers
  num_workers             = each.value.num_workers
  temp_location           = "${google_storage_bucket.temp.url}/${each.key}/temp"
  staging_location        = "${google_storage_bucket.temp.url}/${each.key}/staging"
  kms_key_name            = var.kms_key_name

  # Destroying or replacing the resource drains the job: in-flight messages are finished, nothing is lost.
  on_delete                    = "drain"
  skip_wait_on_job_termination = false

  depends_on = [
    google_project_iam_member.worker,
    google_pubsub_subscription_iam_member.worker,
    google_storage_bucket_iam_member.temp,
    google_storage_bucket_iam_member.udf_reader,
    google_bigquery_table_iam_member.ingestion_deadletter,
    google_bigquery_table_iam_member.analytics_tables,
  ]
}
