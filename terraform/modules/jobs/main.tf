# The two scheduled jobs of apps/reconciler (one image, two commands), as Cloud Run jobs started by Cloud
# Scheduler through the Run Admin API (`POST .../jobs/NAME:run`, OAuth token of a dedicated invoker):
#   reconcile    per closed window: missing / extra / dead-lettered events as custom metrics
#   export-slis  the SLI exporter (per-event latency, MongoDB connections, overall availability), once a minute

locals {
  state_table_id = "reconciliation_state"

  common_env = {
    GOOGLE_CLOUD_PROJECT = var.project_id
    DEPLOYMENT           = var.name_prefix
    LOG_FORMAT           = "json"
  }

  # The scheduled jobs: one Cloud Scheduler trigger and one service account (named by the declaration) each.
  scheduled_jobs = {
    reconciler = {
      command  = "reconcile"
      schedule = var.reconcile.schedule
      timeout  = "${var.reconcile.timeout_seconds}s"
      env = merge(local.common_env, {
        MONGODB_DATABASE           = var.mongodb.database
        MONGODB_COLLECTION         = var.mongodb.collection
        BIGQUERY_DATASET           = var.bigquery.dataset_id
        BIGQUERY_LOCATION          = var.bigquery.location
        DEAD_LETTER_MODE           = "dataflow"
        INGESTION_DEADLETTER_TABLE = var.bigquery.ingestion_deadletter_table
        ANALYTICS_DEADLETTER_TABLE = var.bigquery.analytics_deadletter_table
        STATE_TABLE                = local.state_table_id
        WINDOW_MINUTES             = tostring(var.reconcile.window_minutes)
        SETTLE_MINUTES             = tostring(var.reconcile.settle_minutes)
        MAX_WINDOWS_PER_RUN        = tostring(var.reconcile.max_windows_per_run)
      })
    }
    exporter = {
      command  = "export-slis"
      schedule = var.export_schedule
      timeout  = "120s"
      env = merge(local.common_env, {
        SLO_DIR                    = "/app/policies/slo"
        EXPORT_MONGODB_CONNECTIONS = tostring(var.export_mongodb_connections)
        # pipeline/event_latency: processed_at - published_at of the events each store processed
        EXPORT_EVENT_LATENCY = "true"
        MONGODB_DATABASE     = var.mongodb.database
        MONGODB_COLLECTION   = var.mongodb.collection
        BIGQUERY_DATASET     = var.bigquery.dataset_id
        BIGQUERY_LOCATION    = var.bigquery.location
      })
    }
  }

  # Every Cloud Run job: the scheduled ones and the integration test's verify job (verify.tf), one definition.
  jobs = merge(
    { for k, j in local.scheduled_jobs : k => merge(j, { name = var.names.jobs[k] }) },
    local.verify_enabled ? { verify = local.verify_job } : {},
  )
}

resource "google_service_account" "job" {
  for_each = local.scheduled_jobs

  project      = var.project_id
  account_id   = var.names.service_accounts[each.key]
  display_name = "shopstream ${each.value.command} job (${var.name_prefix})"
  description  = "Runs the ${each.value.command} Cloud Run job of ${var.name_prefix}; see terraform/modules/jobs/README.md for its roles."
}

resource "google_bigquery_table" "state" {
  project             = var.project_id
  dataset_id          = var.bigquery.dataset_id
  table_id            = local.state_table_id
  description         = "Reconciliation results, one row per window and run (apps/reconciler); the latest window_end is the job's watermark."
  schema              = var.state_table_schema_json
  deletion_protection = var.deletion_protection
  labels              = var.labels

  time_partitioning {
    type  = "MONTH"
    field = "window_end"
  }

  dynamic "encryption_configuration" {
    for_each = var.kms_key_name == null ? [] : [var.kms_key_name]
    content {
      kms_key_name = encryption_configuration.value
    }
  }
}

resource "google_cloud_run_v2_job" "job" {
  for_each = local.jobs

  project             = var.project_id
  location            = var.region
  name                = each.value.name
  deletion_protection = var.deletion_protection
  labels              = var.labels

  template {
    task_count = 1
    labels     = var.labels

    template {
      service_account = each.key == "verify" ? google_service_account.verify[0].email : google_service_account.job[each.key].email
      timeout         = each.value.timeout
      # The reconciliation resumes from its watermark, the exporter runs again next minute, and a failed
      # verify check is a result, not a crash: no retries.
      max_retries = 0

      containers {
        image = var.image
        args  = [each.value.command]

        dynamic "env" {
          for_each = each.value.env
          content {
            name  = env.key
            value = env.value
          }
        }

        env {
          name = "MONGODB_URI"
          value_source {
            secret_key_ref {
              secret  = var.mongodb_uri_secret_id
              version = "latest"
            }
          }
        }

        resources {
          limits = {
            cpu    = "1"
            memory = "512Mi"
          }
        }
      }

      # Direct VPC egress: private ranges (the Atlas Private Service Connect endpoint) through the VPC;
      # Google APIs keep Cloud Run's own egress.
      vpc_access {
        egress = "PRIVATE_RANGES_ONLY"
        network_interfaces {
          subnetwork = var.subnetwork_self_link
        }
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.mongodb_uri,
    google_service_account_iam_member.deployer_act_as,
    google_secret_manager_secret_iam_member.verify_mongodb_uri,
    google_service_account_iam_member.deployer_act_as_verify,
    google_storage_bucket_iam_member.verify_writer,
  ]
}

resource "google_cloud_scheduler_job" "job" {
  for_each = local.scheduled_jobs

  project          = var.project_id
  region           = var.region
  name             = var.names.schedulers[each.key]
  description      = "Starts the ${google_cloud_run_v2_job.job[each.key].name} Cloud Run job."
  schedule         = each.value.schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "60s"

  retry_config {
    retry_count = 0
  }

  http_target {
    http_method = "POST"
    uri         = "https://run.googleapis.com/v2/${google_cloud_run_v2_job.job[each.key].id}:run"

    # Each job is started with its own identity, which may start that job and nothing else (iam.tf):
    # no third account to name, and the Cloud Scheduler service agent mints the token.
    oauth_token {
      service_account_email = google_service_account.job[each.key].email
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }

  depends_on = [google_cloud_run_v2_job_iam_member.scheduler, google_service_account_iam_member.deployer_act_as]
}
