/**
 * Soak run: the whole local pipeline (workers and producer as processes, default faults) at 80% of the
 * measured maximum rate for 10 minutes. Reports throughput per minute, RSS per process (middle third vs
 * last third), the backlog, how far the aggregates trail the stored events, how long the drain took;
 * writes bench/reports/soak-latest.{json,md} (ignored folder). A benchmark, not a test: it reports, and
 * exits non-zero only when it could not run.
 *   npx tsx bench/src/soak.ts [--minutes 10] [--rate N | --max N]
 * Without --rate: 80% of --max, else 80% of the pipeline ceiling in bench/reports/latest.json
 * (written by `npm run bench`).
 */
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runPhase } from "./phase";
import { REPORTS, reconciled, reconciliationLine, writeReport } from "./stats";

const SOAK_SHARE = 0.8;
const STAGE_NAMES = ["producer", "ingestion", "analytics"] as const;

function chooseRate(values: { rate?: string; max?: string }): { rate: number; max: number; source: string } {
  if (values.rate)
    return { rate: Number(values.rate), max: Number.NaN, source: "the rate given with --rate" };
  if (values.max)
    return { rate: Math.floor(Number(values.max) * SOAK_SHARE), max: Number(values.max), source: "--max" };
  const latest = join(REPORTS, "latest.json");
  if (!existsSync(latest))
    throw new Error("no measured maximum: run `npm run bench` first, or pass --max N (or --rate N)");
  const report = JSON.parse(readFileSync(latest, "utf8")) as {
    throughput: { pipelineEventsPerSecond: number };
    pipelineCeiling?: number;
    at: string;
  };
  // The probed ceiling when the bench stepped the rate up; the throughput phase's rate otherwise.
  const max = report.pipelineCeiling ?? report.throughput.pipelineEventsPerSecond;
  return { rate: Math.floor(max * SOAK_SHARE), max, source: `bench/reports/latest.json of ${report.at}` };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: "string", default: "10" },
      rate: { type: "string" },
      max: { type: "string" },
    },
  });
  const minutes = Number(values.minutes);
  const { rate, max, source } = chooseRate(values);
  if (!(rate > 0) || !(minutes > 0)) throw new Error(`invalid rate ${rate} or minutes ${minutes}`);
  const log = (line: string) => console.log(line);
  const loadBefore = loadavg();
  log(
    Number.isFinite(max)
      ? `soak: ${minutes} min at ${rate} events/s (80% of the measured maximum ${max} events/s, from ${source})`
      : `soak: ${minutes} min at ${rate} events/s (${source})`,
  );

  // Ctrl-C / SIGTERM: stop producing, drain, report what was measured (without a handler of our own the
  // stack's would exit at once and leave the supervised workers running).
  const abort = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      log(`${signal}: stopping the producer, draining, then reporting`);
      abort.abort();
    });
  const phase = await runPhase({
    durationS: minutes * 60,
    rate,
    seed: 9,
    log,
    progressEveryMs: 30000,
    signal: abort.signal,
  });
  const { samples } = phase;

  // Per minute of producing: events/s of each stage, backlog at the end of the minute, RSS.
  const start = samples.find((s) => (s.acked.producer ?? 0) > 0);
  const producing = samples.filter((s) => start && s.t >= start.t && s.t <= start.t + minutes * 60);
  const backlogOf = (s: (typeof samples)[number]) =>
    (s.acked.producer ?? 0) - Math.min(s.acked.ingestion ?? 0, s.acked.analytics ?? 0);
  const perMinute: {
    minute: number;
    published: number;
    ingestion: number;
    analytics: number;
    backlogMax: number;
    stalenessMaxMs: number;
    rssMb: Record<string, number>;
    heapLiveMb: Record<string, number>;
  }[] = [];
  for (let m = 0; m < minutes; m++) {
    const inMinute = producing.filter(
      (s) => start && s.t >= start.t + m * 60 && s.t < start.t + (m + 1) * 60,
    );
    const first = inMinute[0];
    const last = inMinute[inMinute.length - 1];
    if (!first || !last || last.t <= first.t) continue;
    const span = last.t - first.t;
    const rateOf = (stage: string) => ((last.acked[stage] ?? 0) - (first.acked[stage] ?? 0)) / span;
    perMinute.push({
      minute: m + 1,
      published: rateOf("producer"),
      ingestion: rateOf("ingestion"),
      analytics: rateOf("analytics"),
      backlogMax: Math.max(...inMinute.map(backlogOf)),
      stalenessMaxMs: Math.max(...inMinute.map((s) => s.stalenessMs).filter(Number.isFinite)),
      rssMb: last.rssMb,
      heapLiveMb: last.heapLiveMb, // 0 until the process's first full collection
    });
  }
  const backlogMax = Math.max(0, ...producing.map(backlogOf));
  const { samples: _samples, ...result } = phase;
  const report = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, loadBefore, loadAfter: loadavg() },
    options: { minutes, rate, measuredMax: max, source },
    perMinute,
    backlogMax,
    ...result,
    targets: {
      rssFlat: result.stages.every((s) => s.rssGrowthPct < 10),
      drainedWithin30s: result.drainSeconds <= 30,
      drainConfirmedWithin30s: result.drainConfirmedSeconds <= 30,
      reconciliationExact: reconciled(result.reconciliation),
    },
  };
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(Math.abs(n) >= 100 ? 0 : 1) : "-");
  const md = [
    `# Soak ${report.at}`,
    "",
    `${report.machine.cpus} cores, Node ${report.machine.node}; load average before ${loadBefore.map(f).join(" / ")}, after ${report.machine.loadAfter.map(f).join(" / ")}; ${minutes} min at ${rate} events/s (${Number.isFinite(max) ? `80% of ${f(max)}, ${source}` : source}); default faults.`,
    "",
    "| minute | published/s | ingestion acked/s | analytics acked/s | backlog max | aggregates behind, max (ms) | RSS producer / ingestion / analytics (MiB) | live heap producer / ingestion / analytics (MiB) |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ...perMinute.map(
      (m) =>
        `| ${m.minute} | ${f(m.published)} | ${f(m.ingestion)} | ${f(m.analytics)} | ${m.backlogMax} | ${f(m.stalenessMaxMs)} | ${f(m.rssMb.producer ?? 0)} / ${f(m.rssMb.ingestion ?? 0)} / ${f(m.rssMb.analytics ?? 0)} | ${STAGE_NAMES.map((stage) => f(m.heapLiveMb[stage] || Number.NaN)).join(" / ")} |`,
    ),
    "",
    "| process | RSS middle third (MiB) | RSS last third (MiB) | growth (target < 10%) | V8 heap used, middle -> last (MiB) | V8 heap committed, middle -> last (MiB) | live heap after full GC, middle -> last (MiB) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...result.stages.map(
      (s) =>
        `| ${s.stage} | ${f(s.rssMbMiddle)} | ${f(s.rssMbEnd)} | ${f(s.rssGrowthPct)}% | ${f(s.heapMbMiddle)} -> ${f(s.heapMbEnd)} (${f(s.heapGrowthPct)}%) | ${f(s.heapTotalMbMiddle)} -> ${f(s.heapTotalMbEnd)} | ${f(s.heapLiveMbMiddle)} -> ${f(s.heapLiveMbEnd)} (${f(s.heapLiveGrowthPct)}%) |`,
    ),
    "",
    "Heap used is sampled at any moment: live objects plus the garbage V8 lets pile up before its next full collection (more under load). The live heap (after the latest full collection) is what is retained: flat live heap with growing RSS is V8's heap sizing, not a leak.",
    "",
    "| process (CPU over the middle 60%) | share of a core | CPU µs per event |",
    "| --- | ---: | ---: |",
    ...result.cpu.map((c) => `| ${c.process} | ${c.cores.toFixed(2)} | ${f(c.usPerEvent)} |`),
    "",
    `Backlog max ${backlogMax} messages. End-to-end latency p50 ${f(result.latencyMs.p50)} ms, p95 ${f(result.latencyMs.p95)} ms, p99 ${f(result.latencyMs.p99)} ms.`,
    `Drained ${Number.isFinite(result.drainSeconds) ? `${f(result.drainSeconds)} s` : "NOT"} after the producer stopped by the workers' counters (a lower bound, acks count redeliveries too); confirmed by the stores ${Number.isFinite(result.drainConfirmedSeconds) ? `${f(result.drainConfirmedSeconds)} s` : "NOT"} after it (target <= 30 s; an upper bound: includes the confirming count queries).`,
    "",
    reconciliationLine(result.reconciliation),
    "",
  ].join("\n");
  writeReport("soak-latest", report, md, log);
}

main().catch((error) => {
  console.error(`soak failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
