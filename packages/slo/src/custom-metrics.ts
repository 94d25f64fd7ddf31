/**
 * Every custom metric the project writes, declared once. The Terraform monitoring module creates one
 * `google_monitoring_metric_descriptor` per entry (policies/slo/generated/terraform-custom-metrics.json,
 * written by packages/slo/scripts/generate.ts), and every writer (the SLI exporter here, apps/reconciler)
 * builds its time series through `customTimeSeries`, which refuses labels, kinds and values the descriptor
 * would not accept. Cloud Monitoring refuses an SLO or alert whose filter names a metric with no
 * descriptor, so the descriptors must exist before the SLOs (docs/slos.md, "Custom metrics").
 *
 * Kinds (Cloud Monitoring "Value types and metric kinds", supported combinations table): user-defined
 * (custom.googleapis.com) metrics cannot be DELTA; a request-based `distribution_cut` SLO needs a
 * DISTRIBUTION that is DELTA or CUMULATIVE (hashicorp/terraform-provider-google
 * website/docs/r/monitoring_slo.html.markdown, `distribution_filter`). So the latency distribution is
 * CUMULATIVE, and each write starts a new interval (a reset): start = 1 ms after the window's start, end =
 * its end. A reset's new start must be at least a millisecond after the previous point's end (Cloud
 * Monitoring API reference, TimeInterval), and back-to-back windows share that instant.
 */

import type { protos } from "@google-cloud/monitoring";
import { EVENT_LATENCY_BOUNDS_SECONDS } from "./buckets";

type TimeSeries = protos.google.monitoring.v3.ITimeSeries;

/** One label of a custom metric (all are STRING here). */
export interface CustomMetricLabel {
  key: string;
  description: string;
  /** Allowed values; undefined = any non-empty string. `{name_prefix}` is the environment's prefix. */
  values?: readonly string[];
}

/** One custom metric descriptor. */
export interface CustomMetric {
  type: string;
  displayName: string;
  description: string;
  metricKind: "GAUGE" | "CUMULATIVE";
  valueType: "BOOL" | "INT64" | "DOUBLE" | "DISTRIBUTION";
  /** UCUM unit as Cloud Monitoring takes it (`1` for counts, `s` for seconds); "" for BOOL. */
  unit: string;
  labels: readonly CustomMetricLabel[];
  /** Who writes it (docs and the metrics test). */
  writer: string;
  /** How often a point is written, and how long after its end time it is written (worst case). */
  samplePeriodSeconds: number;
  /** Delay between a point's end time and its visibility: the writer's own lag plus ingestion. */
  ingestDelaySeconds: number;
  /**
   * Writers that wait before writing a minute (the latency exporter): the run at or after the minute's
   * end + this writes it. ingestDelaySeconds is derived from it (writerDelay), never declared apart.
   */
  writeAfterSeconds?: number;
  /** DISTRIBUTION only: the explicit bucket bounds every writer uses (a distribution_cut range must sit on them). */
  bucketBounds?: readonly number[];
}

const DEPLOYMENT: CustomMetricLabel = {
  key: "deployment",
  description: "Environment resource-name prefix, e.g. shopstream-prod.",
};
const STORE: CustomMetricLabel = {
  key: "store",
  description: "Which store the figure is about: mongodb (raw events) or bigquery (warehouse events).",
  values: ["mongodb", "bigquery"],
};

/**
 * The SLI exporter (apps/reconciler export-slis) runs once a minute; a run that wants to write a minute
 * may start up to a period late, take up to a minute, and Cloud Monitoring may take a minute more to show
 * the point. So a minute the exporter writes `after` seconds after its end is visible to a reader, at the
 * latest, this long after its end (the metric's ingestDelaySeconds, the gate's visibility delay).
 */
