variable "admin_project_id" {
  description = "Project that holds the Terraform state bucket and the Workload Identity pool (a small platform/admin project, not an environment project)."
  type        = string
}

variable "region" {
  description = "Region of the state bucket and of the UDF artifact buckets."
  type        = string
}

variable "platform_file" {
  description = "Names of the platform and of every cloud environment, generated from packages/platform/platform.ts (`npm run generate:platform`). Never edit names here: edit the declaration."
  type        = string
  default     = "../../packages/platform/generated/terraform-platform.json"
}

variable "github_repository" {
  description = "GitHub repository (`owner/name`) whose workflows may deploy."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "github_repository_id" {
  description = "Numeric ID of the repository (immutable, unlike its name: `gh api repos/OWNER/NAME --jq .id`). The provider trusts tokens only from this ID."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+$", var.github_repository_id))
    error_message = "github_repository_id must be numeric."
  }
}

variable "github_repository_owner_id" {
  description = "Numeric ID of the repository owner (`gh api repos/OWNER/NAME --jq .owner.id`)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+$", var.github_repository_owner_id))
    error_message = "github_repository_owner_id must be numeric."
  }
}

variable "environments" {
  description = "Environments to create deploy identities for, keyed by name (`dev`, `staging`, `prod`). `github_environment` is the GitHub Actions environment whose jobs may impersonate the deploy service account (protect staging/prod with required reviewers there)."
  type = map(object({
    project_id         = string
    github_environment = string
    deploy_roles = optional(list(string), [
      "roles/bigquery.admin",
      "roles/compute.networkAdmin",
      "roles/compute.securityAdmin",
      "roles/dataflow.admin",
      "roles/iam.serviceAccountAdmin",
      "roles/iam.serviceAccountUser",
      "roles/logging.configWriter",
      "roles/monitoring.editor",
      "roles/pubsub.admin",
      "roles/resourcemanager.projectIamAdmin",
      "roles/secretmanager.admin",
      "roles/serviceusage.serviceUsageAdmin",
      "roles/storage.admin",
    ])
  }))

  validation {
    condition     = alltrue([for k in keys(var.environments) : contains(keys(jsondecode(file("${path.module}/../../packages/platform/generated/terraform-platform.json")).environments), k)])
    error_message = "Environment keys must be cloud environments declared in packages/platform/platform.ts (dev, staging, prod as shipped)."
  }
}

variable "state_bucket_name" {
  description = "Name of the Terraform state bucket; null takes the declaration's name (`<admin_project_id>-<app>-tfstate`, packages/platform)."
  type        = string
  default     = null
}

variable "kms_key_name" {
  description = "Optional Cloud KMS key for CMEK on the state and artifact buckets; null uses Google-managed keys."
  type        = string
  default     = null
}

variable "access_log_bucket" {
  description = "Optional bucket that receives usage/access logs of the state and artifact buckets; null disables bucket access logs (Cloud Audit Logs still record access)."
  type        = string
  default     = null
}

variable "labels" {
  description = "Labels applied to every resource."
  type        = map(string)
  default     = {}
}
