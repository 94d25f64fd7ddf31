# Environment: dev. Every value an environment needs is here; modules hold no environment values.
# Secrets are NOT set here: TF_VAR_slack_auth_token (apply only), MONGODB_ATLAS_CLIENT_ID/SECRET come from CI secrets.
environment = "dev"
project_id  = "your-dev-project-id"
# Resource names, region and BigQuery/Atlas locations come from packages/platform/platform.ts (not set here).

# From bootstrap outputs.
deployer_service_account = "shopstream-deploy-dev@your-admin-project-id.iam.gserviceaccount.com"
udf_bucket_name          = "your-dev-project-id-shopstream-udf"
state_encryption_key     = "projects/your-admin-project-id/locations/europe-west1/keyRings/shopstream-tofu/cryptoKeys/state-dev"

labels = {
  team        = "data-platform"
  cost-center = "analytics"
}

subnetwork_cidr = "10.10.0.0/20"

# Pub/Sub
enforce_topic_schema   = false
event_publishers       = ["serviceAccount:shop-backend@your-dev-project-id.iam.gserviceaccount.com"]
dead_letter_inspectors = ["group:shopstream-oncall@example.com"]

# BigQuery
analytics_readers                = ["group:analysts@example.com"]
raw_readers                      = []
events_partition_expiration_days = 30
deletion_protection              = false

# MongoDB Atlas
atlas_org_id        = "000000000000000000000000"
atlas_instance_size = "M10"

# Dataflow: UDF paths are written by the template-build action (content-addressed, promoted unchanged).
dataflow_jobs_enabled     = false                # true once the first promotion has published the UDF bundles (the plan checks they exist)
dataflow_template_version = "2026-08-18-00_RC00" # plans of an environment with no release yet only: all others take the release's (ADR 0002)
dataflow_max_workers      = 2
udfs = {
  ingestion = { gcs_path = "gs://your-dev-project-id-shopstream-udf/ingestion/0000000000000000/udf.js", function_name = "transform" }
  analytics = { gcs_path = "gs://your-dev-project-id-shopstream-udf/analytics/0000000000000000/udf.js", function_name = "transform" }
}

# Monitoring
slack_page_channel   = "#shopstream-dev-alerts"
slack_ticket_channel = null
# Increase after rotating the SLACK_AUTH_TOKEN secret of this environment (docs/forking.md).
slack_auth_token_version = 1

# SLOs: declared once in policies/slo/*.yaml and read through slo_declaration_file (generated); not set here.
