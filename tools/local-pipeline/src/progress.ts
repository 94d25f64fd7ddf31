/** One progress line from the stages' counters (what a person watching the main job wants to see). */
import type { HistogramSnapshot } from "@shopstream/telemetry";
import type { Supervisor } from "./supervisor";

const n = (value: number | undefined) => (value ?? 0).toLocaleString("en-US");
const ms = (value: number) => (Number.isNaN(value) ? "-" : `${Math.round(value)} ms`);

export interface PipelineTotals {
  published: number;
  malformed: number;
  duplicates: number;
  late: number;
  rawStored: number;
  rawDuplicates: number;
  warehouseStored: number;
  deadLetteredIngestion: number;
  deadLetteredAnalytics: number;
  backlogIngestion: number;
  backlogAnalytics: number;
  p50: number;
  p95: number;
  p99: number;
  /** Pub/Sub publish time -> stored and acked, both workers (exact; local only). */
  latency: HistogramSnapshot;
  /**
   * The latency SLI as in Google Cloud: processed_at - published_at of the events MongoDB stored (the
   * processing-latency SLO's store), from the same stamps export-slis reads.
   */
  sliLatency: HistogramSnapshot;
  /** Pub/Sub publish time -> stored in MongoDB and acked (exact; the store the SLI reads), for calibration. */
  mongoExactLatency: HistogramSnapshot;
  /** Stored events without published_at / with a publish stamp after processing (not in sliLatency). */
  latencyUnmeasured: number;
  latencyInvalid: number;
  restarts: number;
}

/** Totals of the three stages, from what the supervisor holds (counters and histograms across restarts). */
export function totals(supervisor: Pick<Supervisor, "counters" | "latency" | "restarts">): PipelineTotals {
  const producer = supervisor.counters("producer");
  const ingestion = supervisor.counters("ingestion");
  const analytics = supervisor.counters("analytics");
  const latency = supervisor.latency("ingestion");
  latency.merge(supervisor.latency("analytics").snapshot());
  const published = producer.published ?? 0;
  return {
    published,
    malformed: producer.malformed ?? 0,
    duplicates: producer.duplicates ?? 0,
    late: producer.late ?? 0,
    rawStored: ingestion.stored ?? 0,
    rawDuplicates: ingestion.duplicates ?? 0,
    warehouseStored: analytics.stored ?? 0,
    deadLetteredIngestion: ingestion.dead_lettered ?? 0,
    deadLetteredAnalytics: analytics.dead_lettered ?? 0,
    backlogIngestion: Math.max(0, published - (ingestion.acked ?? 0)),
    backlogAnalytics: Math.max(0, published - (analytics.acked ?? 0)),
    p50: latency.percentile(50),
    p95: latency.percentile(95),
    p99: latency.percentile(99),
    latency: latency.snapshot(),
    sliLatency: supervisor.latency("ingestion", "sliLatency").snapshot(),
    mongoExactLatency: supervisor.latency("ingestion").snapshot(),
    latencyUnmeasured: ingestion.latency_unmeasured ?? 0,
    latencyInvalid: ingestion.latency_invalid ?? 0,
    restarts: supervisor.restarts("ingestion") + supervisor.restarts("analytics"),
  };
}

export function progressLine(elapsedMs: number, t: PipelineTotals): string {
  return (
    `[${String(Math.round(elapsedMs / 1000)).padStart(4)}s] published ${n(t.published)}` +
    ` (dup ${n(t.duplicates)}, late ${n(t.late)}, malformed ${n(t.malformed)})` +
    ` | raw ${n(t.rawStored)} | warehouse ${n(t.warehouseStored)}` +
    ` | dead-lettered ${n(t.deadLetteredIngestion)}/${n(t.deadLetteredAnalytics)}` +
    ` | backlog ${n(t.backlogIngestion)}/${n(t.backlogAnalytics)}` +
    ` | e2e p50 ${ms(t.p50)} p95 ${ms(t.p95)}`
  );
}

/**
 * Messages a worker holds right now: received by its current process and not yet acked or nacked (the
 * loop acks or nacks every message it receives). Earlier processes are left out: what a killed worker held
 * went back to Pub/Sub. A worker that is not running (restarting) is not idle: its count is unknown, so 1.
 */
export function heldBy(
  supervisor: Pick<Supervisor, "snapshot" | "isRunning">,
  worker: "ingestion" | "analytics",
): number {
  if (!supervisor.isRunning(worker)) return 1;
  const counters = supervisor.snapshot(worker)?.counters ?? {};
  return Math.max(0, (counters.received ?? 0) - (counters.acked ?? 0) - (counters.nacked ?? 0));
}
