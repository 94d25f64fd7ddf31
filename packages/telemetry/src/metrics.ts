/**
 * The counters every stage reports. Workers send snapshots to whoever supervises them (the local main
 * job, the benchmark, tests) over the Node IPC channel; in the cloud the same numbers come from Cloud
 * Monitoring metrics.
 */
import { liveHeapBytes, trackLiveHeap } from "./heap";
import { type HistogramSnapshot, LatencyHistogram } from "./histogram";

export interface StageSnapshot {
  stage: string;
  pid: number;
  at: number;
  counters: Record<string, number>;
  /** Pub/Sub publish time -> stored and acknowledged, milliseconds (exact, local only). */
  latency: HistogramSnapshot;
  /**
   * The latency SLI's definition, processed_at - published_at of the events this stage stored, milliseconds
   * (the same stamps the cloud exporter reads from the stores; counters latency_unmeasured / _invalid).
   */
  sliLatency: HistogramSnapshot;
  rssBytes: number;
  /** V8 heap in use at the snapshot: live objects plus garbage not collected yet. */
  heapUsedBytes: number;
  /** V8 heap committed (what the heap holds of the RSS). */
  heapTotalBytes: number;
  /**
   * V8 heap in use when the latest full collection was reported: an upper bound of what it retained
   * (src/heap.ts says why); null before the first one.
   */
  heapLiveBytes: number | null;
}

export class StageMetrics {
  readonly counters: Record<string, number> = {};
  readonly latency = new LatencyHistogram();
  readonly sliLatency = new LatencyHistogram();

  constructor(readonly stage: string) {
    trackLiveHeap();
  }

  add(name: string, delta = 1): void {
    this.counters[name] = (this.counters[name] ?? 0) + delta;
  }

  get(name: string): number {
    return this.counters[name] ?? 0;
  }

  snapshot(): StageSnapshot {
    const memory = process.memoryUsage();
    const live = liveHeapBytes();
    return {
      stage: this.stage,
      pid: process.pid,
      at: Date.now(),
      counters: { ...this.counters },
      latency: this.latency.snapshot(),
      sliLatency: this.sliLatency.snapshot(),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      heapLiveBytes: Number.isFinite(live) ? live : null,
    };
  }
}

export interface MetricsMessage {
  type: "metrics";
  snapshot: StageSnapshot;
}

export function isMetricsMessage(value: unknown): value is MetricsMessage {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "metrics";
}

/** When running under a supervisor (forked with IPC), send a snapshot every `intervalMs`. */
export function reportToParent(metrics: StageMetrics, intervalMs = 500): () => void {
  if (!process.send) return () => {};
  const send = () => {
    if (process.connected)
      process.send?.({ type: "metrics", snapshot: metrics.snapshot() } satisfies MetricsMessage);
  };
  const timer = setInterval(send, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    send();
  };
}
