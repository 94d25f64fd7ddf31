import { MetricServiceClient } from "@google-cloud/monitoring";
import {
  DEFAULT_SLO_DIR,
  EVENT_LATENCY_BOUNDS_SECONDS,
  evaluateCatalog,
  loadSloCatalog,
  readCatalogMinutes,
} from "@shopstream/slo";
import { createLogger } from "@shopstream/telemetry";
import { FakeMonitoringServer } from "@shopstream/testkit";
import { type LatencySample, type LatencySource, summariseLatencies } from "../src/event-latency";
import { exportSlis, latencyMinute } from "../src/export-slis";
import { RECONCILIATION_METRICS, STORES } from "../src/metrics";

const at = (iso: string) => Date.parse(iso);
/** A sample processed at `processed` whose latency is `seconds` (null: the publisher did not stamp it). */
const sample = (processed: number, seconds: number | null): LatencySample => ({
  publishedMs: seconds === null ? null : processed - seconds * 1000,
  processedMs: processed,
});
const bucketOf = (seconds: number) => {
  let i = 0;
  while (i < EVENT_LATENCY_BOUNDS_SECONDS.length && seconds >= (EVENT_LATENCY_BOUNDS_SECONDS[i] as number))
    i++;
  return i;
};
const histogram = (seconds: number[]) => {
  const counts = new Array<number>(EVENT_LATENCY_BOUNDS_SECONDS.length + 1).fill(0);
  for (const s of seconds) counts[bucketOf(s)] = (counts[bucketOf(s)] as number) + 1;
  return counts;
};

describe("summariseLatencies", () => {
  const t = at("2026-11-30T11:44:30Z");

  it("buckets processed_at - published_at in seconds; 10 s exactly is above the SLO's bound", () => {
    const s = summariseLatencies([0.1, 0.3, 3, 9.999, 10, 12].map((x) => sample(t, x)));
    expect(s.distribution.bucketCounts).toEqual(histogram([0.1, 0.3, 3, 9.999, 10, 12]));
    expect(s.distribution.count).toBe(6);
    expect(s.distribution.mean).toBeCloseTo((0.1 + 0.3 + 3 + 9.999 + 10 + 12) / 6, 9);
    expect(s).toMatchObject({ unmeasured: 0, invalid: 0 });
  });

  it("counts events without published_at as unmeasured, outside the distribution", () => {
    const s = summariseLatencies([sample(t, null), sample(t, null), sample(t, 2)]);
    expect(s).toMatchObject({ unmeasured: 2, invalid: 0 });
    expect(s.distribution.count).toBe(1);
  });

  it("clamps a publish stamp up to 1 s after processing to 0 s (clock skew); beyond that it is invalid", () => {
    const s = summariseLatencies([sample(t, -0.999), sample(t, -1.001), sample(t, -3600)]);
    expect(s.distribution.count).toBe(1);
    expect(s.distribution.bucketCounts[0]).toBe(1);
    expect(s.distribution.mean).toBe(0);
    expect(s.invalid).toBe(2);
  });

  it("counts a stamp that did not parse as invalid, never as fast", () => {
    const s = summariseLatencies([{ publishedMs: Number.NaN, processedMs: t }]);
    expect(s).toMatchObject({ invalid: 1, unmeasured: 0 });
    expect(s.distribution.count).toBe(0);
  });
});

