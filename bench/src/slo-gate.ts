/**
 * Benchmark of the SLO gate: 30 days of one-minute series for every SLO of policies/slo, evaluated
 * (burn-rate windows, budget, composite, release criteria and the audit) in memory, then the whole gate
 * through the real MetricServiceClient against the fake Cloud Monitoring gRPC server in its own process,
 * each gate in a fresh process (slo-gate-run.ts: cold, as the action runs): one catalog, and a promotion
 * (the source's catalog and the target's budget, read at once as actions/slo-gate does). Wall time, the
 * gate's CPU time and the fake's CPU time apart, with the load average of each run: on a shared machine the
 * CPU times are the figures that hold. Goal: the promotion gate under 2 s. It measures and asserts nothing
 * (tests assert behaviour, never time). The gate decodes ListTimeSeries answers as actions/slo-gate does
 * (its one-pass decoder); SLO_GATE_STOCK_DECODE=true measures the client's own decoder instead.
 *   flock /tmp/shopstream-cpu.lock npx tsx bench/src/slo-gate.ts [--runs 5]
 */

import { execFile, fork } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import {
  auditCatalog,
  evaluateCatalog,
  evaluateRelease,
  loadSloCatalog,
  type MinuteCounts,
} from "@shopstream/slo";
import { END, MINUTES } from "./slo-gate-fake";
import { median } from "./stats";

process.env.METADATA_SERVER_DETECTION = "none";
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const catalog = loadSloCatalog();

const time = async (f: () => unknown | Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await f();
  return performance.now() - start;
};

function inMemory(): Map<string, MinuteCounts> {
  const series = (f: (ago: number) => { good: number; total: number }) => {
    const m: MinuteCounts = new Map();
    for (let ago = 0; ago < MINUTES; ago++) m.set(END - ago * 60_000, f(ago));
    return m;
  };
  return new Map([
    ["processing-success", series((ago) => ({ good: ago % 97 === 0 ? 1990 : 2000, total: 2000 }))],
    ["processing-latency", series((ago) => ({ good: ago % 89 === 0 ? 1800 : 2000, total: 2000 }))],
    ["mongodb-connections", series((ago) => ({ good: ago % 500 === 0 ? 0 : 1, total: 1 }))],
  ]);
}

async function main(): Promise<void> {
  const data = inMemory();
  const evaluate: number[] = [];
  const audit: number[] = [];
  const release: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let gate = evaluateCatalog(catalog, data, END);
    evaluate.push(await time(() => (gate = evaluateCatalog(catalog, data, END))));
    release.push(await time(() => evaluateRelease(catalog, data, END, END - 3 * 3600_000, gate)));
    audit.push(await time(() => auditCatalog(catalog, data, END)));
  }

  // the fake server in its own process (see slo-gate-fake.ts); every gate in a fresh process of its own
  // (slo-gate-run.ts), cold, as the action runs it: this bench's CPU is neither the fake's nor the gate's
  const child = fork(join(__dirname, "slo-gate-fake.ts"), [], { execArgv: process.execArgv });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { port: number }).port));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the fake Monitoring server exited (${code})`)));
  });
  const fakeCpuMs = () =>
    new Promise<number>((resolve) => {
      child.once("message", (m) => resolve((m as { cpuMs: number }).cpuMs));
      child.send("cpu");
    });
  const runGate = (shape: "one" | "promotion") =>
    new Promise<{ wallMs: number; readMs: number; cpuMs: number; fastDecode: boolean }>((resolve, reject) => {
      execFile(
        process.execPath,
        [...process.execArgv, join(__dirname, "slo-gate-run.ts"), String(port), shape],
        { maxBuffer: 1 << 20 },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`gate run failed: ${stderr || error.message}`));
          else resolve(JSON.parse(stdout.trim().split("\n").pop() as string));
        },
      );
    });
  type Shape = "one" | "promotion";
  const results: Record<
    Shape,
    { wall: number[]; read: number[]; cpu: number[]; fake: number[]; load: number[] }
  > = {
    one: { wall: [], read: [], cpu: [], fake: [], load: [] },
    promotion: { wall: [], read: [], cpu: [], fake: [], load: [] },
  };
  const decoders = new Set<boolean>();
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const shape of ["one", "promotion"] as const) {
        const fakeBefore = await fakeCpuMs();
        const run = await runGate(shape);
        decoders.add(run.fastDecode);
        const r = results[shape];
        r.wall.push(run.wallMs);
        r.read.push(run.readMs);
        r.cpu.push(run.cpuMs);
        r.fake.push((await fakeCpuMs()) - fakeBefore);
        r.load.push(loadavg()[0] as number);
      }
    }
  } finally {
    child.disconnect();
  }
  const ms = (v: number[]) =>
    `${median(v).toFixed(0)} ms (min ${Math.min(...v).toFixed(0)}, max ${Math.max(...v).toFixed(0)})`;
  console.log(
    `SLO gate benchmark: ${catalog.slos.length} SLOs, 30 days of one-minute series (${MINUTES} minutes each), median of ${RUNS} runs`,
  );
  console.log(`  evaluate (all SLOs, every burn-rate window, composite):  ${ms(evaluate)}`);
  console.log(`  release criteria:                                       ${ms(release)}`);
  console.log(`  audit:                                                  ${ms(audit)}`);
  const label = {
    one: "one catalog (a gate without a target)",
    promotion: "promotion (source + target budget)",
  };
  console.log(
    `  ListTimeSeries answers decoded by: ${[...decoders].map((fast) => (fast ? "the gate's one-pass decoder (packages/slo list-time-series-decode.ts)" : "the client's own decoder (SLO_GATE_STOCK_DECODE=true)")).join(" and ")}`,
  );
  for (const shape of ["one", "promotion"] as const) {
    const r = results[shape];
    console.log(`  ${label[shape]}, cold process, through gRPC (fake Monitoring):`);
    console.log(`    wall ${ms(r.wall)}  [reads ${ms(r.read)}]`);
    console.log(`    gate CPU (user + sys) ${ms(r.cpu)}; the fake server's CPU ${ms(r.fake)}`);
    console.log(`    1-min load average per run: ${r.load.map((l) => l.toFixed(1)).join(", ")}`);
  }
  console.log(
    `  goal: the promotion gate under 2000 ms -> ${median(results.promotion.wall) < 2000 ? "met" : "NOT met"}; now (1, 5, 15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
