/**
 * The built-in Cloud Monitoring metrics this project reads (SLOs, alerts, dashboard), recorded with their
 * kind, value type and visibility delay. Source: Google Cloud "Google Cloud metrics: P through Z"
 * (docs.cloud.google.com/monitoring/api/metrics_gcp_p_z, list generated 2026-04-10 19:48:34 UTC), whose
 * entries read "Sampled every 60 seconds. After sampling, data is not visible for up to N seconds":
 *   topic/send_message_operation_count            DELTA INT64   240 s (DEPRECATED there: "Apply a count
 *                                                  aggregator on topic/message_sizes instead", 181 s)
 *   subscription/ack_message_count                DELTA INT64   181 s
 *   subscription/num_undelivered_messages         GAUGE INT64   120 s
 *   subscription/oldest_unacked_message_age       GAUGE INT64   120 s
 * processing-success reads the first two, so it ends at now - 240 s (the larger). The Dataflow entries
 * ("Google Cloud metrics: D through H") could not be read here: 240 s is kept for them, unconfirmed.
 *
 * A metric referenced in terraform/ must be either here or in the custom-metric catalogue
 * (custom-metrics.ts); test/metrics.test.ts enforces it.
 */

/** One recorded built-in metric. */
export interface BuiltinMetric {
  type: string;
  resourceType: string;
  metricKind: "GAUGE" | "DELTA" | "CUMULATIVE";
  valueType: "BOOL" | "INT64" | "DOUBLE" | "DISTRIBUTION";
  /** Seconds after a sample's end time before it is guaranteed visible. */
  visibilityDelaySeconds: number;
  source: string;
}

const PUBSUB =
  "Google Cloud metrics: P through Z, pubsub (docs.cloud.google.com/monitoring/api/metrics_gcp_p_z, generated 2026-04-10)";
const DATAFLOW =
  "Google Cloud metrics, Dataflow (cloud.google.com/monitoring/api/metrics_gcp_d_h#gcp-dataflow)";
/** Dataflow: not read here (see above); kept conservative. */
const DELAY = 240;

export const BUILTIN_METRICS: readonly BuiltinMetric[] = [
  {
    type: "pubsub.googleapis.com/topic/send_message_operation_count",
    resourceType: "pubsub_topic",
    metricKind: "DELTA",
    valueType: "INT64",
    visibilityDelaySeconds: 240,
    source: PUBSUB,
  },
  {
    type: "pubsub.googleapis.com/subscription/ack_message_count",
    resourceType: "pubsub_subscription",
    metricKind: "DELTA",
    valueType: "INT64",
    visibilityDelaySeconds: 181,
    source: PUBSUB,
  },
  {
    type: "pubsub.googleapis.com/subscription/num_undelivered_messages",
    resourceType: "pubsub_subscription",
    metricKind: "GAUGE",
    valueType: "INT64",
    visibilityDelaySeconds: 120,
    source: PUBSUB,
  },
  {
    type: "pubsub.googleapis.com/subscription/oldest_unacked_message_age",
    resourceType: "pubsub_subscription",
    metricKind: "GAUGE",
    valueType: "INT64",
    visibilityDelaySeconds: 120,
    source: PUBSUB,
  },
  {
    type: "dataflow.googleapis.com/job/system_lag",
    resourceType: "dataflow_job",
    metricKind: "GAUGE",
    valueType: "INT64",
    visibilityDelaySeconds: DELAY,
    source: DATAFLOW,
  },
  {
    type: "dataflow.googleapis.com/job/data_watermark_age",
    resourceType: "dataflow_job",
    metricKind: "GAUGE",
    valueType: "INT64",
    visibilityDelaySeconds: DELAY,
    source: DATAFLOW,
  },
  {
    type: "dataflow.googleapis.com/job/is_failed",
    resourceType: "dataflow_job",
    metricKind: "GAUGE",
    valueType: "INT64",
    visibilityDelaySeconds: DELAY,
    source: DATAFLOW,
  },
  {
    // The dead-letter table alert (terraform/modules/monitoring/deadletter-alerts.tf); the list says "may
    // take up to 21720s to display", recorded as is.
    type: "bigquery.googleapis.com/storage/uploaded_row_count",
    resourceType: "bigquery_dataset",
    metricKind: "DELTA",
    valueType: "INT64",
    visibilityDelaySeconds: 21720,
    source: "Google Cloud metrics, BigQuery (cloud.google.com/monitoring/api/metrics_gcp_a_b#gcp-bigquery)",
  },
];

/** The recorded built-in metric of `type`, or undefined. */
export const builtinMetric = (type: string): BuiltinMetric | undefined =>
  BUILTIN_METRICS.find((m) => m.type === type);
