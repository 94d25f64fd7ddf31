terraform {
  # OpenTofu >= 1.11: the Slack token is an ephemeral variable sent as a write-only argument (CI pins the
  # version in tools/terraform/install.sh). Terraform would ignore encryption.tofu: use OpenTofu.
  required_version = ">= 1.11.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 8.0"
    }
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "~> 8.0"
    }
    mongodbatlas = {
      source  = "mongodb/mongodbatlas"
      version = "~> 2.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }

  # Partial configuration: bucket and prefix come from environments/<env>.backend.hcl
  # (`tofu init -backend-config=environments/dev.backend.hcl`).
  backend "gcs" {}
}
