output "state_bucket" {
  description = "Terraform state bucket; use it in environments/<env>.backend.hcl with prefix env/<env>."
  value       = google_storage_bucket.state.name
}

output "workload_identity_provider" {
  description = "Full provider name for google-github-actions/auth `workload_identity_provider`."
  value       = google_iam_workload_identity_pool_provider.github.name
}

output "deploy_service_accounts" {
  description = "Deploy service-account emails, keyed by environment (google-github-actions/auth `service_account`, and `deployer_service_account` in the environment tfvars)."
  value       = { for k, sa in google_service_account.deploy : k => sa.email }
}

output "udf_bucket_names" {
  description = "UDF artifact buckets, keyed by environment (`udf_bucket_name` in the environment tfvars)."
  value       = { for k, b in google_storage_bucket.udf : k => b.name }
}

output "plan_service_accounts" {
  description = "Read-only plan service-account emails, keyed by environment (the `PLAN_SERVICE_ACCOUNT` variable of the `<env>-plan` GitHub environments)."
  value       = { for k, sa in google_service_account.plan : k => sa.email }
}

output "slo_audit_service_account" {
  description = "SLO audit service-account email (repository variable `SLO_AUDIT_SERVICE_ACCOUNT`)."
  value       = google_service_account.slo_audit.email
}

output "state_encryption_keys" {
  description = "Cloud KMS key per environment for OpenTofu state and plan encryption (`state_encryption_key` in environments/<env>.tfvars)."
  value       = { for k, key in google_kms_crypto_key.tofu_state : k => key.id }
}

output "image_repository" {
  description = "Artifact Registry Docker repository of the scheduled jobs' image, `REGION-docker.pkg.dev/PROJECT/REPOSITORY` (repository variable `RECONCILER_IMAGE_REPOSITORY`, read by promote.yml)."
  value       = "${google_artifact_registry_repository.images.location}-docker.pkg.dev/${google_artifact_registry_repository.images.project}/${google_artifact_registry_repository.images.repository_id}"
}

output "releases_bucket_name" {
  description = "Write-once bucket of the releases (repository variable RELEASES_BUCKET)."
  value       = google_storage_bucket.releases.name
}

output "release_service_account" {
  description = "The release identity (environment `release` variable GCP_RELEASE_SERVICE_ACCOUNT): only release.yml on main can impersonate it."
  value       = google_service_account.release.email
}
