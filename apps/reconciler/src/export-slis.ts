/**
 * `export-slis`: one run of the SLI exporter. MongoDB connections and overall availability are packages/slo's
 * functions (nothing reimplemented here); the per-event latency is read from the stores (event-latency.ts).
 */
import type { MetricServiceClient } from "@google-cloud/monitoring";
import { customMetric, exportAvailability, exportMongoConnections, loadSloCatalog } from "@shopstream/slo";
import type { Logger } from "@shopstream/telemetry";
import type { MongoClient } from "mongodb";
import { type LatencySource, type Minute, summariseLatencies } from "./event-latency";
import { latencySeries, RECONCILIATION_METRICS, type Store, writeSeries } from "./metrics";

export interface ExportSlisOptions {
  projectId: string;
  deployment: string;
  sloDir: string;
  mongo: MongoClient | undefined;
  monitoring: MetricServiceClient;
  logger: Logger;
  nowMs: number;
  /** Reads each store's latency stamps; undefined skips the latency SLI (EXPORT_EVENT_LATENCY=false). */
  latency?: LatencySource;
  /**
   * The stores whose latency is read and written; default mongodb only. No SLO reads store=bigquery, and
   * its read scans about LATENCY_EVENT_LOOKBACK_HOURS of `events` partitions every minute, so it is opt-in
   * (EXPORT_BIGQUERY_LATENCY=true).
   */
  latencyStores?: readonly Store[];
}

/** The stores export-slis writes latency for unless told otherwise: the one the latency SLO reads. */
export const DEFAULT_LATENCY_STORES: readonly Store[] = ["mongodb"];

/**
 * The minute whose latency is written at `nowMs`: the newest one ended at least the metric's declared
 * writeAfterSeconds ago (pipeline/event_latency in the catalogue), so every event processed in it has
 * reached its store. Its ingestDelaySeconds (the gate's visibility delay) adds this run's period, run
 * time and ingestion, and availability is scored one minute later still (custom-metrics.ts), so neither
 * the gate nor the availability exporter reads a minute before this run wrote it.
 */
export function latencyMinute(nowMs: number): Minute {
  const after = customMetric(RECONCILIATION_METRICS.latency).writeAfterSeconds;
  if (after === undefined) throw new Error(`${RECONCILIATION_METRICS.latency} declares no writeAfterSeconds`);
  const endMs = Math.floor((nowMs - after * 1000) / 60_000) * 60_000;
  return { startMs: endMs - 60_000, endMs };
}

/**
 * Writes one point per store for the minute, a zero-count one when nothing was processed (so "exporter
 * alive, no traffic" differs from "exporter stopped", which the metric-absent alert pages on). Returns
 * the failures, one per store.
 */
async function exportEventLatency(o: ExportSlisOptions, source: LatencySource): Promise<string[]> {
  const minute = latencyMinute(o.nowMs);
  const failures: string[] = [];
  for (const store of o.latencyStores ?? DEFAULT_LATENCY_STORES) {
    try {
      const summary = summariseLatencies(await source(store, minute));
      // a reset per point: start 1 ms after the previous point's end (the minute's start), end at its end
      const series = latencySeries(
        summary.distribution,
        store,
        o.deployment,
        o.projectId,
        minute.startMs + 1,
        minute.endMs,
      );
      const fresh = await writeSeries(o.monitoring, o.projectId, [series]);
      const fields = {
        store,
        minute: new Date(minute.startMs).toISOString(),
        events: summary.distribution.count,
        meanSeconds: Number(summary.distribution.mean.toFixed(3)),
        unmeasured: summary.unmeasured,
        invalid: summary.invalid,
      };
      if (summary.invalid > 0)
        o.logger.warn(
          "events published after they were processed (publisher clock ahead?): left out of the latency SLI",
          fields,
        );
      o.logger.info(
        fresh ? "exported event latency" : "event latency of this minute already written",
        fields,
      );
    } catch (error) {
      failures.push(`event latency (${store}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failures;
}

/** Exports each SLI once; every failure is reported, and the run fails if any export failed. */
export async function exportSlis(o: ExportSlisOptions): Promise<void> {
  const catalog = loadSloCatalog(o.sloDir);
  const where = { projectId: o.projectId, namePrefix: o.deployment, nowMs: o.nowMs };
  const failures: string[] = [];
  if (o.latency) failures.push(...(await exportEventLatency(o, o.latency)));
  if (o.mongo) {
    try {
      const current = await exportMongoConnections(o.mongo.db("admin"), o.monitoring, catalog, where);
      o.logger.info("exported MongoDB connections", { current });
    } catch (error) {
      failures.push(`MongoDB connections: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    const available = await exportAvailability(o.monitoring, catalog, where);
    o.logger.info(
      available === null
        ? "no availability data for the last minute: nothing written"
        : "exported availability",
      {
        available,
      },
    );
  } catch (error) {
    failures.push(`availability: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (failures.length) throw new Error(`SLI export failed for ${o.deployment}: ${failures.join("; ")}`);
}
