/**
 * Terraform facts the plan and apply actions share: which resource types hold data, and which values are
 * always masked.
 */

/**
 * Resource types holding data that a destroy or replace loses: flagged at the top of the comment and denied by
 * policy `stateful_destroy` unless the override label is set.
 */
export const STATEFUL_TYPES: readonly string[] = [
  "google_bigquery_dataset",
  "google_bigquery_table",
  "google_pubsub_subscription",
  "google_pubsub_topic",
  "google_storage_bucket",
  "google_secret_manager_secret",
  "google_kms_crypto_key",
  "mongodbatlas_cluster",
  "mongodbatlas_advanced_cluster",
  "mongodbatlas_project",
];

/**
 * Attribute names whose values are masked in the diff even when the provider does not mark them sensitive
 * (defence in depth; Terraform's own sensitivity marks are always honoured).
 */
export const SECRET_ATTRIBUTE =
  /(^|_)(password|passwd|token|private_key|credentials?|client_secret|secret_key|api_key)$/i;

/** Values always masked: URLs carrying a password (`scheme://user:password@host`), e.g. MongoDB URIs. */
export const ALWAYS_MASKED: readonly RegExp[] = [/[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i];
