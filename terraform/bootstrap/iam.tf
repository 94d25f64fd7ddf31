locals {
  deploy_role_bindings = merge([
    for env, cfg in var.environments : {
      for role in cfg.deploy_roles : "${env}/${role}" => { env = env, project_id = cfg.project_id, role = role }
    }
  ]...)

  # Objects under the environment's state prefix only. Listing is a bucket-level permission, hence the
  # resource.type clause.
  state_prefix_condition = {
    for env in keys(var.environments) :
    env => "resource.type == \"storage.googleapis.com/Bucket\" || resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.state.name}/objects/env/${env}/\")"
  }
}

# A workflow job may impersonate the deploy account of environment E only if it runs in GitHub
# environment E of this repository (GitHub puts `environment` in the token only for such jobs) and on
# refs/heads/main (the provider's attribute_condition in main.tf rejects deploy-environment tokens of any
# other ref).
resource "google_service_account_iam_member" "deploy_wif" {
  for_each = var.environments

  service_account_id = google_service_account.deploy[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.environment/${each.value.github_environment}"
}

resource "google_project_iam_member" "deploy" {
  for_each = local.deploy_role_bindings

  project = each.value.project_id
  role    = each.value.role
  member  = google_service_account.deploy[each.value.env].member
}

# State: each deploy account reads and writes only its own prefix (env/<name>/) of the shared bucket.
resource "google_storage_bucket_iam_member" "deploy_state" {
  for_each = var.environments

  bucket = google_storage_bucket.state.name
  role   = "roles/storage.objectUser"
  member = google_service_account.deploy[each.key].member

  condition {
    title       = "state-prefix-${each.key}"
    description = "Only objects under env/${each.key}/"
    expression  = local.state_prefix_condition[each.key]
  }
}

resource "google_storage_bucket_iam_member" "deploy_udf" {
  for_each = var.environments

  bucket = google_storage_bucket.udf[each.key].name
  role   = "roles/storage.objectAdmin"
  member = google_service_account.deploy[each.key].member
}

# Promotion: staging's deploy account reads dev's artifacts, prod's reads staging's.
resource "google_storage_bucket_iam_member" "promote_from" {
  for_each = {
    for pair in [["staging", "dev"], ["prod", "staging"]] : pair[0] => pair[1]
    if contains(keys(var.environments), pair[0]) && contains(keys(var.environments), pair[1])
  }

  bucket = google_storage_bucket.udf[each.value].name
  role   = "roles/storage.objectViewer"
  member = google_service_account.deploy[each.key].member
}

# Cloud Run pulls a job's image as the Cloud Run service agent of the job's project; for a repository in
# another project that agent needs Artifact Registry Reader on it (Artifact Registry documentation
# "Deploying to Cloud Run": "If your repositories are in a different project, you must grant Artifact
# Registry Reader permissions to the Cloud Run Service Agent"; the agent is
# service-PROJECT_NUMBER@serverless-robot-prod.iam.gserviceaccount.com, IAM documentation "Service agents").
resource "google_artifact_registry_repository_iam_member" "artifact_pull" {
  for_each = var.environments

  project    = google_artifact_registry_repository.images.project
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:service-${data.google_project.environment[each.key].number}@serverless-robot-prod.iam.gserviceaccount.com"

  depends_on = [google_project_service.environment_run]
}

# ---- Deploy identity: project IAM limited to the roles the environment root grants ----
# roles/resourcemanager.projectIamAdmin alone would let the deploy account grant itself roles/owner. The
# condition (IAM documentation "Delegate role grants with conditions": api.getAttribute(
# 'iam.googleapis.com/modifiedGrantsByRole', []).hasOnly([...])) lets it add or remove only the listed roles.
resource "google_project_iam_member" "deploy_grant_limited" {
  for_each = var.environments

  project = each.value.project_id
  role    = "roles/resourcemanager.projectIamAdmin"
  member  = google_service_account.deploy[each.key].member

  condition {
    title       = "only-grants-${each.key}"
    description = "May grant or revoke only the roles the environment root grants at project level."
    expression  = "api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly(${jsonencode(var.deploy_grantable_roles)})"
  }
}

resource "google_kms_crypto_key_iam_member" "deploy_state_key" {
  for_each = var.environments

  crypto_key_id = google_kms_crypto_key.tofu_state[each.key].id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = google_service_account.deploy[each.key].member
}

# ---- Plan identity (read-only) ----

resource "google_service_account_iam_member" "plan_wif" {
  for_each = var.environments

  service_account_id = google_service_account.plan[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.environment/${local.plan_environments[each.key]}"
}

resource "google_project_iam_member" "plan" {
  for_each = {
    for pair in setproduct(keys(var.environments), var.plan_roles) : "${pair[0]}/${pair[1]}" => { env = pair[0], role = pair[1] }
  }

  project = var.environments[each.value.env].project_id
  role    = each.value.role
  member  = google_service_account.plan[each.value.env].member
}

# Reads its environment's state (never writes: plans run with -lock=false, so no lock object is created).
resource "google_storage_bucket_iam_member" "plan_state" {
  for_each = var.environments

  bucket = google_storage_bucket.state.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.plan[each.key].member

  condition {
    title       = "state-prefix-${each.key}"
    description = "Only objects under env/${each.key}/"
    expression  = local.state_prefix_condition[each.key]
  }
}

# The plan checks that each UDF object it is about to launch exists (modules/dataflow, data source).
resource "google_storage_bucket_iam_member" "plan_udf" {
  for_each = var.environments

  bucket = google_storage_bucket.udf[each.key].name
  role   = "roles/storage.objectViewer"
  member = google_service_account.plan[each.key].member
}

# Decrypts the state and encrypts the plan file it writes.
resource "google_kms_crypto_key_iam_member" "plan_state_key" {
  for_each = var.environments

  crypto_key_id = google_kms_crypto_key.tofu_state[each.key].id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = google_service_account.plan[each.key].member
}

# ---- SLO audit identity ----

resource "google_service_account_iam_member" "slo_audit_wif" {
  service_account_id = google_service_account.slo_audit.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.slo_audit/main"
}

resource "google_project_iam_member" "slo_audit" {
  for_each = var.environments

  project = each.value.project_id
  role    = "roles/monitoring.viewer"
  member  = google_service_account.slo_audit.member
}

# Operators run read-only plans from a workstation as the plan account (GOOGLE_IMPERSONATE_SERVICE_ACCOUNT).
resource "google_service_account_iam_member" "plan_impersonators" {
  for_each = {
    for pair in setproduct(keys(var.environments), var.plan_impersonators) : "${pair[0]}/${pair[1]}" => { env = pair[0], member = pair[1] }
  }

  service_account_id = google_service_account.plan[each.value.env].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = each.value.member
}

# The promotion's SLO gate runs with the SOURCE environment's plan identity and checks the TARGET's error
# budget (slo-gate `target-project-id`, docs/slos.md): dev's plan account reads staging's Cloud Monitoring,
# staging's reads prod's. Read-only, and only on the next environment of the promotion path.
resource "google_project_iam_member" "plan_reads_target_monitoring" {
  for_each = {
    for source, target in { dev = "staging", staging = "prod" } : source => target
    if contains(keys(var.environments), source) && contains(keys(var.environments), target)
  }

  project = var.environments[each.value].project_id
  role    = "roles/monitoring.viewer"
  member  = google_service_account.plan[each.key].member
}
