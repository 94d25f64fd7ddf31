# One-time (per organisation) foundation: state bucket, GitHub OIDC trust, deploy identities per
# environment and per-environment UDF artifact buckets. Applied by a human with admin rights; everything
# after it is applied by CI as the deploy service accounts.

locals {
  # Names are declared once in packages/platform/platform.ts and generated into var.platform_file.
  platform          = jsondecode(file("${path.module}/${var.platform_file}"))
  app_name          = local.platform.app
  labels            = merge(var.labels, { app = local.app_name, managed-by = "terraform", component = "bootstrap" })
  state_bucket_name = coalesce(var.state_bucket_name, replace(local.platform.bootstrap.state_bucket, "{project_id}", var.admin_project_id))
  plan_environments = { for env, cfg in var.environments : env => coalesce(cfg.plan_github_environment, "${env}-plan") }
  # GitHub environments whose jobs impersonate a deploy identity: their tokens are accepted only from main.
  deploy_environments = [for cfg in values(var.environments) : cfg.github_environment]
  slo_audit_workflow  = "${var.github_repository}/.github/workflows/slo-audit.yml@refs/heads/main"
  release_workflow    = "${var.github_repository}/.github/workflows/release.yml@refs/heads/main"
}

# serviceusage: the deploy and plan accounts live here, and Service Usage calls on the environment projects
# (google_project_service) require the API enabled in the caller's own project (hashicorp/terraform-provider-google
# issue #7660); terraform/test/bootstrap-apis.test.ts.
resource "google_project_service" "admin" {
  for_each = toset([
    "serviceusage.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "sts.googleapis.com",
    "storage.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "cloudkms.googleapis.com",
    "artifactregistry.googleapis.com",
  ])

  project            = var.admin_project_id
  service            = each.value
  disable_on_destroy = false
}

