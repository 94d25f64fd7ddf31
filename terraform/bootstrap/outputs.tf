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
