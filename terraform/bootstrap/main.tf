# One-time (per organisation) foundation: state bucket, GitHub OIDC trust, deploy identities per
# environment and per-environment UDF artifact buckets. Applied by a human with admin rights; everything
# after it is applied by CI as the deploy service accounts.

locals {
  # Names are declared once in packages/platform/platform.ts and generated into var.platform_file.
  platform          = jsondecode(file("${path.module}/${var.platform_file}"))
  app_name          = local.platform.app
  labels            = merge(var.labels, { app = local.app_name, managed-by = "terraform", component = "bootstrap" })
  state_bucket_name = coalesce(var.state_bucket_name, replace(local.platform.bootstrap.state_bucket, "{project_id}", var.admin_project_id))
}

resource "google_project_service" "admin" {
  for_each = toset([
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "sts.googleapis.com",
    "storage.googleapis.com",
    "cloudresourcemanager.googleapis.com",
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
  }

  # Only tokens minted for this repository (by immutable IDs, so a renamed or re-created repository with
  # the same name cannot impersonate it).
  attribute_condition = "assertion.repository_id == \"${var.github_repository_id}\" && assertion.repository_owner_id == \"${var.github_repository_owner_id}\""

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_service_account" "deploy" {
  for_each = var.environments

  project      = var.admin_project_id
  account_id   = local.platform.environments[each.key].bootstrap.deploy_service_account
  display_name = "Terraform deploy ${each.key} (${local.app_name})"
  description  = "Impersonated by GitHub Actions jobs of ${var.github_repository} running in the `${each.value.github_environment}` environment."
}
