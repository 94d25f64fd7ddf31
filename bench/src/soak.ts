/**
 * Soak run: the whole local pipeline (workers and producer as processes, default faults) at half the
 * measured maximum rate for 10 minutes. Reports throughput per minute, RSS per process over time and the
 * backlog; writes bench/reports/soak-latest.{json,md}. A benchmark, not a test: it reports, and exits
 * non-zero only when it could not run.
 *   npx tsx bench/src/soak.ts [--minutes 10] [--rate N | --max N]
 * Without --rate: half of --max, else half of the sustained pipeline rate in bench/reports/latest.json
 * (written by `npm run bench`).
 */
import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runPipeline, type Supervisor } from "@shopstream/local-pipeline";
import { median, REPORTS, reconciliationLine, reconciliationOf, writeReport } from "./stats";

interface Sample {
  t: number;
  published: number;
  ingestion: number;
  analytics: number;
  rssMb: { producer: number; ingestion: number; analytics: number };
}

function chooseRate(values: { rate?: string; max?: string }): { rate: number; max: number; source: string } {
  if (values.rate) return { rate: Number(values.rate), max: Number.NaN, source: "--rate" };
  if (values.max)
    return { rate: Math.floor(Number(values.max) / 2), max: Number(values.max), source: "--max" };
  const latest = join(REPORTS, "latest.json");
  if (!existsSync(latest))
    throw new Error("no measured maximum: run `npm run bench` first, or pass --max N (or --rate N)");
  const report = JSON.parse(readFileSync(latest, "utf8")) as { pipelineEventsPerSecond: number; at: string };
  const max = report.pipelineEventsPerSecond;
  return { rate: Math.floor(max / 2), max, source: `bench/reports/latest.json of ${report.at}` };
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
  log(
    `soak: ${minutes} min at ${rate} events/s (half of the measured maximum ${max} events/s, from ${source})`,
  );

  // Ctrl-C / SIGTERM: stop producing, drain, report what was measured (without a handler of our own the
  // stack's would exit at once and leave the supervised workers running).
  const abort = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      log(`${signal}: stopping the producer, draining, then reporting`);
      abort.abort();
    });
  const samples: Sample[] = [];
  const summary = await runPipeline({
    signal: abort.signal,
    durationS: minutes * 60,
    rate,
    seed: 9,
    faults: "default",
    profile: "bench",
    fresh: true,
    progressEveryMs: 30000,
    drainTimeoutMs: 300000,
    print: log,
    onSample: (supervisor: Supervisor, elapsedMs: number) => {
      const rss = (name: string) => (supervisor.snapshot(name)?.rssBytes ?? 0) / 1048576;
      samples.push({
        t: elapsedMs / 1000,
        published: supervisor.counters("producer").published ?? 0,
        ingestion: supervisor.counters("ingestion").acked ?? 0,
        analytics: supervisor.counters("analytics").acked ?? 0,
        rssMb: { producer: rss("producer"), ingestion: rss("ingestion"), analytics: rss("analytics") },
      });
    },
  });

  // Per minute of producing: events/s of each stage, backlog at the end of the minute, RSS.
  const start = samples.find((s) => s.published > 0);
  const producing = samples.filter((s) => start && s.t >= start.t && s.t <= start.t + minutes * 60);
  const perMinute: {
    minute: number;
    published: number;
    ingestion: number;
    analytics: number;
    backlogMax: number;
    rssMb: Sample["rssMb"];
  }[] = [];
  for (let m = 0; m < minutes; m++) {
    const inMinute = producing.filter(
      (s) => start && s.t >= start.t + m * 60 && s.t < start.t + (m + 1) * 60,
    );
    const first = inMinute[0];
    const last = inMinute[inMinute.length - 1];
    if (!first || !last || last.t <= first.t) continue;
    const span = last.t - first.t;
    perMinute.push({
      minute: m + 1,
      published: (last.published - first.published) / span,
      ingestion: (last.ingestion - first.ingestion) / span,
      analytics: (last.analytics - first.analytics) / span,
      backlogMax: Math.max(...inMinute.map((s) => s.published - Math.min(s.ingestion, s.analytics))),
      rssMb: last.rssMb,
    });
  }
  const stages = ["producer", "ingestion", "analytics"] as const;
  const memory = stages.map((stage) => {
    const rss = producing.map((s) => s.rssMb[stage]).filter((v) => v > 0);
    const tenth = Math.max(1, Math.floor(rss.length / 10));
    const early = median(rss.slice(tenth, 2 * tenth)); // minute ~2, after warm-up
    const late = median(rss.slice(-tenth));
    return {
      stage,
      earlyMb: early,
      lateMb: late,
      growthPct: ((late - early) / early) * 100,
      peakMb: Math.max(...rss),
    };
  });
  const backlogMax = Math.max(0, ...producing.map((s) => s.published - Math.min(s.ingestion, s.analytics)));
  const report = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    options: { minutes, rate, measuredMax: max, source },
    perMinute,
    memory,
    backlogMax,
    latencyMs: { p50: summary.totals.p50, p95: summary.totals.p95, p99: summary.totals.p99 },
    reconciliation: reconciliationOf(summary),
  };
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(Math.abs(n) >= 100 ? 0 : 1) : "-");
  const md = [
    `# Soak ${report.at}`,
    "",
    `${report.machine.cpus} cores, Node ${report.machine.node}; ${minutes} min at ${rate} events/s (half of ${f(max)}, ${source}); default faults.`,
    "",
    "| minute | published/s | ingestion acked/s | analytics acked/s | backlog max | RSS producer / ingestion / analytics (MiB) |",
    "| ---: | ---: | ---: | ---: | ---: | --- |",
    ...perMinute.map(
      (m) =>
        `| ${m.minute} | ${f(m.published)} | ${f(m.ingestion)} | ${f(m.analytics)} | ${m.backlogMax} | ${f(m.rssMb.producer)} / ${f(m.rssMb.ingestion)} / ${f(m.rssMb.analytics)} |`,
    ),
    "",
    "| process | RSS minute ~2 (MiB) | RSS last minute (MiB) | growth | peak |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...memory.map(
      (m) => `| ${m.stage} | ${f(m.earlyMb)} | ${f(m.lateMb)} | ${f(m.growthPct)}% | ${f(m.peakMb)} |`,
    ),
    "",
    `Backlog max ${backlogMax} messages. End-to-end latency p50 ${f(report.latencyMs.p50)} ms, p95 ${f(report.latencyMs.p95)} ms, p99 ${f(report.latencyMs.p99)} ms.`,
    "",
    reconciliationLine(report.reconciliation),
    "",
  ].join("\n");
  writeReport("soak-latest", report, md, log);
}

main().catch((error) => {
  console.error(`soak failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
