/**
 * `npm run bench`: the local pipeline's sustained throughput and end-to-end latency per stage, beside the
 * raw ceiling of each stand-in, and memory over the run. Writes bench/reports/latest.{json,md}.
 *   npm run bench -- [--duration 60] [--rate 3000] [--ceiling-count 20000]
 * A benchmark, not a test: it asserts nothing; it reports.
 */
import { parseArgs } from "node:util";
import { runPipeline, type Supervisor } from "@shopstream/local-pipeline";
import { startStack } from "@shopstream/stack";
import { type Ceiling, measureCeilings } from "./ceilings";
import { median, reconciliationLine, reconciliationOf, writeReport } from "./stats";

interface Sample {
  t: number;
  acked: Record<string, number>;
  rssMb: Record<string, number>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: "string", default: "60" },
      rate: { type: "string", default: "3000" },
      "ceiling-count": { type: "string", default: "20000" },
    },
  });
  const durationS = Number(values.duration);
  const rate = Number(values.rate);
  const ceilingCount = Number(values["ceiling-count"]);
  const log = (line: string) => console.log(line);

  log("measuring stand-in ceilings (profile bench)...");
  const stack = await startStack({ profile: "bench", fresh: true, log: (l) => log(`  ${l}`) });
  Object.assign(process.env, stack.env); // the clients read PUBSUB_EMULATOR_HOST and friends from here
  let ceilings: Ceiling[];
  try {
    ceilings = await measureCeilings(stack.env, ceilingCount, log);
  } finally {
    await stack.stop();
  }

  log(`running the pipeline for ${durationS}s at up to ${rate} events/s...`);
  const samples: Sample[] = [];
  const summary = await runPipeline({
    durationS,
    rate,
    seed: 1,
    faults: "default",
    profile: "bench",
    fresh: true,
    progressEveryMs: 5000,
    drainTimeoutMs: 300000,
    print: log,
    onSample: (supervisor: Supervisor, elapsedMs: number) => {
      const rss = (name: string) => (supervisor.snapshot(name)?.rssBytes ?? 0) / 1048576;
      samples.push({
        t: elapsedMs / 1000,
        acked: {
          producer: supervisor.counters("producer").published ?? 0,
          ingestion: supervisor.counters("ingestion").acked ?? 0,
          analytics: supervisor.counters("analytics").acked ?? 0,
        },
        rssMb: { producer: rss("producer"), ingestion: rss("ingestion"), analytics: rss("analytics") },
      });
    },
  });

  // Sustained rate: the slope over the middle of the run (warm-up and drain excluded).
  const active = samples.filter((s) => (s.acked.producer ?? 0) > 0);
  const from = active[Math.floor(active.length * 0.2)];
  const to = active[Math.floor(active.length * 0.8)];
  const rateOf = (stage: string) =>
    from && to && to.t > from.t
      ? ((to.acked[stage] ?? 0) - (from.acked[stage] ?? 0)) / (to.t - from.t)
      : Number.NaN;
  const stages = ["producer", "ingestion", "analytics"].map((stage) => {
    const rss = active.map((s) => s.rssMb[stage] ?? 0).filter((v) => v > 0);
    const third = Math.max(1, Math.floor(rss.length / 3));
    const middle = median(rss.slice(third, 2 * third));
    const last = median(rss.slice(-third));
    return {
      stage,
      eventsPerSecond: rateOf(stage),
      rssMbMiddle: middle,
      rssMbEnd: last,
      rssGrowthPct: ((last - middle) / middle) * 100,
    };
  });
  const slowestCeiling = ceilings.reduce((a, b) => (a.perSecond < b.perSecond ? a : b));
  const pipelineRate = Math.min(
    ...stages.filter((s) => s.stage !== "producer").map((s) => s.eventsPerSecond),
  );
  const report = {
    at: new Date().toISOString(),
    machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
    options: { durationS, rate, ceilingCount },
    ceilings,
    stages,
    latencyMs: { p50: summary.totals.p50, p95: summary.totals.p95, p99: summary.totals.p99 },
    pipelineEventsPerSecond: pipelineRate,
    slowestCeiling: slowestCeiling.stage,
    shareOfSlowestCeilingPct: (pipelineRate / slowestCeiling.perSecond) * 100,
    reconciliation: reconciliationOf(summary),
  };
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 1) : "-");
  const md = [
    `# Benchmark ${report.at}`,
    "",
    `${report.machine.cpus} cores, Node ${report.machine.node}; pipeline ${durationS}s at up to ${rate} events/s (default faults).`,
    "",
    "| stand-in ceiling (client only) | operations | per second |",
    "| --- | ---: | ---: |",
    ...ceilings.map((c) => `| ${c.stage} | ${c.operations} | ${f(c.perSecond)} |`),
    "",
    "| pipeline stage | sustained events/s | RSS middle (MiB) | RSS end (MiB) | growth |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...stages.map(
      (s) =>
        `| ${s.stage} | ${f(s.eventsPerSecond)} | ${f(s.rssMbMiddle)} | ${f(s.rssMbEnd)} | ${f(s.rssGrowthPct)}% |`,
    ),
    "",
    `End-to-end latency (publish -> stored): p50 ${f(report.latencyMs.p50)} ms, p95 ${f(report.latencyMs.p95)} ms, p99 ${f(report.latencyMs.p99)} ms.`,
    "",
    `Pipeline: ${f(pipelineRate)} events/s = ${f(report.shareOfSlowestCeilingPct)}% of the slowest stand-in ceiling (${slowestCeiling.stage}).`,
    "",
    reconciliationLine(report.reconciliation),
    "",
  ].join("\n");
  writeReport("latest", report, md, log);
}

main().catch((error) => {
  console.error(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
