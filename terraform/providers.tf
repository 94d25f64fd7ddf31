provider "google" {
  project        = var.project_id
  region         = local.locations.region
  default_labels = local.labels
}

provider "google-beta" {
  project        = var.project_id
  region         = local.locations.region
  default_labels = local.labels
}

# Credentials come from the environment (MONGODB_ATLAS_CLIENT_ID / MONGODB_ATLAS_CLIENT_SECRET of an Atlas
# service account), never from variables or files.
provider "mongodbatlas" {}