resource "google_storage_bucket" "state" {
  #checkov:skip=CKV_GCP_62:Access logging is configurable through access_log_bucket; Cloud Audit Logs (Data Access) are the primary audit trail for state reads.
  project                     = var.admin_project_id
  name                        = local.state_bucket_name
  location                    = var.region
  labels                      = local.labels
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  # Keep 30 non-current state versions' worth of history, then clean up.
  lifecycle_rule {
    condition {
      num_newer_versions = 30
      with_state         = "ARCHIVED"
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

  dynamic "logging" {
    for_each = var.access_log_bucket == null ? [] : [var.access_log_bucket]
    content {
      log_bucket        = logging.value
      log_object_prefix = "state/"
    }
  }

  depends_on = [google_project_service.admin]
}

# One UDF artifact bucket per environment, in the environment's project: the template-build action uploads
# content-addressed UDF files; promotion copies the same object to the next environment's bucket.
resource "google_storage_bucket" "udf" {
  #checkov:skip=CKV_GCP_62:Access logging is configurable through access_log_bucket; Cloud Audit Logs record reads.
  for_each = var.environments

  project                     = each.value.project_id
  name                        = replace(local.platform.environments[each.key].bootstrap.udf_bucket, "{project_id}", each.value.project_id)
  location                    = var.region
  labels                      = merge(local.labels, { environment = each.key })
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  dynamic "encryption" {
    for_each = var.kms_key_name == null ? [] : [var.kms_key_name]
    content {
      default_kms_key_name = encryption.value
    }
  }

  dynamic "logging" {
    for_each = var.access_log_bucket == null ? [] : [var.access_log_bucket]
    content {
      log_bucket        = logging.value
      log_object_prefix = "udf-${each.key}/"
    }
  }
}

# The scheduled jobs' container image (apps/reconciler), one repository for every environment: promote.yml
# pushes it with the target's deploy identity and the environment root deploys it pinned by digest. Each
# environment's Cloud Run service agent pulls it across projects (iam.tf, artifact_pull).
resource "google_artifact_registry_repository" "images" {
  project       = var.admin_project_id
  location      = var.region
  repository_id = local.platform.bootstrap.image_repository
  format        = "DOCKER"
  description   = "Container images of ${local.app_name}'s scheduled Cloud Run jobs (apps/reconciler), pushed by promote.yml."
  labels        = local.labels
  kms_key_name  = var.kms_key_name

  depends_on = [google_project_service.admin]
}

# Cloud Run's service agent of an environment project exists once the Cloud Run API is enabled there; the
# environment root enables it too, but bootstrap grants the agent pull access before the root's first apply.
resource "google_project_service" "environment_run" {
  for_each = var.environments

  project            = each.value.project_id
  service            = "run.googleapis.com"
  disable_on_destroy = false
}

data "google_project" "environment" {
  for_each = var.environments

  project_id = each.value.project_id
}

resource "google_iam_workload_identity_pool" "github" {
  project                   = var.admin_project_id
  workload_identity_pool_id = local.platform.bootstrap.workload_identity_pool
  display_name              = "GitHub Actions (${local.app_name})"
  description               = "OIDC tokens of GitHub Actions workflows in ${var.github_repository}."

  depends_on = [google_project_service.admin]
}

resource "google_iam_workload_identity_pool_provider" "github" {
  #checkov:skip=CKV_GCP_125:The condition pins the immutable repository_id and repository_owner_id instead of an `assertion.sub ==` name match (which a repository rename or re-creation defeats and which cannot cover several environments); per-environment access is enforced by the attribute.environment principalSet on each deploy service account (iam.tf).
  project                            = var.admin_project_id
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = "github-oidc"
  display_name                       = "GitHub OIDC"

  attribute_mapping = {
    "google.subject"             = "assertion.sub"
    "attribute.repository"       = "assertion.repository"
    "attribute.repository_id"    = "assertion.repository_id"
    "attribute.repository_owner" = "assertion.repository_owner"
    "attribute.environment"      = "assertion.environment"
    "attribute.ref"              = "assertion.ref"
    "attribute.workflow_ref"     = "assertion.job_workflow_ref"
    # `main` only for the SLO audit workflow as it exists on main; the audit account is bound to this value.
    "attribute.slo_audit" = "assertion.job_workflow_ref == \"${local.slo_audit_workflow}\" ? \"main\" : \"other\""
    # `main` only for jobs of release.yml on main running in the `release` environment (the release identity).
    "attribute.release" = "assertion.workflow_ref == \"${local.release_workflow}\" && has(assertion.environment) && assertion.environment == \"release\" ? \"main\" : \"other\""
  }

  # Only tokens minted for this repository (by immutable IDs, so a renamed or re-created repository with
  # the same name cannot impersonate it), and a job running in a deploy environment only from main: a branch
  # or pull request that a deployment-branch rule misses still cannot obtain a deploy token.
  attribute_condition = join(" && ", [
    "assertion.repository_id == \"${var.github_repository_id}\"",
    "assertion.repository_owner_id == \"${var.github_repository_owner_id}\"",
    "(!has(assertion.environment) || !(assertion.environment in ${jsonencode(local.deploy_environments)}) || assertion.ref == \"refs/heads/main\")",
  ])

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_service_account" "deploy" {
  for_each = var.environments

  project      = var.admin_project_id
  account_id   = local.platform.environments[each.key].bootstrap.deploy_service_account
  display_name = "Terraform deploy ${each.key} (${local.app_name})"
  description  = "Impersonated by GitHub Actions jobs of ${var.github_repository} running in the `${each.value.github_environment}` environment on main."
}

# Read-only plan identity per environment: pull-request plans and drift run as this account. It can read
# the project's configuration and its own state, never write state or call Secret Manager. It is not
# secret-free: the state it decrypts holds the database password and URI, and roles/viewer reads BigQuery rows
# through the datasets' default projectReaders access (docs/forking.md, "What the plan identity can read").
resource "google_service_account" "plan" {
  for_each = var.environments

  project      = var.admin_project_id
  account_id   = local.platform.environments[each.key].bootstrap.plan_service_account
  display_name = "Terraform plan ${each.key} (${local.app_name}, read-only)"
  description  = "Impersonated by GitHub Actions jobs of ${var.github_repository} running in the `${local.plan_environments[each.key]}` environment (pull requests, drift)."
}

# SLO audit (workflow slo-audit.yml on main): reads Cloud Monitoring of every environment project.
resource "google_service_account" "slo_audit" {
  project      = var.admin_project_id
  account_id   = local.platform.bootstrap.slo_audit_service_account
  display_name = "SLO audit (${local.app_name}, read-only)"
  description  = "Impersonated by ${local.slo_audit_workflow}; roles/monitoring.viewer on each environment project."
}

# ---- State and plan encryption (OpenTofu `encryption {}` with key_provider "gcp_kms") ----
# One key per environment: only that environment's plan and deploy identities can use it, so the state or a
# plan file of prod is unreadable to dev's identities and to anyone who only has the bucket or the artifact.
resource "google_kms_key_ring" "tofu" {
  project  = var.admin_project_id
  name     = "${local.app_name}-tofu"
  location = var.region

  depends_on = [google_project_service.admin]
}

resource "google_kms_crypto_key" "tofu_state" {
  for_each = var.environments

  name            = "state-${each.key}"
  key_ring        = google_kms_key_ring.tofu.id
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = "7776000s" # 90 days; older versions stay usable for decryption
  labels          = merge(local.labels, { environment = each.key })

  lifecycle {
    prevent_destroy = true
  }
}