describe("export-slis writes pipeline/event_latency, and the gate scores processing-latency from it", () => {
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

  // 12:00:30 minus the metric's 900 s writeAfterSeconds: the minute [11:44, 11:45) is written.
  const NOW = at("2026-11-30T12:00:30Z");
  const MONGO_LATENCIES = [0.2, 0.4, 0.9, 1.5, 4, 9.5, 11, 45];
  const reads: { store: string; startMs: number; endMs: number }[] = [];
  const source: LatencySource = async (store, minute) => {
    reads.push({ store, ...minute });
    if (store === "bigquery") return []; // nothing processed in that minute
    const t = minute.startMs + 20_000;
    return [...MONGO_LATENCIES.map((s) => sample(t, s)), sample(t, null), sample(t, -120)];
  };
  const options = (nowMs: number) => ({
    projectId: "p1",
    deployment: "shopstream-dev",
    sloDir: DEFAULT_SLO_DIR,
    mongo: undefined,
    monitoring: client,
    logger: createLogger("test", { LOG_LEVEL: "error" }),
    nowMs,
    latency: source,
    latencyStores: STORES, // EXPORT_BIGQUERY_LATENCY=true: both stores
  });

  it("chooses the minute that ended the metric's writeAfterSeconds ago", () => {
    expect(latencyMinute(NOW)).toEqual({
      startMs: at("2026-11-30T11:44:00Z"),
      endMs: at("2026-11-30T11:45:00Z"),
    });
  });

  it("writes one CUMULATIVE point per store: the minute as a reset interval, the exact histogram", async () => {
    await exportSlis(options(NOW));
    expect(reads).toEqual([
      { store: "mongodb", startMs: at("2026-11-30T11:44:00Z"), endMs: at("2026-11-30T11:45:00Z") },
      { store: "bigquery", startMs: at("2026-11-30T11:44:00Z"), endMs: at("2026-11-30T11:45:00Z") },
    ]);
    const latency = server.created.filter((c) => c.series.metricType === RECONCILIATION_METRICS.latency);
    expect(
      latency.map((c) => [c.name, c.series.metricKind, c.series.metricLabels, c.series.points[0]]),
    ).toEqual([
      [
        "projects/p1",
        "CUMULATIVE",
        { deployment: "shopstream-dev", store: "mongodb" },
        {
          startMs: at("2026-11-30T11:44:00.001Z"),
          endMs: at("2026-11-30T11:45:00Z"),
          value: MONGO_LATENCIES.length, // the unmeasured and the invalid event are left out
          distribution: { bounds: [...EVENT_LATENCY_BOUNDS_SECONDS], counts: histogram(MONGO_LATENCIES) },
        },
      ],
      [
        "projects/p1",
        "CUMULATIVE",
        { deployment: "shopstream-dev", store: "bigquery" },
        {
          startMs: at("2026-11-30T11:44:00.001Z"),
          endMs: at("2026-11-30T11:45:00Z"),
          value: 0, // a quiet minute is written as zero events, not left as a gap
          distribution: { bounds: [...EVENT_LATENCY_BOUNDS_SECONDS], counts: histogram([]) },
        },
      ],
    ]);
  });

  it("the gate reads those points back: processing-latency is measured, 6 of 8 events within 10 s", async () => {
    const catalog = loadSloCatalog(DEFAULT_SLO_DIR);
    // the gate at a time when the written minute is past the SLO's visibility horizon
    const gateAt = at("2026-11-30T12:30:00Z");
    const data = await readCatalogMinutes(client, catalog, {
      projectId: "p1",
      namePrefix: "shopstream-dev",
      endMs: gateAt,
      lookbackSeconds: 3 * 3600,
    });
    expect([...(data.get("processing-latency") ?? new Map())]).toEqual([
      [at("2026-11-30T11:45:00Z"), { good: 6, total: 8 }],
    ]);
    const report = evaluateCatalog(catalog, data, gateAt);
    const latency = report.evaluations.find((e) => e.slo.name === "processing-latency");
    expect(latency?.status).not.toBe("not-measured");
    expect(latency?.counted).toBe(true);
  });

  it("reads and writes only MongoDB's latency by default: no SLO reads store=bigquery (S4)", async () => {
    const before = { reads: reads.length, created: server.created.length };
    await exportSlis({ ...options(NOW - 3600_000), latencyStores: undefined });
    // before: BigQuery was read (about a day of events partitions) every minute as well
    expect(reads.slice(before.reads).map((r) => r.store)).toEqual(["mongodb"]);
    expect(
      server.created
        .slice(before.created)
        .filter((c) => c.series.metricType === RECONCILIATION_METRICS.latency)
        .map((c) => c.series.metricLabels?.store),
    ).toEqual(["mongodb"]);
    reads.length = before.reads;
  });

  it("fails the run naming the store whose read failed, and still writes the other store's point", async () => {
    const before = server.created.length;
    const failing: LatencySource = async (store, minute) => {
      if (store === "mongodb") throw new Error("connection refused");
      return source(store, minute);
    };
    await expect(exportSlis({ ...options(NOW + 60_000), latency: failing })).rejects.toThrow(
      /SLI export failed for shopstream-dev: event latency \(mongodb\): connection refused/,
    );
    expect(
      server.created
        .slice(before)
        .filter((c) => c.series.metricType === RECONCILIATION_METRICS.latency)
        .map((c) => c.series.metricLabels?.store),
    ).toEqual(["bigquery"]);
  });
});
