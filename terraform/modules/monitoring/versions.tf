terraform {
  # Ephemeral variables and write-only arguments (the Slack token): OpenTofu / Terraform >= 1.11.
  required_version = ">= 1.11.0"

  required_providers {
    google = {
      # >= 7.19.0: sensitive_labels.auth_token_wo of google_monitoring_notification_channel.
      source  = "hashicorp/google"
      version = ">= 7.19.0, < 9.0.0"
    }
  }
}
