/**
 * The fake Cloud Monitoring server of bench/src/slo-gate.ts, in its own process: the real API does not run
 * in the gate's process, so its encoding and garbage collection must not be counted as the gate's CPU
 * time. Sends `{ port }` once listening, answers `"cpu"` with `{ cpuMs }` (its own user + sys CPU time so
 * far: the stand-in's share, reported apart); exits when the parent disconnects.
 */
import { EVENT_LATENCY_BOUNDS_SECONDS, loadSloCatalog, type MetricSelector } from "@shopstream/slo";
import { counterSeries, distributionSeries, FakeMonitoringServer, gaugeSeries } from "@shopstream/testkit";

export const END = Date.UTC(2026, 10, 30, 12, 0, 0);
export const MINUTES = 30 * 1440;
export const PREFIX = "shopstream-bench";
/** The promotion's target environment (its budget is read beside the source's). */
export const TARGET_PREFIX = "shopstream-bench-target";
const catalog = loadSloCatalog();

function fakeSeries(prefix: string) {
  const resolve = (s: MetricSelector) => {
    const fill = (l: Record<string, string>) =>
      Object.fromEntries(Object.entries(l).map(([k, v]) => [k, v.replace("{name_prefix}", prefix)]));
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

async function serve(): Promise<void> {
  const fake = new FakeMonitoringServer();
  fake.pageSize = 100;
  fake.series.push(...fakeSeries(PREFIX), ...fakeSeries(TARGET_PREFIX));
  const port = await fake.start();
  process.send?.({ port });
  process.on("message", (m) => {
    if (m === "cpu") {
      const used = process.cpuUsage();
      process.send?.({ cpuMs: (used.user + used.system) / 1000 });
    }
  });
  process.on("disconnect", () => {
    void fake.stop().then(() => process.exit(0));
  });
}

if (process.send) void serve();
