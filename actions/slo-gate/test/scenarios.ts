/** Fake Cloud Monitoring series for the declared SLOs: pass, warn (slow burn), fail (fast burn), missing. */
import { join } from "node:path";
import { EVENT_LATENCY_BOUNDS_SECONDS, loadSloCatalog, type MetricSelector } from "@shopstream/slo";
import { counterSeries, distributionSeries, type FakeSeries, gaugeSeries } from "@shopstream/testkit";

export const PREFIX = "shopstream-staging";
export const END = Date.UTC(2025, 0, 31, 12, 0, 0);
/** The frozen declarations of packages/slo's tests (the brief's targets). */
export const FIXTURE_DIR = join(__dirname, "..", "..", "..", "packages", "slo", "test", "fixtures", "slo");
const catalog = loadSloCatalog(FIXTURE_DIR);

export const resolve = (s: MetricSelector) => {
  const fill = (l: Record<string, string>) =>
    Object.fromEntries(Object.entries(l).map(([k, v]) => [k, v.replace("{name_prefix}", PREFIX)]));
  return { ...s, resourceLabels: fill(s.resourceLabels), metricLabels: fill(s.metricLabels) };
};
export const sli = (name: string) => catalog.slos.find((s) => s.name === name)!.sli;

export type Scenario = "pass" | "warn" | "fail" | "missing";

/** A latency histogram with `onTime` events under 1 s and `late` ones in [60, 120) s. */
export const latencyCounts = (onTime: number, late = 0): number[] => {
  const counts = new Array(EVENT_LATENCY_BOUNDS_SECONDS.length + 1).fill(0);
  counts[2] = onTime;
  counts[9] = late;
  return counts;
};

/**
 * `days` of per-minute data. Success: failures per 1000 events by scenario (warn: 1.5 per 1000 over the
 * last 3 days = 1.5x burn; fail: 20 per 1000 over the last hour = 20x). Latency: 2000 events a minute,
 * all on time. Connections split over two hosts, 20 each.
 */
export function scenarioSeries(scenario: Scenario, days = 4): FakeSeries[] {
  if (scenario === "missing") return [];
  const minutes = days * 1440;
  const success = sli("processing-success");
  const latency = sli("processing-latency");
  const connections = sli("mongodb-connections");
  if (
    success.kind !== "ratio" ||
    latency.kind !== "distribution-cut" ||
    connections.kind !== "windows-in-range"
  )
    throw new Error("unexpected SLI kinds");
  // the success SLO is read up to END - 240 s: shift the bad minutes so the windows see whole hours
  const bad = (ago: number) =>
    scenario === "warn" && ago < 3 * 1440 + 4 ? 1.5 : scenario === "fail" && ago < 64 ? 20 : 0;
  const host = (h: string) => ({
    ...resolve(connections.metric),
    metricLabels: { ...resolve(connections.metric).metricLabels, host: h },
  });
  return [
    // 2000 published a minute; good split across two series (REDUCE_SUM), failures per 1000 doubled
    counterSeries(resolve(success.total), END, minutes, () => 2000),
    counterSeries(resolve(success.good), END, minutes, (ago) => 1200 - 2 * bad(ago)),
    counterSeries({ ...resolve(success.good), metricLabels: { stream: "2" } }, END, minutes, () => 800),
    distributionSeries(resolve(latency.metric), END, minutes, EVENT_LATENCY_BOUNDS_SECONDS, () =>
      latencyCounts(2000),
    ),
    gaugeSeries(host("a"), END, minutes, () => 20),
    gaugeSeries(host("b"), END, minutes, () => 20),
  ];
}
