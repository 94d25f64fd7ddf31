/**
 * The custom metrics the reconciliation writes (descriptors: terraform/modules/monitoring), one point per
 * series and closed window, stamped at the window's end, on the `global` resource.
 */
import type { protos } from "@google-cloud/monitoring";
import { customTimeSeries, type TimeSeriesWriter } from "@shopstream/slo";
import type { LatencyDistribution } from "./latency";
import type { WindowResult } from "./state";

type TimeSeries = protos.google.monitoring.v3.ITimeSeries;

/** Metric types; their descriptors are in the catalogue of packages/slo (custom-metrics.ts) and Terraform. */
export const RECONCILIATION_METRICS = {
  missing: "custom.googleapis.com/shopstream/reconciliation/missing_events",
  extra: "custom.googleapis.com/shopstream/reconciliation/extra_events",
  deadLettered: "custom.googleapis.com/shopstream/reconciliation/dead_lettered_events",
  latency: "custom.googleapis.com/shopstream/pipeline/event_latency",
} as const;

export const STORES = ["mongodb", "bigquery"] as const;
export type Store = (typeof STORES)[number];

/** Cloud Monitoring refuses points whose end time is more than 25 hours in the past. */
export const MAX_POINT_AGE_MS = 25 * 3600_000;

function gauge(
  type: string,
  deployment: string,
  store: Store,
  projectId: string,
  endMs: number,
  value: number,
) {
  // customTimeSeries checks labels, kind and value against the catalogue (refuses NaN, negatives, fractions).
  return customTimeSeries(type, value, { projectId, labels: { deployment, store }, endMs });
}

/**
 * The series of one reconciled window: per store, events missing there (seen in the other store), extra
 * there (absent from the other store) and dead-lettered by its path.
 */
export function windowSeries(result: WindowResult, deployment: string, projectId: string): TimeSeries[] {
  const end = result.window.endMs;
  const other: Record<Store, Store> = { mongodb: "bigquery", bigquery: "mongodb" };
  return STORES.flatMap((store) => [
    gauge(RECONCILIATION_METRICS.missing, deployment, store, projectId, end, result.missing[store]),
    gauge(RECONCILIATION_METRICS.extra, deployment, store, projectId, end, result.missing[other[store]]),
    gauge(RECONCILIATION_METRICS.deadLettered, deployment, store, projectId, end, result.deadLettered[store]),
  ]);
}

/**
 * The per-event latency of one interval and store as a CUMULATIVE distribution (what a request-based
 * `distribution_cut` SLO reads: DELTA or CUMULATIVE; user-defined metrics cannot be DELTA). Each point
 * covers exactly its interval (start = its start): the cumulative count resets every point.
 */
export function latencySeries(
  distribution: LatencyDistribution,
  store: Store,
  deployment: string,
  projectId: string,
  startMs: number,
  endMs: number,
): TimeSeries {
  return customTimeSeries(
    RECONCILIATION_METRICS.latency,
    {
      distribution: {
        counts: distribution.bucketCounts,
        sum: distribution.mean * distribution.count,
        bounds: distribution.bounds,
      },
    },
    { projectId, labels: { deployment, store }, startMs, endMs },
  );
}

/** A re-run of a window whose points were already written: the API refuses points that are not newer. */
export function isAlreadyWritten(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /written in order|older (start|end) time than the most recent point/i.test(message);
}

/**
 * Writes series (at most 200 per request, the API's limit). Returns false when the API reports the points
 * already exist (a re-run of a reconciled window; the values are the same), throws on anything else.
 */
export async function writeSeries(
  writer: TimeSeriesWriter,
  projectId: string,
  series: TimeSeries[],
): Promise<boolean> {
  let fresh = true;
  for (let i = 0; i < series.length; i += 200) {
    try {
      await writer.createTimeSeries({ name: `projects/${projectId}`, timeSeries: series.slice(i, i + 200) });
    } catch (error) {
      if (!isAlreadyWritten(error))
        throw new Error(
          `Cloud Monitoring refused the reconciliation metrics for projects/${projectId}: ` +
            `${error instanceof Error ? error.message : String(error)} ` +
            "(check that the metric descriptors exist and the job's service account has roles/monitoring.metricWriter)",
        );
      fresh = false;
    }
  }
  return fresh;
}
