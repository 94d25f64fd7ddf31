/**
 * Every default of the terraform-plan action, in one commented place. The apply action and the policies
 * (policies/terraform/data.json) use the same values; a test keeps them in step.
 */

/** GitHub rejects an issue comment body longer than 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * Size budget of a rendered comment, in UTF-8 bytes (stricter than GitHub's character count, so a plan full
 * of non-ASCII text still fits), leaving room for the marker and a safety margin.
 */
export const COMMENT_BUDGET = 65_000;

/** A job summary may hold 1 MiB per step; keep a margin. */
export const SUMMARY_BUDGET = 1_000_000;

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

/** Longest string value printed in the diff before it is shortened. */
export const MAX_VALUE_CHARS = 240;

/** Rows of policy verdicts listed in the comment before "and N more". */
export const MAX_POLICY_ROWS = 50;

/** Prefix of the pull-request label that allows destroying data stores in one environment. */
export const ALLOW_DESTROY_LABEL_PREFIX = "allow-destroy:";

/** Hidden marker that identifies this action's comment for one environment. */
export const MARKER_PREFIX = "shopstream:terraform-plan";
