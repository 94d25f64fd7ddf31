/**
 * Benchmark of the SLO gate: 30 days of one-minute series for every SLO of policies/slo, evaluated
 * (burn-rate windows, budget, composite, release criteria and the audit), and the whole gate through the
 * real MetricServiceClient against the fake Cloud Monitoring gRPC server (reads + evaluation). Goal: under
 * 2 s for the gate. It measures and asserts nothing (tests assert behaviour, never time).
 *   npx tsx bench/src/slo-gate.ts [--runs 5]
 */
import { MetricServiceClient } from "@google-cloud/monitoring";
import {
  auditCatalog,
  EVENT_LATENCY_BOUNDS_SECONDS,
  evaluateCatalog,
  evaluateRelease,
  loadSloCatalog,
  type MetricSelector,
  type MinuteCounts,
  readCatalogMinutes,
} from "../../packages/slo/src";
import {
  counterSeries,
  distributionSeries,
  gaugeSeries,
} from "../../packages/testkit/src/monitoring/scenarios";
import { FakeMonitoringServer } from "../../packages/testkit/src/monitoring/server";
import { median } from "./stats";

process.env.METADATA_SERVER_DETECTION = "none";
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const END = Date.UTC(2026, 10, 30, 12, 0, 0);
const MINUTES = 30 * 1440;
const PREFIX = "shopstream-bench";
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

function fakeSeries() {
  const resolve = (s: MetricSelector) => {
    const fill = (l: Record<string, string>) =>
      Object.fromEntries(Object.entries(l).map(([k, v]) => [k, v.replace("{name_prefix}", PREFIX)]));
    return { ...s, resourceLabels: fill(s.resourceLabels), metricLabels: fill(s.metricLabels) };
  };
  const sli = (name: string) => catalog.slos.find((s) => s.name === name)?.sli;
  const success = sli("processing-success");
  const latency = sli("processing-latency");
  const connections = sli("mongodb-connections");
  if (
    success?.kind !== "ratio" ||
    latency?.kind !== "distribution-cut" ||
    connections?.kind !== "windows-in-range"
  )
    throw new Error("unexpected SLI kinds in policies/slo");
  const counts = new Array(EVENT_LATENCY_BOUNDS_SECONDS.length + 1).fill(0);
  counts[2] = 1990;
  counts[9] = 10;
  return [
    counterSeries(resolve(success.total), END, MINUTES, () => 2000),
    counterSeries(resolve(success.good), END, MINUTES, (ago) => (ago % 97 === 0 ? 1990 : 2000)),
    distributionSeries(resolve(latency.metric), END, MINUTES, EVENT_LATENCY_BOUNDS_SECONDS, () => counts),
    gaugeSeries(resolve(connections.metric), END, MINUTES, () => 40),
  ];
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

  const fake = new FakeMonitoringServer();
  fake.pageSize = 100;
  fake.series.push(...fakeSeries());
  await fake.start();
  const client = new MetricServiceClient(fake.clientOptions());
  const endToEnd: number[] = [];
  const reads: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      let read = 0;
      endToEnd.push(
        await time(async () => {
          const start = performance.now();
          const minutes = await readCatalogMinutes(client, catalog, {
            projectId: "bench-project",
            namePrefix: PREFIX,
            endMs: END,
          });
          read = performance.now() - start;
          evaluateCatalog(catalog, minutes, END);
        }),
      );
      reads.push(read);
    }
  } finally {
    await client.close();
    await fake.stop();
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
  console.log(
    `  goal: gate under 2000 ms -> ${median(endToEnd) < 2000 ? "met" : "NOT met"}; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
