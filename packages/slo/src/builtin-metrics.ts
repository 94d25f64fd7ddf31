/**
 * The built-in Cloud Monitoring metrics this project reads (SLOs, alerts, dashboard), recorded with their
 * kind, value type and visibility delay. Source: Google Cloud "Google Cloud metrics" lists
 * (cloud.google.com/monitoring/api/metrics_gcp, pages "metrics_gcp_a_b ... metrics_gcp_p_z"), whose
 * entries read "Sampled every 60 seconds. After sampling, data is not visible for up to N seconds"; the
 * mirror of that list consulted here (documentation.s3ns.fr/monitoring/api/metrics_gcp_p_z, generated
 * 2026-02-12) gives N = 120 s for the Pub/Sub metrics it showed. The exact N of each metric below could not
 * be read here, so every one uses 240 s: above the listed values, and the delay Google's own Pub/Sub
 * autoscaling sample waits before reading ack and publish counts. Confirm against the live lists when
 * they change (docs/slos.md, "Ingestion delay").
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

const PUBSUB = "Google Cloud metrics, Pub/Sub (cloud.google.com/monitoring/api/metrics_gcp_p_z#gcp-pubsub)";
const DATAFLOW =
  "Google Cloud metrics, Dataflow (cloud.google.com/monitoring/api/metrics_gcp_d_h#gcp-dataflow)";
const DELAY = 240;

export const BUILTIN_METRICS: readonly BuiltinMetric[] = [
  {
    type: "pubsub.googleapis.com/topic/send_message_operation_count",
    resourceType: "pubsub_topic",
    metricKind: "DELTA",
    valueType: "INT64",
    visibilityDelaySeconds: DELAY,
    source: PUBSUB,
  },
  {
    type: "pubsub.googleapis.com/subscription/ack_message_count",
    resourceType: "pubsub_subscription",
    metricKind: "DELTA",
    valueType: "INT64",
    visibilityDelaySeconds: DELAY,
    source: PUBSUB,
  },
  {
    type: "pubsub.googleapis.com/subscription/num_undelivered_messages",
    resourceType: "pubsub_subscription",
    metricKind: "GAUGE",
    valueType: "INT64",
    visibilityDelaySeconds: DELAY,
    source: PUBSUB,
  },
  {
    type: "pubsub.googleapis.com/subscription/oldest_unacked_message_age",
    resourceType: "pubsub_subscription",
    metricKind: "GAUGE",
    valueType: "INT64",
    visibilityDelaySeconds: DELAY,
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
];

/** The recorded built-in metric of `type`, or undefined. */
export const builtinMetric = (type: string): BuiltinMetric | undefined =>
  BUILTIN_METRICS.find((m) => m.type === type);
