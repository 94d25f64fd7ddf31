terraform {
  required_version = ">= 1.6.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 7.0.0, < 9.0.0"
    }
    # google_dataflow_flex_template_job exists only in google-beta.
    google-beta = {
      source  = "hashicorp/google-beta"
      version = ">= 7.0.0, < 9.0.0"
    }
  }
}
