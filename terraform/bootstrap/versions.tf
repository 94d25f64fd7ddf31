terraform {
  required_version = ">= 1.6.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 8.0"
    }
  }

  # First apply runs with local state; then uncomment, fill `bucket` with the state_bucket output and run
  # `tofu init -migrate-state` (see README.md).
  # backend "gcs" {
  #   bucket = "<state_bucket output>"
  #   prefix = "bootstrap"
  # }
}