export const SLI_EXPORTER_PERIOD_SECONDS = 60;
const EXPORTER_RUN_SECONDS = 60;
const INGESTION_SECONDS = 60;
export const writerDelay = (after: number): number =>
  after + SLI_EXPORTER_PERIOD_SECONDS + EXPORTER_RUN_SECONDS + INGESTION_SECONDS;

/** event_latency: the exporter writes a minute of processing time 900 s after it ends (every event processed in it has reached its store). */
export const EVENT_LATENCY_WRITE_AFTER_SECONDS = 900;

/**
 * A composite (overall availability) is scored this long after the newest minute all its components
 * show: the exporter scores it one minute behind its inputs (evaluate.ts evaluationEnd, load.ts).
 */
export const COMPOSITE_LAG_SECONDS = 60;

/** The availability verdict: written once its inputs are visible (event_latency's delay + the composite lag). */
const AVAILABLE_WRITE_AFTER_SECONDS = writerDelay(EVENT_LATENCY_WRITE_AFTER_SECONDS) + COMPOSITE_LAG_SECONDS;

/** A per-window count written by the reconciliation job for each store. */
function reconciliationCount(name: string, displayName: string, description: string): CustomMetric {
  return {
    type: `custom.googleapis.com/shopstream/reconciliation/${name}`,
    displayName,
    description: `${description} Written per closed window by the reconciliation job (apps/reconciler).`,
    metricKind: "GAUGE",
    valueType: "INT64",
    unit: "1",
    labels: [DEPLOYMENT, STORE],
    writer: "reconciliation job (apps/reconciler)",
    samplePeriodSeconds: 300,
    ingestDelaySeconds: 900,
  };
}

/** The catalogue. Types are stable: dashboards, SLOs and alerts name them. */
export const CUSTOM_METRICS: readonly CustomMetric[] = [
  {
    type: "custom.googleapis.com/shopstream/mongodb/connections",
    displayName: "MongoDB open connections",
    description:
      "serverStatus().connections.current of the MongoDB cluster, written every minute by the SLI exporter (packages/slo exportMongoConnections); MongoDB Atlas has no native Cloud Monitoring metrics.",
    metricKind: "GAUGE",
    valueType: "INT64",
    unit: "1",
    labels: [DEPLOYMENT],
    writer: "SLI exporter (packages/slo/src/exporter.ts)",
    samplePeriodSeconds: 60,
    ingestDelaySeconds: 180,
  },
  {
    type: "custom.googleapis.com/shopstream/pipeline/available",
    displayName: "Pipeline available (per minute)",
    description:
      "Whether the minute was available to shops (policies/slo/overall-availability.yaml), written by the SLI exporter once the minute's inputs are visible.",
    metricKind: "GAUGE",
    valueType: "BOOL",
    unit: "",
    labels: [DEPLOYMENT],
    writer: "SLI exporter (packages/slo/src/exporter.ts)",
    samplePeriodSeconds: 60,
    // the exporter writes a minute once its inputs are visible (event_latency's delay + one minute)
    writeAfterSeconds: AVAILABLE_WRITE_AFTER_SECONDS,
    ingestDelaySeconds: writerDelay(AVAILABLE_WRITE_AFTER_SECONDS),
  },
  reconciliationCount(
    "missing_events",
    "Reconciliation: events missing from a store",
    "Distinct event_ids of a closed window that the other store holds and this store does not (lost writes; production has no list of what was published, so an event lost by both paths is not counted).",
  ),
  reconciliationCount(
    "extra_events",
    "Reconciliation: events a store holds that were not published",
    "Distinct event_ids of a closed window that this store holds and the other does not (the mirror of missing_events, kept as its own series so an alert names the store at fault).",
  ),
  reconciliationCount(
    "dead_lettered_events",
    "Reconciliation: events dead-lettered",
    "Events of a closed window that reached the store's dead-letter table or collection instead of the store.",
  ),
  {
    type: "custom.googleapis.com/shopstream/pipeline/event_latency",
    displayName: "Event latency, publish to stored",
    description:
      "Per-event latency, processed_at - published_at: published_at stamped by the publish library (apps/producer EventPublisher, or a shop's own publisher), processed_at by the store's transform (the Dataflow UDF) just before the sink writes, so a lower bound of publish-to-stored by the sink's write time. Explicit-bucket distribution (bounds in EVENT_LATENCY_BOUNDS_SECONDS). One point per store and minute of processing time, written by the first run at least writeAfterSeconds after the minute ends (visible to readers by ingestDelaySeconds: + the exporter's period, run time and ingestion): start = 1 ms after the minute's start (a reset must start after the previous point's end), end = the minute's end (CUMULATIVE, each point a reset); a minute without events gets a zero-count point. Events without published_at are not counted; events published more than 1 s after they were processed (clock skew) are left out and logged.",
    metricKind: "CUMULATIVE",
    valueType: "DISTRIBUTION",
    unit: "s",
    labels: [DEPLOYMENT, STORE],
    writer: "SLI exporter (apps/reconciler export-slis)",
    samplePeriodSeconds: SLI_EXPORTER_PERIOD_SECONDS,
    writeAfterSeconds: EVENT_LATENCY_WRITE_AFTER_SECONDS,
    ingestDelaySeconds: writerDelay(EVENT_LATENCY_WRITE_AFTER_SECONDS),
    bucketBounds: EVENT_LATENCY_BOUNDS_SECONDS,
  },
];

