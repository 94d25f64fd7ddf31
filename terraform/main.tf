# One environment of the shop-events platform: Pub/Sub -> Dataflow (Flex templates + JS UDFs) ->
# MongoDB Atlas (raw) and BigQuery (raw + aggregates), with SLOs paging Slack.
# Apply once per environment: tofu init -backend-config=environments/<env>.backend.hcl
#                             tofu apply -var-file=environments/<env>.tfvars

locals {
  # Resource names, locations and the Pub/Sub delivery policy are declared once, in
  # packages/platform/platform.ts; packages/platform generates this environment's names into
  # var.platform_file (checked fresh by `npm run check`). Nothing here builds a name by hand.
  platform    = jsondecode(file("${path.module}/${var.platform_file}"))
  names       = local.platform.environments[var.environment]
  name_prefix = local.names.prefix
  locations   = local.names.locations
  delivery    = local.names.delivery

  labels = merge(var.labels, {
    app         = local.platform.app
    environment = var.environment
    managed-by  = "terraform"
  })

  deployer_member = var.deployer_service_account == null ? null : "serviceAccount:${var.deployer_service_account}"

  # "" as well as null means no image: plans that build none pass the deployed one, or "" when no job exists
  # yet (.github/scripts/deployed-jobs-image.sh).
  reconciler_image = var.reconciler_image == "" ? null : var.reconciler_image

  # Aggregates are defined once, as SQL files with a declarative header (apps/analytics/sql/aggregates/*.sql,
  # read by the local worker too): `-- aggregate:`, `-- description:`, `-- window_column:`, `-- grain:`,
  # `-- columns: name TYPE, ...`, optionally `-- reads: <stage>`; the SELECT is every line that is not a
  # `--` comment. A stage (apps/analytics/sql/stages/*.sql, `-- stage: <name>`) is an intermediate SELECT
  # over `events` that an aggregate reads: the local worker keeps it as a table, here it is a CTE.
  stage_selects = {
    for f in fileset("${path.module}/${var.analytics_sql_dir}", "stages/*.sql") :
    trimspace(regex("(?m)^-- stage: (.+)$", file("${path.module}/${var.analytics_sql_dir}/${f}"))[0]) =>
    trimspace(join("\n", [for line in split("\n", file("${path.module}/${var.analytics_sql_dir}/${f}")) : line if !startswith(line, "--")]))
  }
  aggregate_files = {
    for f in fileset("${path.module}/${var.analytics_sql_dir}", "aggregates/*.sql") :
    f => file("${path.module}/${var.analytics_sql_dir}/${f}")
  }
  aggregates = {
    for f, text in local.aggregate_files : trimspace(regex("(?m)^-- aggregate: (.+)$", text)[0]) => {
      description   = trimspace(regex("(?m)^-- description: (.+)$", text)[0])
      window_column = trimspace(regex("(?m)^-- window_column: (.+)$", text)[0])
      grain         = trimspace(regex("(?m)^-- grain: (.+)$", text)[0])
      columns = [
        for col in split(",", regex("(?m)^-- columns: (.+)$", text)[0]) : {
          name = split(" ", trimspace(col))[0]
          type = trimspace(split(" ", trimspace(col))[1])
        }
      ]
      select = trimspace(join("\n", [for line in split("\n", text) : line if !startswith(line, "--")]))
      stages = [
        for name in [split(" ", trimspace(try(regex("(?m)^-- reads: (.+)$", text)[0], "events")))[0]] :
        { name = name, select = local.stage_selects[name] } if name != "events"
      ]
    }
  }

  # SLOs are declared once, in policies/slo/*.yaml; packages/slo generates the monitoring module's input
  # (checked fresh by `npm run check`). Only the environment's resource-name prefix is filled in here.
  runbook_prefix = var.runbook_base_url == null ? "" : "${trimsuffix(var.runbook_base_url, "/")}/"
  slos = [
    for s in jsondecode(file("${path.module}/${var.slo_declaration_file}")) : {
      name                = s.name
      display_name        = s.display_name
      goal                = s.goal
      rolling_period_days = s.rolling_period_days
      sli = merge(s.sli, {
        for k in ["good_filter", "bad_filter", "total_filter", "metric_filter", "distribution_filter"] :
        k => replace(s.sli[k], "{name_prefix}", local.name_prefix) if lookup(s.sli, k, null) != null
      })
      alerts      = s.alerts
      runbook_url = "${local.runbook_prefix}${s.runbook_path}"
    }
  ]

  apis = toset([
    "bigquery.googleapis.com",
    "bigquerydatatransfer.googleapis.com",
    "bigquerystorage.googleapis.com",
    "compute.googleapis.com",
    "dataflow.googleapis.com",
    "iam.googleapis.com",
    "monitoring.googleapis.com",
    "logging.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "cloudscheduler.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ])
}

