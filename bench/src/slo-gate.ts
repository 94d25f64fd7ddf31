/**
 * Benchmark of the SLO gate: 30 days of one-minute series for every SLO of policies/slo, evaluated
 * (burn-rate windows, budget, composite, release criteria and the audit), and the whole gate through the
 * real MetricServiceClient against the fake Cloud Monitoring gRPC server in its own process (reads +
 * evaluation; wall time, this process's CPU time and the fake's CPU time apart, with the load average of
 * each run: on a shared machine the CPU times are the figures that hold). Goal: under 2 s for the gate.
 * It measures and asserts nothing (tests assert behaviour, never time).
 *   npx tsx bench/src/slo-gate.ts [--runs 5]
 */

import { fork } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { MetricServiceClient } from "@google-cloud/monitoring";
import * as grpc from "@grpc/grpc-js";
import {
  auditCatalog,
  evaluateCatalog,
  evaluateRelease,
  loadSloCatalog,
  type MinuteCounts,
  readCatalogMinutes,
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

  // the fake server in its own process (see slo-gate-fake.ts): this process's CPU time is the gate's
  const child = fork(join(__dirname, "slo-gate-fake.ts"), [], { execArgv: process.execArgv });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { port: number }).port));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the fake Monitoring server exited (${code})`)));
  });
  const client = new MetricServiceClient({
    servicePath: "127.0.0.1",
    port,
    sslCreds: grpc.credentials.createInsecure(),
    projectId: "bench-project",
  });
  const fakeCpuMs = () =>
    new Promise<number>((resolve) => {
      child.once("message", (m) => resolve((m as { cpuMs: number }).cpuMs));
      child.send("cpu");
    });
  const endToEnd: number[] = [];
  const reads: number[] = [];
  const cpu: number[] = [];
  const fakeCpu: number[] = [];
  const loads: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      let read = 0;
      const fakeBefore = await fakeCpuMs();
      const before = process.cpuUsage();
      endToEnd.push(
        await time(async () => {
          const start = performance.now();
          const minutes = await readCatalogMinutes(client, catalog, {
            projectId: "bench-project",
            namePrefix: "shopstream-bench",
            endMs: END,
          });
          read = performance.now() - start;
          evaluateCatalog(catalog, minutes, END);
        }),
      );
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
      fakeCpu.push((await fakeCpuMs()) - fakeBefore);
      reads.push(read);
      loads.push(loadavg()[0] as number);
    }
  } finally {
    await client.close();
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
  console.log(
    `  gate end to end through gRPC (fake Monitoring):         ${ms(endToEnd)}  [reads ${ms(reads)}]`,
  );
  console.log(`  gate CPU time in this process (user + sys):              ${ms(cpu)}`);
  console.log(`  the fake Monitoring server's CPU time per gate:           ${ms(fakeCpu)}`);
  console.log(
    `  1-min load average during the gate runs: ${loads.map((l) => l.toFixed(1)).join(", ")}; now (1, 5, 15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
  console.log(
    `  goal: gate under 2000 ms -> ${median(endToEnd) < 2000 ? "met" : "NOT met"}; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
