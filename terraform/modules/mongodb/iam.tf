resource "google_secret_manager_secret_iam_member" "uri_accessor" {
  for_each = toset(var.secret_accessor_members)

  project   = var.project_id
  secret_id = google_secret_manager_secret.this["uri"].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value
}

resource "google_secret_manager_secret_iam_member" "password_accessor" {
  for_each = toset(var.secret_accessor_members)

  project   = var.project_id
  secret_id = google_secret_manager_secret.this["password"].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value
}
