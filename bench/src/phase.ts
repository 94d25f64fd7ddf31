/**
 * One measured run of the whole local pipeline (producer and both workers as processes, default faults):
 * sustained rate per stage over the middle 60% of the run, RSS middle third vs last third, end-to-end
 * latency, how far the aggregates trail the stored events, and how long the drain took.
 */
import { runPipeline, type Supervisor } from "@shopstream/local-pipeline";
import { type HistogramSnapshot, LatencyHistogram } from "@shopstream/telemetry";
import { processCpuSeconds, standInCpuSeconds } from "./cpu";
import { median, reconciliationOf } from "./stats";

function sliSummary(snapshot: HistogramSnapshot, unmeasured: number): PhaseResult["sliLatencyMs"] {
  const h = LatencyHistogram.from([snapshot]);
  return {
    p50: h.percentile(50),
    p95: h.percentile(95),
    p99: h.percentile(99),
    shareBelow10s: h.shareWithinSloBound(10),
    unmeasured,
  };
}

interface Sample {
  t: number;
  emitted: number;
  acked: Record<string, number>;
  rssMb: Record<string, number>;
  /** V8 heap in use at the sample: live objects plus garbage not collected yet. */
  heapMb: Record<string, number>;
  /** V8 heap committed: the part of the RSS V8's heap holds (it grows and shrinks with its GC heuristics). */
  heapTotalMb: Record<string, number>;
  /**
   * V8 heap in use when the latest full collection was reported (an upper bound of what is retained;
   * packages/telemetry/src/heap.ts). Growing = a leak; flat while RSS and
   * heapMb grow = V8 letting more garbage pile up between collections, not retained memory.
   */
  heapLiveMb: Record<string, number>;
  stalenessMs: number;
  refreshes: number;
  /** Cumulative CPU seconds (user + system) per process: the three workers and the three stand-ins. */
  cpuS: Record<string, number>;
}

/** A process's CPU over the measured window (the middle 60% of the run). */
export interface ProcessCpu {
  process: string;
  /** Share of one core. */
  cores: number;
  /** CPU microseconds per event of the stage it serves (published for the producer and Pub/Sub). */
  usPerEvent: number;
}

export interface PhaseResult {
  rate: number;
  durationS: number;
  producerEmittedPerSecond: number;
  pipelineEventsPerSecond: number;
  stages: {
    stage: string;
    eventsPerSecond: number;
    rssMbMiddle: number;
    rssMbEnd: number;
    rssGrowthPct: number;
    heapMbMiddle: number;
    heapMbEnd: number;
    heapGrowthPct: number;
    heapTotalMbMiddle: number;
    heapTotalMbEnd: number;
    heapLiveMbMiddle: number;
    heapLiveMbEnd: number;
    heapLiveGrowthPct: number;
  }[];
  /** Pub/Sub publish time -> stored and acked (exact, both workers). */
  latencyMs: { p50: number; p95: number; p99: number };
  /** The latency SLI's definition, processed_at - published_at, MongoDB (as export-slis in Google Cloud). */
  sliLatencyMs: { p50: number; p95: number; p99: number; shareBelow10s: number; unmeasured: number };
  aggregateStalenessMs: { median: number; max: number };
  aggregateRefreshes: number;
  /** CPU per process over the measured window; NaN off Linux. */
  cpu: ProcessCpu[];
  /**
   * Seconds from the producer's last publish to the workers' counters showing everything acknowledged; NaN
   * when it never drained. A lower bound: `acked` counts Pub/Sub redeliveries too.
   */
  drainSeconds: number;
  /**
   * Seconds from the producer's last publish to the end of the pipeline's drain, which the stores confirm
   * (every message published counted stored or dead-lettered, tools/local-pipeline/src/settled.ts); NaN
   * when not confirmed. An upper bound: it includes the time the confirming count queries take.
   */
  drainConfirmedSeconds: number;
  reconciliation: ReturnType<typeof reconciliationOf>;
}