/** The catalogue entry of `type`; throws naming the known types. */
export function customMetric(type: string): CustomMetric {
  const metric = CUSTOM_METRICS.find((m) => m.type === type);
  if (!metric)
    throw new Error(
      `${type} is not in the custom-metric catalogue (packages/slo/src/custom-metrics.ts); known: ${CUSTOM_METRICS.map((m) => m.type).join(", ")}`,
    );
  return metric;
}

/** A value to write: a number (INT64/DOUBLE), a boolean, or a latency histogram. */
export type CustomMetricValue =
  | number
  | boolean
  | { distribution: { counts: readonly number[]; sum: number; bounds?: readonly number[] } };

/** Where and when a point is written. */
export interface CustomPointOptions {
  projectId: string;
  labels: Record<string, string>;
  /** End of the point's interval (epoch ms). */
  endMs: number;
  /** Start of the interval for CUMULATIVE metrics (epoch ms, before endMs). */
  startMs?: number;
}

const isCount = (n: number) => Number.isFinite(n) && n >= 0;
const ts = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

/**
 * One time series of one point for `type`, on the `global` resource, checked against the catalogue:
 * exactly the declared labels (and allowed values), a value of the declared type, never NaN, infinite or
 * negative (a count below zero or a NaN would score as good or hide an outage). Throws with the metric,
 * the labels and what to fix.
 */
