/** The jobs' configuration, from the environment (Cloud Run job env vars; see README for the table). */
import { BIGQUERY, bool, GOOGLE_CLOUD, int, MONGODB, oneOf, PLATFORM_NAMES, str } from "@shopstream/config";

/** Local runs only: a plaintext Cloud Monitoring gRPC endpoint (e.g. the testkit fake), host:port. */
const MONITORING_EMULATOR_HOST = str(
  "Cloud Monitoring gRPC endpoint override, host:port, plaintext (local fakes); 'none' for Google's API",
  "none",
);

export const RECONCILE_CONFIG = {
  ...GOOGLE_CLOUD,
  MONITORING_EMULATOR_HOST,
  MONGODB_URI: MONGODB.MONGODB_URI,
  MONGODB_DATABASE: MONGODB.MONGODB_DATABASE,
  MONGODB_COLLECTION: MONGODB.MONGODB_COLLECTION,
  MONGODB_DEADLETTER_COLLECTION: MONGODB.MONGODB_DEADLETTER_COLLECTION,
  BIGQUERY_EMULATOR_HOST: BIGQUERY.BIGQUERY_EMULATOR_HOST,
  BIGQUERY_DATASET: BIGQUERY.BIGQUERY_DATASET,
  BIGQUERY_LOCATION: BIGQUERY.BIGQUERY_LOCATION,
  DEPLOYMENT: str(
    "Name prefix of the deployment, written as the `deployment` metric label (packages/platform)",
    PLATFORM_NAMES.prefix,
  ),
  EVENTS_TABLE: str("The events table in BIGQUERY_DATASET", PLATFORM_NAMES.bigquery.eventsTable),
  DEAD_LETTER_MODE: oneOf(
    "Where dead letters are: `local` (the Node workers' MongoDB collection and BigQuery table) or `dataflow` (the templates' BigQuery dead-letter tables)",
    ["local", "dataflow"] as const,
    "local",
  ),
  INGESTION_DEADLETTER_TABLE: str(
    "Dataflow mode: the ingestion template's dead-letter table in BIGQUERY_DATASET",
    PLATFORM_NAMES.bigquery.deadLetterTables.ingestion,
  ),
  ANALYTICS_DEADLETTER_TABLE: str(
    "The analytics path's dead-letter table in BIGQUERY_DATASET",
    PLATFORM_NAMES.bigquery.deadLetterTables.analytics,
  ),
  STATE_TABLE: str(
    "Reconciliation state and audit table in BIGQUERY_DATASET (one row per window)",
    "reconciliation_state",
  ),
  CREATE_STATE_TABLE: bool(
    "Create the state table when missing (local runs; Terraform creates it in Google Cloud)",
    false,
  ),
  WINDOW_MINUTES: int("Window length in minutes (windows of event_time, aligned on UTC)", 5, 1, 1440),
  SETTLE_MINUTES: int(
    "Minutes after its end before a window is reconciled (in-flight events land first)",
    15,
    0,
    1440,
  ),
  MAX_WINDOWS_PER_RUN: int("Windows per run at most (a catch-up continues on the next run)", 48, 1, 2000),
  INITIAL_LOOKBACK_MINUTES: int("How far back the first run of a deployment starts", 60, 1, 10080),
  MISSING_SAMPLE_SIZE: int("Missing event_ids logged per window and store, for replay", 50, 0, 10000),
  WINDOW_PAUSE_MS: int(
    "Pause between windows (Cloud Monitoring takes one point per series per 5 s)",
    5000,
    0,
    60000,
  ),
};

export const EXPORT_CONFIG = {
  ...GOOGLE_CLOUD,
  MONITORING_EMULATOR_HOST,
  MONGODB_URI: MONGODB.MONGODB_URI,
  DEPLOYMENT: RECONCILE_CONFIG.DEPLOYMENT,
  SLO_DIR: str(
    "Directory of the SLO declarations (policies/slo); the container image ships a copy",
    "policies/slo",
  ),
  EXPORT_MONGODB_CONNECTIONS: bool(
    "Export MongoDB serverStatus connections (needs the clusterMonitor role on Atlas)",
    true,
  ),
  EXPORT_EVENT_LATENCY: bool(
    "Export the per-event latency (pipeline/event_latency) of each store from its published_at and processed_at stamps",
    true,
  ),
  EXPORT_BIGQUERY_LATENCY: bool(
    "Also export the BigQuery store's event latency (store=bigquery); no SLO reads it, and each run scans about LATENCY_EVENT_LOOKBACK_HOURS of events partitions, every minute",
    false,
  ),
  MONGODB_DATABASE: MONGODB.MONGODB_DATABASE,
  MONGODB_COLLECTION: MONGODB.MONGODB_COLLECTION,
  BIGQUERY_EMULATOR_HOST: BIGQUERY.BIGQUERY_EMULATOR_HOST,
  BIGQUERY_DATASET: BIGQUERY.BIGQUERY_DATASET,
  BIGQUERY_LOCATION: BIGQUERY.BIGQUERY_LOCATION,
  EVENTS_TABLE: RECONCILE_CONFIG.EVENTS_TABLE,
  LATENCY_EVENT_LOOKBACK_HOURS: int(
    "Latency reads consider events whose event_time is at most this many hours before their processing (bounds the BigQuery partitions and MongoDB event_ts range read every minute; at most 168, the acceptance window)",
    24,
    1,
    168,
  ),
};
