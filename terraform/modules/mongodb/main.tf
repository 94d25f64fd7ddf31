# MongoDB Atlas on Google Cloud: project, cluster, database user, Private Service Connect.
# No IP access list entry is created: the cluster is reachable only through the PSC endpoint.

resource "mongodbatlas_project" "this" {
  name                         = var.atlas_project_name
  org_id                       = var.atlas_org_id
  with_default_alerts_settings = true
  tags                         = var.labels
}

resource "mongodbatlas_advanced_cluster" "this" {
  project_id                     = mongodbatlas_project.this.id
  name                           = var.cluster_name
  cluster_type                   = "REPLICASET"
  mongo_db_major_version         = var.mongodb_major_version
  backup_enabled                 = var.backup_enabled
  pit_enabled                    = var.backup_enabled
  termination_protection_enabled = var.termination_protection_enabled
  tags                           = var.labels

  replication_specs = [
    {
      region_configs = [
        {
          provider_name = "GCP"
          region_name   = var.atlas_region_name
          priority      = 7
          electable_specs = {
            instance_size = var.instance_size
            node_count    = var.node_count
          }
        }
      ]
    }
  ]

  advanced_configuration = {
    minimum_enabled_tls_protocol = "TLS1_2"
    javascript_enabled           = false
  }
}

# ---- Private Service Connect (port-mapped architecture: one endpoint instead of 50) ----

resource "mongodbatlas_privatelink_endpoint" "this" {
  project_id           = mongodbatlas_project.this.id
  provider_name        = "GCP"
  region               = var.region
  port_mapping_enabled = true
}

resource "google_compute_address" "psc" {
  project      = var.project_id
  name         = var.psc_endpoint_name
  region       = var.region
  subnetwork   = var.subnetwork_self_link
  address_type = "INTERNAL"
  address      = var.psc_endpoint_address
  labels       = var.labels

  depends_on = [mongodbatlas_privatelink_endpoint.this]
}

resource "google_compute_forwarding_rule" "psc" {
  project               = var.project_id
  name                  = var.psc_endpoint_name
  region                = var.region
  network               = var.network_self_link
  ip_address            = google_compute_address.psc.id
  target                = mongodbatlas_privatelink_endpoint.this.service_attachment_names[0]
  load_balancing_scheme = ""
  labels                = var.labels
}

# Port-mapped architecture: endpoint_service_id is the forwarding rule's name and private_endpoint_ip_address its
# IP; the `endpoints {}` block belongs to the legacy one-endpoint-per-node architecture and the provider refuses
# both together (mongodb/terraform-provider-mongodbatlas@468253dbf681e3de490d5c8c1fced537a66e2ae9 (v2.16.0):
# internal/service/privatelinkendpointservice/resource.go, ConflictsWith; examples/mongodbatlas_privatelink_endpoint/gcp-port-mapped).
resource "mongodbatlas_privatelink_endpoint_service" "this" {
  project_id                  = mongodbatlas_privatelink_endpoint.this.project_id
  private_link_id             = mongodbatlas_privatelink_endpoint.this.private_link_id
  provider_name               = "GCP"
  endpoint_service_id         = google_compute_forwarding_rule.psc.name
  private_endpoint_ip_address = google_compute_address.psc.address
  gcp_project_id              = var.project_id
}

# Connection strings for private endpoints appear on the cluster only once the endpoint service is up.
data "mongodbatlas_advanced_cluster" "this" {
  project_id = mongodbatlas_privatelink_endpoint_service.this.project_id
  name       = mongodbatlas_advanced_cluster.this.name

  depends_on = [mongodbatlas_privatelink_endpoint_service.this]
}

locals {
  private_srv = try([
    for pe in data.mongodbatlas_advanced_cluster.this.connection_strings.private_endpoint : pe.srv_connection_string
    if contains([for e in pe.endpoints : e.endpoint_id], mongodbatlas_privatelink_endpoint_service.this.endpoint_service_id)
  ][0], null)

  # mongodb+srv://user:password@host/db?options
  connection_uri = local.private_srv == null ? null : format(
    "%s://%s:%s@%s/%s?retryWrites=true&w=majority&authSource=admin",
    split("://", local.private_srv)[0],
    urlencode(mongodbatlas_database_user.ingestion.username),
    urlencode(random_password.database_user.result),
    split("://", local.private_srv)[1],
    var.database_name,
  )

  # The jobs user's URI: reads only, so no write options.
  jobs_connection_uri = local.private_srv == null ? null : format(
    "%s://%s:%s@%s/%s?authSource=admin",
    split("://", local.private_srv)[0],
    urlencode(mongodbatlas_database_user.jobs.username),
    urlencode(random_password.jobs_user.result),
    split("://", local.private_srv)[1],
    var.database_name,
  )
}

