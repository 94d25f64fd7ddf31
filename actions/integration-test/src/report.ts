/** The run's result and its job-summary rendering. Pure. */

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface LatencyReport {
  p50: number;
  p95: number;
  max: number;
  /** Share of events stored in both stores within thresholdMs of their publication. */
  withinThreshold: number;
  thresholdMs: number;
  objective: number;
  meetsObjective: boolean;
  /** Latencies are measured by polling the stores: this is their resolution. */
  resolutionMs: number;
}

export interface RunResult {
  runId: string;
  ok: boolean;
  checks: Check[];
  latency: LatencyReport;
  batch: { events: number; duplicates: number; late: number; poison: number; types: number };
  cleanup: "done" | "deferred" | "failed" | "skipped";
  durationMs: number;
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/**
 * Publish -> first seen in both stores, per event, against the SLO target. `firstSeen` gives each store's
 * first-seen time of an event (undefined: never seen); `resolutionMs` is one poll cycle.
 */
export function latencyReport(
  eventIds: string[],
  publishedAt: (id: string) => number,
  firstSeen: (id: string) => [number | undefined, number | undefined],
  target: { thresholdMs: number; objective: number; resolutionMs: number },
): LatencyReport {
  const latencies: number[] = [];
  for (const id of eventIds) {
    const [raw, warehouse] = firstSeen(id);
    if (raw !== undefined && warehouse !== undefined)
      latencies.push(Math.max(raw, warehouse) - publishedAt(id));
  }
  const share = latencies.length
    ? latencies.filter((l) => l <= target.thresholdMs).length / latencies.length
    : 0;
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies.length ? Math.max(...latencies) : Number.NaN,
    withinThreshold: share,
    thresholdMs: target.thresholdMs,
    objective: target.objective,
    meetsObjective: share >= target.objective,
    resolutionMs: target.resolutionMs,
  };
}

const ms = (value: number) => (Number.isNaN(value) ? "-" : `${(value / 1000).toFixed(2)} s`);
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderSummary(result: RunResult, environment: string): string {
  const l = result.latency;
  const lines = [
    `## Post-deploy integration test: ${result.ok ? "passed" : "FAILED"} (${environment})`,
    "",
    `Run \`${result.runId}\`: ${result.batch.events} valid events of ${result.batch.types} types, ` +
      `${result.batch.duplicates} published twice, ${result.batch.late} late, ${result.batch.poison} poison messages; ` +
      `${ms(result.durationMs)}; cleanup ${result.cleanup}.`,
    "",
    "| check | result | detail |",
    "| --- | --- | --- |",
    ...result.checks.map((c) => `| ${cell(c.name)} | ${c.ok ? "pass" : "**fail**"} | ${cell(c.detail)} |`),
    "",
    "### End-to-end latency (publish to stored in MongoDB and BigQuery)",
    "",
    "| p50 | p95 | max | within target | SLO |",
    "| --- | --- | --- | --- | --- |",
    `| ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.max)} | ${pct(l.withinThreshold)} within ${ms(l.thresholdMs)} | ` +
      `${pct(l.objective)} within ${ms(l.thresholdMs)}: ${l.meetsObjective ? "met" : "**not met**"} |`,
    "",
    `Latency is measured by polling the stores (resolution: one poll cycle, up to ${ms(l.resolutionMs)}); one small batch is a ` +
      "smoke signal, not the SLI, which Cloud Monitoring computes from Dataflow's system lag.",
  ];
  return `${lines.join("\n")}\n`;
}