resource "google_project_service" "api" {
  for_each = local.apis

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

module "pubsub" {
  source = "./modules/pubsub"

  project_id = var.project_id
  names = {
    topic                    = local.names.pubsub.topic
    schema                   = local.names.pubsub.schema
    subscriptions            = local.names.pubsub.subscriptions
    dead_letter_topics       = local.names.pubsub.dead_letter_topics
    inspection_subscriptions = local.names.pubsub.inspection_subscriptions
  }
  # Both consumers are the Dataflow jobs in Google Cloud: no Pub/Sub dead-letter topic or retry policy there
  # (modules/pubsub README); the delivery policy below applies to plain pull readers (`reader = "node"`).
  subscriptions = {
    for consumer in keys(local.names.pubsub.subscriptions) : consumer => {
      reader                = "dataflow"
      ack_deadline_seconds  = local.delivery.ack_deadline_seconds
      max_delivery_attempts = local.delivery.max_delivery_attempts
      minimum_backoff       = local.delivery.minimum_backoff
      maximum_backoff       = local.delivery.maximum_backoff
    }
  }
  avro_schema_definition        = file("${path.module}/${var.events_avro_schema_path}")
  enforce_topic_schema          = var.enforce_topic_schema
  publisher_members             = var.event_publishers
  dead_letter_inspector_members = var.dead_letter_inspectors
  kms_key_name                  = var.kms_key_name
  labels                        = local.labels

  depends_on = [google_project_service.api]
}

module "bigquery" {
  source = "./modules/bigquery"

  project_id                       = var.project_id
  location                         = local.locations.bigquery
  raw_dataset_id                   = local.names.bigquery.raw_dataset
  analytics_dataset_id             = local.names.bigquery.analytics_dataset
  events_table_id                  = local.names.bigquery.events_table
  dead_letter_tables               = local.names.bigquery.dead_letter_tables
  aggregates_service_account_id    = local.names.service_accounts.aggregates
  scheduled_query_name_prefix      = local.names.bigquery.scheduled_query_prefix
  events_table_schema_json         = file("${path.module}/${var.events_bigquery_schema_path}")
  events_partition_expiration_days = var.events_partition_expiration_days
  aggregates                       = local.aggregates
  deduped_events_sql               = join("\n", [for line in split("\n", file("${path.module}/${var.analytics_sql_dir}/deduped_events.sql")) : line if !startswith(line, "--")])
  reader_members                   = var.analytics_readers
  raw_reader_members               = var.raw_readers
  deployer_member                  = local.deployer_member
  kms_key_name                     = var.kms_key_name
  deletion_protection              = var.deletion_protection
  labels                           = local.labels

  depends_on = [google_project_service.api]
}

module "mongodb" {
  source = "./modules/mongodb"

  project_id                     = var.project_id
  region                         = local.locations.region
  atlas_org_id                   = var.atlas_org_id
  atlas_project_name             = local.names.mongodb.atlas_project
  atlas_region_name              = local.locations.atlas_region
  cluster_name                   = local.names.mongodb.cluster
  database_name                  = local.names.mongodb.database
  database_username              = local.names.mongodb.database_user
  jobs_database_username         = local.names.mongodb.jobs_database_user
  secret_ids                     = { uri = local.names.mongodb.uri_secret, password = local.names.mongodb.password_secret, jobs_uri = local.names.mongodb.jobs_uri_secret }
  psc_endpoint_name              = local.names.network.psc_endpoint
  instance_size                  = var.atlas_instance_size
  password_generation            = var.mongodb_password_generation
  termination_protection_enabled = var.deletion_protection
  network_self_link              = google_compute_network.vpc.self_link
  subnetwork_self_link           = google_compute_subnetwork.workers.self_link
  secret_kms_key_name            = var.kms_key_name
  labels                         = local.labels

  depends_on = [google_project_service.api]
}

module "dataflow" {
  source = "./modules/dataflow"

  project_id              = var.project_id
  region                  = local.locations.region
  job_names               = local.names.dataflow.jobs
  service_account_ids     = local.names.dataflow.service_accounts
  temp_bucket_name        = replace(local.names.dataflow.temp_bucket, "{project_id}", var.project_id)
  subnetwork_self_link    = google_compute_subnetwork.workers.self_link
  google_template_version = var.dataflow_template_version
  udf_bucket_name         = var.udf_bucket_name
  mongodb_uri             = module.mongodb.connection_uri
  deployer_member         = local.deployer_member
  jobs_enabled            = var.dataflow_jobs_enabled
  verify_udf_objects      = var.verify_udf_objects
  kms_key_name            = var.kms_key_name
  labels                  = local.labels

  ingestion = {
    input_subscription_id = module.pubsub.subscription_ids["ingestion"]
    mongodb_database      = local.names.mongodb.database
    mongodb_collection    = local.names.mongodb.collection
    deadletter_table_spec = module.bigquery.dead_letter_table_specs["ingestion"]
    deadletter_dataset_id = module.bigquery.dead_letter_table_ids["ingestion"].dataset_id
    deadletter_table_id   = module.bigquery.dead_letter_table_ids["ingestion"].table_id
    udf_gcs_path          = var.udfs["ingestion"].gcs_path
    udf_function_name     = var.udfs["ingestion"].function_name
    template_gcs_path     = var.udfs["ingestion"].template_gcs_path
    max_workers           = var.dataflow_max_workers
  }

  analytics = {
    input_subscription_id = module.pubsub.subscription_ids["analytics"]
    output_table_spec     = module.bigquery.events_table_spec
    output_dataset_id     = module.bigquery.raw_dataset_id
    output_table_id       = local.names.bigquery.events_table
    deadletter_table_spec = module.bigquery.dead_letter_table_specs["analytics"]
    deadletter_dataset_id = module.bigquery.dead_letter_table_ids["analytics"].dataset_id
    deadletter_table_id   = module.bigquery.dead_letter_table_ids["analytics"].table_id
    udf_gcs_path          = var.udfs["analytics"].gcs_path
    udf_function_name     = var.udfs["analytics"].function_name
    template_gcs_path     = var.udfs["analytics"].template_gcs_path
    max_workers           = var.dataflow_max_workers
  }

  depends_on = [google_project_service.api, google_compute_firewall.dataflow_internal]
}

# The reconciliation and SLI-exporter jobs (apps/reconciler), once an image exists (docs/reconciliation.md).
module "jobs" {
  source = "./modules/jobs"
  count  = local.reconciler_image == null ? 0 : 1

  project_id              = var.project_id
  region                  = local.locations.region
  name_prefix             = local.name_prefix
  image                   = local.reconciler_image
  names                   = local.names.scheduled_jobs
  deployer_member         = local.deployer_member
  subnetwork_self_link    = google_compute_subnetwork.workers.self_link
  mongodb_uri_secret_id   = module.mongodb.jobs_uri_secret_id
  state_table_schema_json = file("${path.module}/../apps/reconciler/state-schema.json")
  deletion_protection     = var.deletion_protection
  kms_key_name            = var.kms_key_name
  labels                  = local.labels

  mongodb = {
    database   = local.names.mongodb.database
    collection = local.names.mongodb.collection
  }

  bigquery = {
    dataset_id                 = module.bigquery.raw_dataset_id
    location                   = local.locations.bigquery
    events_table_id            = local.names.bigquery.events_table
    ingestion_deadletter_table = module.bigquery.dead_letter_table_ids["ingestion"].table_id
    analytics_deadletter_table = module.bigquery.dead_letter_table_ids["analytics"].table_id
    # Read by the integration test's verify job (actions/integration-test, mode: production).
    analytics_dataset_id = module.bigquery.analytics_dataset_id
    aggregate_table_ids  = keys(module.bigquery.aggregate_tables)
  }

  depends_on = [google_project_service.api]
}

module "monitoring" {
  source = "./modules/monitoring"

  project_id                     = var.project_id
  name_prefix                    = local.name_prefix
  service_id                     = local.names.monitoring.service
  environment                    = var.environment
  slack_auth_token               = var.slack_auth_token
  slack_auth_token_version       = var.slack_auth_token_version
  slack_page_channel             = var.slack_page_channel
  slack_ticket_channel           = var.slack_ticket_channel
  slos                           = local.slos
  custom_metrics                 = jsondecode(file("${path.module}/${var.custom_metrics_file}"))
  runbook_base_url               = var.runbook_base_url
  pubsub_subscription_names      = module.pubsub.subscription_names
  dead_letter_subscription_names = module.pubsub.dead_letter_subscription_names
  dead_letter_tables             = module.bigquery.dead_letter_table_ids
  dataflow_job_names             = module.dataflow.job_names
  labels                         = local.labels

  depends_on = [google_project_service.api]
}
