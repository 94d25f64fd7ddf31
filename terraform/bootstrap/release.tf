# Releases (docs/decisions/0002-immutable-release-promotion.md): built once by .github/workflows/release.yml
# on main, read by every environment's promotion. Objects are never overwritten: the release identity can only
# create objects (roles/storage.objectCreator has no storage.objects.delete, which replacing an object needs),
# the action writes with ifGenerationMatch=0, and the bucket's retention policy keeps every object from being
# deleted or replaced until it is release_retention_days old, whoever asks (Cloud Storage "Bucket Lock":
# "objects in the bucket can only be deleted or replaced once their age is greater than the retention period";
# provider argument retention_policy.retention_period, hashicorp/terraform-provider-google@e03b762
# website/docs/r/storage_bucket.html.markdown). Versioning stays off: a retention policy already keeps the one
# version.

resource "google_storage_bucket" "releases" {
  #checkov:skip=CKV_GCP_62:Access logging is configurable through access_log_bucket; Cloud Audit Logs record reads.
  #checkov:skip=CKV_GCP_78:Versioning cannot be combined with a retention policy; the retention policy keeps every object unchanged.
  project                     = var.admin_project_id
  name                        = replace(local.platform.bootstrap.releases_bucket, "{project_id}", var.admin_project_id)
  location                    = var.region
  labels                      = local.labels
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  retention_policy {
    retention_period = var.release_retention_days * 86400
    # Locking is irreversible (the provider documentation's caution): lock it once the period is settled.
    is_locked = var.lock_release_retention
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
      log_object_prefix = "releases/"
    }
  }

  depends_on = [google_project_service.admin]
}

resource "google_service_account" "release" {
  project      = var.admin_project_id
  account_id   = local.platform.bootstrap.release_service_account
  display_name = "Release builder (${local.app_name})"
  description  = "Impersonated only by ${local.release_workflow} jobs in the `release` environment; creates releases and pushes the jobs image."
}

# Only jobs of release.yml as it exists on main, in the GitHub environment `release`: attribute.release is
# "main" only then (main.tf attribute_mapping; workflow_ref is the top-level workflow, so it also holds for
# the reusable reconciler-image.yml that release.yml calls).
resource "google_service_account_iam_member" "release_wif" {
  service_account_id = google_service_account.release.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.release/main"
}

resource "google_storage_bucket_iam_member" "release_create" {
  bucket = google_storage_bucket.releases.name
  role   = "roles/storage.objectCreator"
  member = google_service_account.release.member
}

# Reads back what exists (a re-run keeps the first release of a commit; an existing bundle must hold its hash).
resource "google_storage_bucket_iam_member" "release_read" {
  bucket = google_storage_bucket.releases.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.release.member
}

# The jobs image is built once per release, by the release identity (promotions push nothing).
resource "google_artifact_registry_repository_iam_member" "release_push" {
  project    = google_artifact_registry_repository.images.project
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.writer"
  member     = google_service_account.release.member
}

# Releases are read by the plan identity (promotions' dry-run publish; drift and pull-request plans, which plan
# the release running in each environment: manifest and bundles) and the deploy identity (publish). Read
# only, on this bucket only: roles/storage.objectViewer grants storage.objects.get and storage.objects.list
# (Cloud Storage IAM roles; the google-cloud-storage Java client's StorageRoles.objectViewer() lists the same).
resource "google_storage_bucket_iam_member" "releases_read" {
  for_each = {
    for pair in setproduct(keys(var.environments), ["plan", "deploy"]) : "${pair[0]}/${pair[1]}" => pair
  }

  bucket = google_storage_bucket.releases.name
  role   = "roles/storage.objectViewer"
  member = each.value[1] == "plan" ? google_service_account.plan[each.value[0]].member : google_service_account.deploy[each.value[0]].member
}
