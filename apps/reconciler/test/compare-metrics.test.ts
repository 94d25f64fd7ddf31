import { MetricServiceClient } from "@google-cloud/monitoring";
import { distributionCut, loadSloCatalog, localStatus } from "@shopstream/slo";
import { LatencyHistogram } from "@shopstream/telemetry";
import { FakeMonitoringServer } from "@shopstream/testkit";
import { compareEventIds } from "../src/compare";
import { latencyDistribution } from "../src/latency";
import {
  isAlreadyWritten,
  latencySeries,
  RECONCILIATION_METRICS,
  windowSeries,
  writeSeries,
} from "../src/metrics";
import type { WindowResult } from "../src/state";

describe("compareEventIds", () => {
  it("counts each side's ids absent from the other, with sorted bounded samples", () => {
    const diff = compareEventIds(["a", "b", "c", "c"], ["b", "c", "d", "e", "f"], 2);
    expect(diff).toEqual({
      missingInMongo: 3,
      missingInBigQuery: 1,
      mongoSample: ["d", "e"],
      bigquerySample: ["a"],
      mongoDistinct: 3,
      bigqueryDistinct: 5,
    });
  });
});

describe("latencyDistribution", () => {
  it("counts 9.999 s good and 10.000 s bad, in the cloud's distribution and in the local SLI alike", () => {
    const catalog = loadSloCatalog();
    const slo = catalog.slos.find((s) => s.sli.kind === "distribution-cut");
    if (slo?.sli.kind !== "distribution-cut") throw new Error("the catalogue has no distribution-cut SLO");
    const latenciesS = [9.999, 10, 10.15];
    // cloud: the exporter's distribution, cut the way Cloud Monitoring cuts the SLO's range
    const d = latencyDistribution(latenciesS);
    const point = {
      distributionValue: {
        count: d.count,
        bucketCounts: d.bucketCounts,
        bucketOptions: { explicitBuckets: { bounds: [...d.bounds] } },
      },
    };
    expect(slo.sli.range.max).toBe(10);
    expect(distributionCut(point, slo.sli.range)).toEqual({ good: 1, total: 3 });
    // local: the workers' histogram (milliseconds) through the same declaration as `npm start`
    const histogram = new LatencyHistogram();
    for (const seconds of latenciesS) histogram.record(seconds * 1000);
    const local = localStatus(catalog, {
      counters: {},
      gauges: {},
      latencyShareWithin: (bound) => histogram.shareWithinSloBound(bound),
    }).find((status) => status.slo.name === slo.name);
    expect(local?.sli).toBeCloseTo(1 / 3, 12);
  });

  it("puts 10 s on a bucket boundary, so values below 10 s are exactly the buckets before it", () => {
    const d = latencyDistribution([0.05, 0.3, 9.999, 10, 11, 4000, -0.2]);
    expect(d.bounds).toContain(10);
    expect(d.count).toBe(7);
    const tenIndex = d.bounds.indexOf(10);
    const below = d.bucketCounts.slice(0, tenIndex + 1).reduce((a, b) => a + b, 0);
    expect(below).toBe(4); // 0.05, 0.3, 9.999 and the clock-skewed -0.2 (as 0)
    expect(d.bucketCounts.at(-1)).toBe(1); // 4000 s overflow
    expect(d.mean).toBeCloseTo((0.05 + 0.3 + 9.999 + 10 + 11 + 4000 + 0) / 7, 9);
  });

  it("refuses non-finite latencies", () => {
    expect(() => latencyDistribution([Number.NaN])).toThrow(/finite/);
  });
});

describe("metrics through the real client", () => {
  const server = new FakeMonitoringServer();
  let client: MetricServiceClient;
  beforeAll(async () => {
    await server.start();
    client = new MetricServiceClient(server.clientOptions());
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  const result: WindowResult = {
    window: { startMs: Date.parse("2026-11-30T11:30:00Z"), endMs: Date.parse("2026-11-30T11:35:00Z") },
    missing: { mongodb: 3, bigquery: 1 },
    deadLettered: { mongodb: 2, bigquery: 5 },
    sample: { mongodb: [], bigquery: [] },
  };

  it("writes missing, extra and dead-lettered per store as INT64 gauges stamped at the window end", async () => {
    expect(await writeSeries(client, "p1", windowSeries(result, "shopstream-dev", "p1"))).toBe(true);
    const got = server.created.map(({ name, series }) => ({
      name,
      type: series.metricType.split("/").slice(-1)[0],
      store: series.metricLabels?.store,
      deployment: series.metricLabels?.deployment,
      kind: `${series.metricKind}/${series.valueType}`,
      endMs: series.points[0]?.endMs,
      value: series.points[0]?.value,
    }));
    const common = {
      name: "projects/p1",
      deployment: "shopstream-dev",
      kind: "GAUGE/INT64",
      endMs: result.window.endMs,
    };
    expect(got).toEqual([
      { ...common, type: "missing_events", store: "mongodb", value: 3 },
      { ...common, type: "extra_events", store: "mongodb", value: 1 },
      { ...common, type: "dead_lettered_events", store: "mongodb", value: 2 },
      { ...common, type: "missing_events", store: "bigquery", value: 1 },
      { ...common, type: "extra_events", store: "bigquery", value: 3 },
      { ...common, type: "dead_lettered_events", store: "bigquery", value: 5 },
    ]);
    expect(server.created[0]?.series.metricType).toBe(RECONCILIATION_METRICS.missing);
  });

  it("turns other refusals into an error naming the project and the likely fix", async () => {
    server.failure = { code: 7, details: "Permission monitoring.timeSeries.create denied", times: 1 };
    await expect(writeSeries(client, "p1", windowSeries(result, "d", "p1"))).rejects.toThrow(
      /projects\/p1.*denied.*metricWriter/,
    );
  });

  it("recognises the API's refusal of a point that is not newer (a re-run) as already written", async () => {
    server.failure = {
      code: 3,
      details:
        "One or more TimeSeries could not be written: Points must be written in order. One or more of the points specified had an older start time than the most recent point.",
      times: 1,
    };
    expect(await writeSeries(client, "p1", windowSeries(result, "d", "p1"))).toBe(false);
    expect(isAlreadyWritten(new Error("quota exceeded"))).toBe(false);
  });

  it("refuses negative or fractional counts before writing", () => {
    expect(() => windowSeries({ ...result, missing: { mongodb: -1, bigquery: 0 } }, "d", "p1")).toThrow(
      /finite number >= 0/,
    );
    expect(() => windowSeries({ ...result, deadLettered: { mongodb: 1.5, bigquery: 0 } }, "d", "p1")).toThrow(
      /integer/,
    );
  });

  it("writes a window's latency as a CUMULATIVE distribution over the catalogue's bounds", async () => {
    const before = server.created.length;
    const d = latencyDistribution([0.3, 4, 12]);
    const { startMs, endMs } = result.window;
    await writeSeries(client, "p1", [latencySeries(d, "bigquery", "shopstream-dev", "p1", startMs, endMs)]);
    const written = server.created.slice(before);
    expect(written.map((c) => [c.series.metricType, c.series.metricKind, c.series.metricLabels])).toEqual([
      [RECONCILIATION_METRICS.latency, "CUMULATIVE", { deployment: "shopstream-dev", store: "bigquery" }],
    ]);
  });
});
