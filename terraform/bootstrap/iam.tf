locals {
  deploy_role_bindings = merge([
    for env, cfg in var.environments : {
      for role in cfg.deploy_roles : "${env}/${role}" => { env = env, project_id = cfg.project_id, role = role }
    }
  ]...)
}

# A workflow job may impersonate the deploy account of environment E only if it runs in GitHub
# environment E of this repository (GitHub puts `environment` in the token only for such jobs).
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
# Listing is a bucket-level permission, hence the resource.type clause.
resource "google_storage_bucket_iam_member" "deploy_state" {
  for_each = var.environments

  bucket = google_storage_bucket.state.name
  role   = "roles/storage.objectUser"
  member = google_service_account.deploy[each.key].member

  condition {
    title       = "state-prefix-${each.key}"
    description = "Only objects under env/${each.key}/"
    expression  = "resource.type == \"storage.googleapis.com/Bucket\" || resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.state.name}/objects/env/${each.key}/\")"
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