const STAGES = ["producer", "ingestion", "analytics"] as const;
/** Which stage's events each process's CPU is divided by. */
const CPU_EVENTS: Record<string, (typeof STAGES)[number]> = {
  producer: "producer",
  pubsub: "producer",
  ingestion: "ingestion",
  mongodb: "ingestion",
  analytics: "analytics",
  bigquery: "analytics",
};

/** Medians of the middle and the last third of a series. */
function thirds(values: number[]): { middle: number; last: number } {
  const third = Math.max(1, Math.floor(values.length / 3));
  return { middle: median(values.slice(third, 2 * third)), last: median(values.slice(-third)) };
}

export async function runPhase(options: {
  durationS: number;
  rate: number;
  seed: number;
  log: (line: string) => void;
  progressEveryMs?: number;
  signal?: AbortSignal;
}): Promise<PhaseResult & { samples: Sample[] }> {
  const samples: Sample[] = [];
  const summary = await runPipeline({
    durationS: options.durationS,
    rate: options.rate,
    seed: options.seed,
    faults: "default",
    profile: "bench",
    fresh: true,
    progressEveryMs: options.progressEveryMs ?? 5000,
    drainTimeoutMs: 300000,
    print: options.log,
    signal: options.signal,
    onSample: (supervisor: Supervisor, elapsedMs: number) => {
      const rss = (name: string) => (supervisor.snapshot(name)?.rssBytes ?? 0) / 1048576;
      const heap = (name: string) => (supervisor.snapshot(name)?.heapUsedBytes ?? 0) / 1048576;
      const heapTotal = (name: string) => (supervisor.snapshot(name)?.heapTotalBytes ?? 0) / 1048576;
      // 0 (left out of the thirds) until the process's first full collection
      const heapLive = (name: string) => (supervisor.snapshot(name)?.heapLiveBytes ?? 0) / 1048576;
      const analytics = supervisor.snapshot("analytics")?.counters ?? {};
      samples.push({
        t: elapsedMs / 1000,
        emitted: supervisor.counters("producer").emitted ?? 0,
        acked: {
          producer: supervisor.counters("producer").published ?? 0,
          ingestion: supervisor.counters("ingestion").acked ?? 0,
          analytics: supervisor.counters("analytics").acked ?? 0,
        },
        rssMb: Object.fromEntries(STAGES.map((s) => [s, rss(s)])),
        heapMb: Object.fromEntries(STAGES.map((s) => [s, heap(s)])),
        heapTotalMb: Object.fromEntries(STAGES.map((s) => [s, heapTotal(s)])),
        heapLiveMb: Object.fromEntries(STAGES.map((s) => [s, heapLive(s)])),
        stalenessMs: analytics.aggregate_staleness_ms ?? Number.NaN,
        refreshes: analytics.aggregate_refreshes ?? 0,
        cpuS: {
          ...Object.fromEntries(
            STAGES.map((s) => {
              const pid = supervisor.snapshot(s)?.pid;
              return [s, pid === undefined ? Number.NaN : processCpuSeconds(pid)];
            }),
          ),
          ...standInCpuSeconds("bench"),
        },
      });
    },
  });

  const active = samples.filter((s) => (s.acked.producer ?? 0) > 0);
  const producing = active.filter((s) => s.t <= (active[0]?.t ?? 0) + options.durationS);
  const from = producing[Math.floor(producing.length * 0.2)];
  const to = producing[Math.floor(producing.length * 0.8)];
  const slope = (value: (s: Sample) => number) =>
    from && to && to.t > from.t ? (value(to) - value(from)) / (to.t - from.t) : Number.NaN;
  const stages = STAGES.map((stage) => {
    const of = (series: (s: Sample) => number | undefined) =>
      thirds(active.map((s) => series(s) ?? 0).filter((v) => v > 0));
    const rss = of((s) => s.rssMb[stage]);
    const heap = of((s) => s.heapMb[stage]);
    const heapTotal = of((s) => s.heapTotalMb[stage]);
    const heapLive = of((s) => s.heapLiveMb[stage]);
    return {
      stage,
      eventsPerSecond: slope((s) => s.acked[stage] ?? 0),
      rssMbMiddle: rss.middle,
      rssMbEnd: rss.last,
      rssGrowthPct: ((rss.last - rss.middle) / rss.middle) * 100,
      heapMbMiddle: heap.middle,
      heapMbEnd: heap.last,
      heapGrowthPct: ((heap.last - heap.middle) / heap.middle) * 100,
      heapTotalMbMiddle: heapTotal.middle,
      heapTotalMbEnd: heapTotal.last,
      heapLiveMbMiddle: heapLive.middle,
      heapLiveMbEnd: heapLive.last,
      heapLiveGrowthPct: ((heapLive.last - heapLive.middle) / heapLive.middle) * 100,
    };
  });
  // Staleness while producing, after warm-up (the first refreshes include start-up).
  const staleness = producing
    .slice(Math.floor(producing.length * 0.2))
    .map((s) => s.stalenessMs)
    .filter(Number.isFinite);
  const cpu = Object.entries(CPU_EVENTS).map(([name, stage]) => {
    const seconds = from && to ? (to.cpuS[name] ?? Number.NaN) - (from.cpuS[name] ?? Number.NaN) : Number.NaN;
    const events = from && to ? (to.acked[stage] ?? 0) - (from.acked[stage] ?? 0) : 0;
    // a restarted process starts its count again: no figure rather than a wrong one
    if (seconds < 0) return { process: name, cores: Number.NaN, usPerEvent: Number.NaN };
    return {
      process: name,
      cores: from && to ? seconds / (to.t - from.t) : Number.NaN,
      usPerEvent: events > 0 ? (seconds / events) * 1e6 : Number.NaN,
    };
  });
  const final = samples[samples.length - 1];
  const lastPublish = samples.find((s) => s.acked.producer === final?.acked.producer);
  // The pipeline samples every second until both backlogs are empty, then stops the workers: the drain
  // ends at the first sample where both workers acknowledged everything published, or at the last sample
  // (the worker's final counters may not have been reported before it stopped).
  const drainedAt =
    samples.find(
      (s) =>
        (s.acked.ingestion ?? 0) >= (final?.acked.producer ?? Number.POSITIVE_INFINITY) &&
        (s.acked.analytics ?? 0) >= (final?.acked.producer ?? Number.POSITIVE_INFINITY),
    ) ?? (summary.drained ? final : undefined);
  return {
    rate: options.rate,
    durationS: options.durationS,
    producerEmittedPerSecond: slope((s) => s.emitted),
    pipelineEventsPerSecond: Math.min(
      ...stages.filter((s) => s.stage !== "producer").map((s) => s.eventsPerSecond),
    ),
    stages,
    latencyMs: { p50: summary.totals.p50, p95: summary.totals.p95, p99: summary.totals.p99 },
    sliLatencyMs: sliSummary(summary.totals.sliLatency, summary.totals.latencyUnmeasured),
    aggregateStalenessMs: { median: median(staleness), max: Math.max(...staleness) },
    aggregateRefreshes: final?.refreshes ?? 0,
    cpu,
    drainSeconds:
      summary.drained && drainedAt && lastPublish ? Math.max(0, drainedAt.t - lastPublish.t) : Number.NaN,
    // the sampler runs every second until the drain ends, so the last sample is at most a second before it
    drainConfirmedSeconds:
      summary.drainConfirmedInStores && final && lastPublish
        ? Math.max(0, final.t - lastPublish.t)
        : Number.NaN,
    reconciliation: reconciliationOf(summary),
    samples,
  };
}