# ---- Database user: password generated here, stored in Secret Manager ----

resource "random_password" "database_user" {
  length  = 40
  special = false

  # Rotation: nobody can run `tofu apply -replace` (only CI holds the deploy identity), so a pull request
  # that raises password_generation is the way to a new password; promotions carry it through.
  keepers = {
    generation = tostring(var.password_generation)
  }
}

resource "mongodbatlas_database_user" "ingestion" {
  project_id         = mongodbatlas_project.this.id
  username           = var.database_username
  password           = random_password.database_user.result
  auth_database_name = "admin"

  roles {
    role_name     = "readWrite"
    database_name = var.database_name
  }

  scopes {
    name = mongodbatlas_advanced_cluster.this.name
    type = "CLUSTER"
  }
}

# Read-only user of the scheduled jobs (reconciliation, SLI exporter), so that they never hold the ingestion
# user's readWrite credentials. Roles (mongodb/terraform-provider-mongodbatlas@468253dbf681e3de490d5c8c1fced537a66e2ae9:
# internal/service/databaseuser/resource_database_user.go, `roles` block with role_name and database_name;
# tools/codegen/atlasapispec/multi-version-api-spec.flattened.yml, DatabaseUserRole.roleName: read, clusterMonitor):
#   read            on the database: reconciliation counts the raw collection
#   clusterMonitor  on admin: the SLI exporter reads serverStatus connections (MongoDB built-in roles)
resource "random_password" "jobs_user" {
  length  = 40
  special = false

  keepers = {
    generation = tostring(var.password_generation)
  }
}

resource "mongodbatlas_database_user" "jobs" {
  project_id         = mongodbatlas_project.this.id
  username           = var.jobs_database_username
  password           = random_password.jobs_user.result
  auth_database_name = "admin"

  roles {
    role_name     = "read"
    database_name = var.database_name
  }

  roles {
    role_name     = "clusterMonitor"
    database_name = "admin"
  }

  scopes {
    name = mongodbatlas_advanced_cluster.this.name
    type = "CLUSTER"
  }
}

# ---- Secrets: the ingestion user's password and URI, the jobs user's URI ----

locals {
  # Keys name the secrets (var.secret_ids) and select the value stored in each.
  secret_values = {
    password = random_password.database_user.result
    uri      = local.connection_uri
    jobs_uri = local.jobs_connection_uri
  }
}

resource "google_secret_manager_secret" "this" {
  for_each = toset(keys(local.secret_values))

  project   = var.project_id
  secret_id = var.secret_ids[each.key]
  labels    = var.labels

  replication {
    user_managed {
      replicas {
        location = var.region
        dynamic "customer_managed_encryption" {
          for_each = var.secret_kms_key_name == null ? [] : [var.secret_kms_key_name]
          content {
            kms_key_name = customer_managed_encryption.value
          }
        }
      }
    }
  }
}

resource "google_secret_manager_secret_version" "this" {
  for_each = google_secret_manager_secret.this

  secret      = each.value.id
  secret_data = local.secret_values[each.key]

  lifecycle {
    precondition {
      condition     = local.secret_values[each.key] != null
      error_message = "The cluster has no private-endpoint connection string for this PSC endpoint yet; re-run apply once the endpoint service is AVAILABLE."
    }
  }
}

# Addresses of the first version, before the secrets shared one definition.
moved {
  from = google_secret_manager_secret.password
  to   = google_secret_manager_secret.this["password"]
}

moved {
  from = google_secret_manager_secret_version.password
  to   = google_secret_manager_secret_version.this["password"]
}

moved {
  from = google_secret_manager_secret.uri
  to   = google_secret_manager_secret.this["uri"]
}

moved {
  from = google_secret_manager_secret_version.uri
  to   = google_secret_manager_secret_version.this["uri"]
}
