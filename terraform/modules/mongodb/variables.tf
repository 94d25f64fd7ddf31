variable "project_id" {
  description = "Google Cloud project holding the Private Service Connect endpoint and the secrets."
  type        = string
}

variable "region" {
  description = "Google Cloud region of the cluster and of the PSC endpoint (e.g. `europe-west1`); the Atlas region name is derived with atlas_region_name."
  type        = string
}

variable "atlas_org_id" {
  description = "MongoDB Atlas organization ID the project is created in."
  type        = string
}

variable "atlas_project_name" {
  description = "Name of the Atlas project, e.g. `shopstream-dev` (derived by packages/platform)."
  type        = string
}

variable "psc_endpoint_name" {
  description = "Name of the Private Service Connect address and forwarding rule, e.g. `shopstream-dev-atlas-psc` (derived by packages/platform)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", var.psc_endpoint_name))
    error_message = "psc_endpoint_name must be a Compute Engine name: 1-63 characters, [a-z]([-a-z0-9]*[a-z0-9])?."
  }
}

variable "secret_ids" {
  description = "Secret Manager secret IDs (derived by packages/platform): the ingestion user's `uri` and `password`, and `jobs_uri`, the read-only jobs user's URI."
  type = object({
    uri      = string
    password = string
    jobs_uri = string
  })

  validation {
    condition     = alltrue([for id in [var.secret_ids.uri, var.secret_ids.password, var.secret_ids.jobs_uri] : can(regex("^[A-Za-z0-9_-]{1,255}$", id))])
    error_message = "Secret IDs have at most 255 letters, digits, hyphens or underscores (Secret Manager CreateSecretRequest.secret_id)."
  }
}

variable "atlas_region_name" {
  description = "Atlas name of the Google Cloud region (e.g. `WESTERN_EUROPE` for europe-west1, `CENTRAL_US` for us-central1)."
  type        = string
}

variable "cluster_name" {
  description = "Name of the Atlas cluster."
  type        = string
  default     = "shopstream"
}

variable "password_generation" {
  description = "Raise by one to rotate the passwords of both database users, ingestion and jobs (new random_passwords, Secret Manager versions and Dataflow parameter follow in the same apply; the jobs read the new URI at their next start)."
  type        = number
  default     = 1

  validation {
    condition     = var.password_generation >= 1 && floor(var.password_generation) == var.password_generation
    error_message = "password_generation must be a positive whole number."
  }
}

variable "instance_size" {
  description = "Atlas instance size of the electable nodes (M10 or larger: Private Service Connect is not available on shared/flex tiers)."
  type        = string
  default     = "M10"

  validation {
    condition     = can(regex("^M[1-9][0-9]+$", var.instance_size))
    error_message = "instance_size must be a dedicated tier (M10 or larger)."
  }
}

variable "node_count" {
  description = "Electable nodes of the replica set (3, 5 or 7)."
  type        = number
  default     = 3

  validation {
    condition     = contains([3, 5, 7], var.node_count)
    error_message = "node_count must be 3, 5 or 7."
  }
}

variable "mongodb_major_version" {
  description = "MongoDB major version of the cluster."
  type        = string
  default     = "8.0"
}

variable "backup_enabled" {
  description = "Enable Atlas cloud backups with point-in-time restore."
  type        = bool
  default     = true
}

variable "termination_protection_enabled" {
  description = "Protect the cluster from deletion (true in staging and prod)."
  type        = bool
  default     = true
}

variable "database_name" {
  description = "Database the pipeline writes to; the database user is granted readWrite on it only."
  type        = string
  default     = "shopstream"
}

variable "database_username" {
  description = "Name of the database user the ingestion pipeline authenticates as."
  type        = string
  default     = "shopstream-ingestion"
}

variable "jobs_database_username" {
  description = "Name of the read-only database user of the scheduled jobs (apps/reconciler): `read` on `database_name` (reconciliation counts the raw collection) and `clusterMonitor` on `admin` (the SLI exporter reads `serverStatus`)."
  type        = string
  default     = "shopstream-jobs"
}

variable "subnetwork_self_link" {
  description = "Subnetwork in which the PSC endpoint's internal address is reserved (the Dataflow workers' subnetwork)."
  type        = string
}

variable "network_self_link" {
  description = "VPC network of the PSC forwarding rule."
  type        = string
}

variable "psc_endpoint_address" {
  description = "Internal IP address reserved for the PSC endpoint; null lets Google pick one from the subnetwork."
  type        = string
  default     = null
}

variable "secret_accessor_members" {
  description = "Principals allowed to read the connection-URI and password secrets (besides Terraform itself), e.g. a reconciliation job's service account."
  type        = list(string)
  default     = []

  validation {
    condition     = length(setintersection(toset(var.secret_accessor_members), toset(["allUsers", "allAuthenticatedUsers"]))) == 0
    error_message = "Secrets are never public: allUsers / allAuthenticatedUsers are not allowed."
  }
}

variable "secret_kms_key_name" {
  description = "Optional Cloud KMS key (in `region`) for CMEK on the secrets; null uses Google-managed keys."
  type        = string
  default     = null
}

variable "labels" {
  description = "Labels applied to Google Cloud resources and as tags on the Atlas cluster."
  type        = map(string)
  default     = {}
}
