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
  description = "Environments to create identities for, keyed by name (`dev`, `staging`, `prod`). `github_environment` is the GitHub Actions environment whose jobs may impersonate the deploy service account, and only from `refs/heads/main` (protect staging/prod with required reviewers there); `plan_github_environment` (default `<name>-plan`) is the one whose jobs may impersonate the read-only plan service account. `deploy_roles` are granted on the environment project; each is explained in README.md (\"Deploy identity: why each role\")."
  type = map(object({
    project_id              = string
    github_environment      = string
    plan_github_environment = optional(string)
    deploy_roles = optional(list(string), [
      "roles/bigquery.admin",
      "roles/cloudscheduler.admin",
      "roles/compute.networkAdmin",
      "roles/compute.securityAdmin",
      "roles/dataflow.admin",
      "roles/iam.serviceAccountAdmin",
      "roles/monitoring.editor",
      "roles/pubsub.admin",
      "roles/run.admin",
      "roles/secretmanager.admin",
      "roles/serviceusage.serviceUsageAdmin",
      "roles/storage.admin",
    ])
  }))

  validation {
    condition     = alltrue([for k in keys(var.environments) : contains(keys(jsondecode(file("${path.module}/../../packages/platform/generated/terraform-platform.json")).environments), k)])
    error_message = "Environment keys must be cloud environments declared in packages/platform/platform.ts (dev, staging, prod as shipped)."
  }

  validation {
    condition = alltrue([for e in values(var.environments) : !anytrue([for r in e.deploy_roles : contains([
      "roles/owner", "roles/editor", "roles/resourcemanager.projectIamAdmin", "roles/iam.securityAdmin", "roles/iam.serviceAccountUser",
    ], r)])])
    error_message = "deploy_roles must not contain owner, editor, project-wide IAM admin or project-wide serviceAccountUser: project IAM is granted through deploy_grantable_roles, actAs per service account by the modules."
  }
}

variable "deploy_grantable_roles" {
  description = "The only roles the deploy identity may grant or revoke on its environment project (roles/resourcemanager.projectIamAdmin with an IAM condition on iam.googleapis.com/modifiedGrantsByRole). These are the project-level roles the environment root grants to the service accounts it creates."
  type        = list(string)
  default = [
    "roles/bigquery.jobUser",
    "roles/dataflow.worker",
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
  ]

  validation {
    condition     = length(setintersection(toset(var.deploy_grantable_roles), toset(["roles/owner", "roles/editor", "roles/resourcemanager.projectIamAdmin", "roles/iam.securityAdmin", "roles/iam.serviceAccountAdmin", "roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator"]))) == 0
    error_message = "deploy_grantable_roles must not include roles that would let the deploy identity escalate its own privileges."
  }
}

variable "plan_roles" {
  description = "Read-only roles of the plan identity on its environment project: enough for `tofu plan` to refresh every resource and its IAM, no Secret Manager access and no writes. roles/viewer also reads BigQuery rows (datasets' default projectReaders access) and Dataflow job parameters; see docs/forking.md \"What the plan identity can read\"."
  type        = list(string)
  default     = ["roles/viewer", "roles/iam.securityReviewer"]

  validation {
    condition     = alltrue([for r in var.plan_roles : can(regex("(viewer|Viewer|securityReviewer)$", r))])
    error_message = "plan_roles must be viewer-type roles."
  }
}

variable "state_bucket_name" {
  description = "Name of the Terraform state bucket; null takes the declaration's name (`<admin_project_id>-<app>-tfstate`, packages/platform)."
  type        = string
  default     = null
}

variable "kms_key_name" {
  description = "Optional Cloud KMS key for CMEK on the state and artifact buckets and the image repository (same location as `region`; the Cloud Storage and Artifact Registry service agents need roles/cloudkms.cryptoKeyEncrypterDecrypter on it); null uses Google-managed keys."
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

variable "plan_impersonators" {
  description = "Principals (e.g. `group:platform@example.com`) allowed to impersonate the read-only plan service accounts, to run `tofu plan` from a workstation (state and plans are encrypted with keys only the plan and deploy accounts can use). Nobody impersonates the deploy accounts: changes go through promotions."
  type        = list(string)
  default     = []

  validation {
    condition     = length(setintersection(toset(var.plan_impersonators), toset(["allUsers", "allAuthenticatedUsers"]))) == 0
    error_message = "plan_impersonators must not be public."
  }
}

variable "release_retention_days" {
  description = "Days every object of the releases bucket is kept unchanged (retention policy: no delete, no overwrite, by anyone). Cover the oldest release you may roll back to."
  type        = number
  default     = 365

  validation {
    condition     = var.release_retention_days >= 1 && var.release_retention_days * 86400 < 3155760000
    error_message = "release_retention_days must be at least 1 and under 100 years (Cloud Storage retention period limit: < 3,155,760,000 s)."
  }
}

variable "lock_release_retention" {
  description = "Lock the releases bucket's retention policy (irreversible: it can then never be shortened or removed, nor the bucket deleted before its objects expire)."
  type        = bool
  default     = false
}