export function customTimeSeries(type: string, value: CustomMetricValue, o: CustomPointOptions): TimeSeries {
  const metric = customMetric(type);
  const where = `${type} ${JSON.stringify(o.labels)}`;
  const expected = metric.labels.map((l) => l.key).sort();
  const given = Object.keys(o.labels).sort();
  if (expected.join(",") !== given.join(","))
    throw new Error(
      `${where}: labels must be exactly ${expected.join(", ")} (got ${given.join(", ") || "none"})`,
    );
  for (const l of metric.labels) {
    const v = o.labels[l.key] as string;
    if (!v || (l.values && !l.values.includes(v)))
      throw new Error(
        `${where}: label ${l.key} must be ${l.values ? l.values.join(" or ") : "non-empty"}, got "${v}"`,
      );
  }
  if (!Number.isFinite(o.endMs)) throw new Error(`${where}: end time is not a finite time`);
  let typed: protos.google.monitoring.v3.ITypedValue;
  if (metric.valueType === "BOOL") {
    if (typeof value !== "boolean")
      throw new Error(`${where}: BOOL metric needs true or false, got ${String(value)}`);
    typed = { boolValue: value };
  } else if (metric.valueType === "DISTRIBUTION") {
    if (typeof value !== "object") throw new Error(`${where}: DISTRIBUTION metric needs a histogram`);
    const { counts, sum } = value.distribution;
    const bounds = value.distribution.bounds ?? EVENT_LATENCY_BOUNDS_SECONDS;
    if (counts.length !== bounds.length + 1)
      throw new Error(
        `${where}: a histogram over ${bounds.length} bounds has ${bounds.length + 1} buckets, got ${counts.length}`,
      );
    if (!counts.every((c) => Number.isInteger(c) && c >= 0))
      throw new Error(`${where}: bucket counts must be non-negative integers, got ${JSON.stringify(counts)}`);
    if (!isCount(sum)) throw new Error(`${where}: the sum of latencies must be finite and >= 0, got ${sum}`);
    const count = counts.reduce((a, b) => a + b, 0);
    typed = {
      distributionValue: {
        count,
        mean: count === 0 ? 0 : sum / count,
        bucketOptions: { explicitBuckets: { bounds: [...bounds] } },
        bucketCounts: counts.map((c) => c),
      },
    };
  } else {
    if (typeof value !== "number" || !isCount(value))
      throw new Error(
        `${where}: value must be a finite number >= 0, got ${String(value)} (refused, not written)`,
      );
    if (metric.valueType === "INT64" && !Number.isInteger(value))
      throw new Error(`${where}: INT64 metric needs an integer, got ${value}`);
    typed = metric.valueType === "INT64" ? { int64Value: value } : { doubleValue: value };
  }
  let interval: protos.google.monitoring.v3.ITimeInterval = { endTime: ts(o.endMs) };
  if (metric.metricKind === "CUMULATIVE") {
    if (o.startMs === undefined || !(o.startMs < o.endMs))
      throw new Error(`${where}: a CUMULATIVE point needs a start time before its end time`);
    interval = { startTime: ts(o.startMs), endTime: ts(o.endMs) };
  }
  return {
    metric: { type, labels: { ...o.labels } },
    resource: { type: "global", labels: { project_id: o.projectId } },
    metricKind: metric.metricKind,
    valueType: metric.valueType,
    points: [{ interval, value: typed }],
  };
}

/** Silence after which a writer is considered stopped: three sample periods plus the ingest delay. */
export const absentAfterSeconds = (m: CustomMetric): number =>
  Math.ceil((3 * m.samplePeriodSeconds + m.ingestDelaySeconds) / 60) * 60;

/** One element of the Terraform monitoring module's `custom_metrics` input. */
export interface TerraformCustomMetric {
  type: string;
  display_name: string;
  description: string;
  metric_kind: string;
  value_type: string;
  unit: string | null;
  labels: { key: string; value_type: "STRING"; description: string }[];
  sample_period: string;
  ingest_delay: string;
  /** How long without a point before the "metric stopped arriving" alert fires: 3 periods + the delay. */
  absent_after: string;
}

/** The catalogue as the monitoring module's input (generated file; see scripts/generate.ts). */
export function terraformCustomMetrics(): TerraformCustomMetric[] {
  return CUSTOM_METRICS.map((m) => ({
    type: m.type,
    display_name: m.displayName,
    description: m.description,
    metric_kind: m.metricKind,
    value_type: m.valueType,
    unit: m.unit === "" ? null : m.unit,
    labels: m.labels.map((l) => ({ key: l.key, value_type: "STRING" as const, description: l.description })),
    sample_period: `${m.samplePeriodSeconds}s`,
    ingest_delay: `${m.ingestDelaySeconds}s`,
    absent_after: `${absentAfterSeconds(m)}s`,
  }));
}

/** The generated file's text. */
export function terraformCustomMetricsJson(): string {
  return `${JSON.stringify(terraformCustomMetrics(), null, 2)}\n`;
}
