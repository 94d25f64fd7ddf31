import { MetricServiceClient } from "@google-cloud/monitoring";
import { FakeMonitoringServer } from "@shopstream/testkit/monitoring";
import { counterSeries, distributionSeries, gaugeSeries } from "@shopstream/testkit/monitoring/scenarios";
import {
  distributionCut,
  EVENT_LATENCY_BOUNDS_SECONDS,
  evaluateCatalog,
  evaluateRelease,
  evaluationEnd,
  exportAvailability,
  exportMongoConnections,
  readCatalogMinutes,
} from "../src";
import { fixtureCatalog } from "./helpers";

process.env.METADATA_SERVER_DETECTION = "none";
const catalog = fixtureCatalog();
const END = Date.UTC(2025, 0, 31, 12, 0, 0);
const MINUTE = 60_000;
const PREFIX = "shopstream-dev";

const topic = {
  metricType: "pubsub.googleapis.com/topic/send_message_operation_count",
  resourceType: "pubsub_topic",
  resourceLabels: { topic_id: `${PREFIX}-events` },
};
const subscription = {
  metricType: "pubsub.googleapis.com/subscription/ack_message_count",
  resourceType: "pubsub_subscription",
  resourceLabels: { subscription_id: `${PREFIX}-events-ingestion` },
};
const latencyMetric = {
  metricType: "custom.googleapis.com/shopstream/pipeline/event_latency",
  resourceType: "global",
  metricLabels: { deployment: PREFIX, store: "mongodb" },
};
const connectionsMetric = (host: string) => ({
  metricType: "custom.googleapis.com/shopstream/mongodb/connections",
  resourceType: "global",
  metricLabels: { deployment: PREFIX, host } as Record<string, string>,
});
/** Latency histogram: `fast` events under 1 s, `at10` in [10, 20) s, `slow` in [60, 120) s. */
const histogram = (fast: number, at10 = 0, slow = 0) => {
  const counts = new Array(EVENT_LATENCY_BOUNDS_SECONDS.length + 1).fill(0);
  counts[2] = fast; // [0.5, 1)
  counts[6] = at10; // [10, 20)
  counts[9] = slow; // [60, 120)
  return counts;
};

describe("Cloud Monitoring reader and SLI exporter against the fake server", () => {
  const fake = new FakeMonitoringServer();
  let client: MetricServiceClient;
  beforeAll(async () => {
    await fake.start();
    client = new MetricServiceClient(fake.clientOptions());
  });
  afterAll(async () => {
    await client.close();
    await fake.stop();
  });
  /** The catalog's minutes over the hour before END, in project "p". */
  const readLastHour = () =>
    readCatalogMinutes(client, catalog, {
      projectId: "p",
      namePrefix: PREFIX,
      endMs: END,
      lookbackSeconds: 3600,
    });
  beforeEach(() => {
    fake.series.length = 0;
    fake.created.length = 0;
    fake.requests.length = 0;
  });

  test("the newest availability minute the gate scores has its latency input, even with the exporter a minute behind", async () => {
    const now = END + 30_000; // the gate runs 30 s into a minute
    // the exporter writes latency for minute E at E + 900 s; its run for the newest such minute has not
    // finished yet, so the fake serves latency one minute behind that
    const latencyEnd = Math.floor((now - 900_000) / MINUTE) * MINUTE - MINUTE;
    fake.series.push(
      counterSeries(topic, END, 240, () => 1000),
      counterSeries(subscription, END, 240, () => 1000),
      distributionSeries(latencyMetric, latencyEnd, 220, EVENT_LATENCY_BOUNDS_SECONDS, () => histogram(1000)),
    );
    const data = await readCatalogMinutes(client, catalog, {
      projectId: "p-dev-123",
      namePrefix: PREFIX,
      endMs: now,
      lookbackSeconds: 4 * 3600,
    });
    const gate = evaluateCatalog(catalog, data, now);
    const availability = gate.evaluations.find((e) => e.slo.name === "overall-availability")!;
    expect(availability.endMs).toBeLessThanOrEqual(latencyEnd);
    expect(availability.period.good).toBe(availability.period.total);
    // a promotion 21 minutes after the deploy: before, the newest minute (no latency yet) was bad and the
    // release burned far above its 2x limit
    const release = evaluateRelease(catalog, data, now, now - 21 * MINUTE, gate);
    expect(release.rows.map((r) => [r.name, r.score])).toContainEqual(["overall-availability", "pass"]);
    expect(release.score).toBe("pass");
    const latency = catalog.slos.find((x) => x.name === "processing-latency")!;
    expect(evaluationEnd(latency, now)).toBeLessThanOrEqual(latencyEnd);
  });

  test("ratio SLIs end at the visibility horizon; a minute missing either series is no data", async () => {
    fake.series.push(
      counterSeries(topic, END, 30, () => 100),
      // acks of the newest 3 minutes are not visible yet (ingestion delay), minute 10 has no ack point
      counterSeries(subscription, END, 30, (ago) =>
        ago < 3 || ago === 10 ? Number.NaN : ago === 6 ? 90 : 100,
      ),
    );
    fake.series[1]!.points = fake.series[1]!.points.filter((p) => !Number.isNaN(p.value));
    const data = await readCatalogMinutes(client, catalog, {
      projectId: "p-dev-123",
      namePrefix: PREFIX,
      endMs: END + 30_000,
      lookbackSeconds: 3600,
    });
    const success = data.get("processing-success")!;
    // read only up to END - 240 s: nothing of minutes 0-3 ago
    expect(Math.max(...success.keys())).toBe(END - 4 * MINUTE);
    const request = fake.requests.find((r) => r.filter.includes("ack_message_count"))!;
    expect(request.endMs).toBe(END - 4 * MINUTE);
    expect(success.get(END - 6 * MINUTE)).toEqual({ good: 90, total: 100 });
    // published, no acks: kept as traffic without data (composite), never as 0 good of 100
    expect(success.get(END - 10 * MINUTE)).toEqual({ good: 0, total: 100, incomplete: true });
  });

  test("latency is a distribution cut: events at or below 10 s over events stored, busy minutes weigh more", async () => {
    fake.series.push(
      // a quiet minute all late, a busy minute all on time: per event 1000 of 1001 are on time
      distributionSeries(latencyMetric, END, 60, EVENT_LATENCY_BOUNDS_SECONDS, (ago) =>
        ago === 20 ? histogram(0, 0, 1) : ago === 21 ? histogram(1000) : ago === 22 ? histogram(7, 3) : null,
      ),
      distributionSeries(
        { ...latencyMetric, metricLabels: { deployment: PREFIX, store: "bigquery" } },
        END,
        60,
        EVENT_LATENCY_BOUNDS_SECONDS,
        () => histogram(0, 0, 50),
      ),
    );
    const data = await readLastHour();
    const latency = data.get("processing-latency")!;
    expect(latency.get(END - 20 * MINUTE)).toEqual({ good: 0, total: 1 });
    expect(latency.get(END - 21 * MINUTE)).toEqual({ good: 1000, total: 1000 });
    // [10, 20) is above the 10 s bound: late
    expect(latency.get(END - 22 * MINUTE)).toEqual({ good: 7, total: 10 });
    expect(latency.size).toBe(3); // the BigQuery store's series is not this SLO's
    const request = fake.requests.find((r) => r.filter.includes("event_latency"))!;
    expect([request.perSeriesAligner, request.crossSeriesReducer]).toEqual(["ALIGN_DELTA", "REDUCE_SUM"]);
  });

  test.each([true, false])(
    "a minute without events is zero of zero, whether its bucket counts are left out (trim: %p) or sent",
    async (trim) => {
      // Cloud Monitoring leaves out trailing zero bucket counts: a zero-count point has none at all
      fake.trimTrailingZeroBuckets = trim;
      fake.series.push(
        distributionSeries(latencyMetric, END, 60, EVENT_LATENCY_BOUNDS_SECONDS, (ago) =>
          ago === 20 ? histogram(0) : ago === 21 ? histogram(0, 0, 2) : histogram(5, 1),
        ),
      );
      try {
        const data = await readLastHour();
        const latency = data.get("processing-latency")!;
        // before: left out as "NaN, infinite or negative counts" when the API trims (trim: true)
        expect(latency.get(END - 20 * MINUTE)).toEqual({ good: 0, total: 0 });
        expect(latency.get(END - 21 * MINUTE)).toEqual({ good: 0, total: 2 });
        expect(latency.get(END - 22 * MINUTE)).toEqual({ good: 5, total: 6 });
        expect([...latency.values()].filter((m) => Number.isNaN(m.good))).toHaveLength(0);
      } finally {
        fake.trimTrailingZeroBuckets = true;
      }
    },
  );

  test("windows SLIs: summed like metric_sum_in_range; NaN refused; a metric that stops arriving is bad", async () => {
    fake.series.push(
      gaugeSeries(connectionsMetric("a"), END, 60, (ago) =>
        ago < 30 ? Number.NaN : ago === 40 ? Number.NaN : 60,
      ),
      gaugeSeries(connectionsMetric("b"), END, 60, () => 30),
    );
    // the writer stopped 30 minutes ago on host a and b
    for (const s of fake.series) s.points = s.points.filter((p) => p.endMs < END - 29 * MINUTE);
    const data = await readLastHour();
    const connections = data.get("mongodb-connections")!;
    const request = fake.requests.find((r) => r.filter.includes("connections"))!;
    expect([request.perSeriesAligner, request.crossSeriesReducer]).toEqual(["ALIGN_SUM", "REDUCE_SUM"]);
    expect(connections.get(END - 45 * MINUTE)).toEqual({ good: 1, total: 1 }); // 60 + 30 = 90 < 100
    expect(connections.get(END - 40 * MINUTE)?.good).toBeNaN(); // NaN point: refused, not summed
    // minutes after the last point, up to the horizon (END - 180 s), are bad
    for (let ago = 4; ago < 29; ago++)
      expect(connections.get(END - ago * MINUTE)).toEqual({ good: 0, total: 1 });
  });

  test("exports MongoDB connections; availability is written for the newest minute whose inputs are visible", async () => {
    const admin = { command: async () => ({ connections: { current: 37, available: 800 } }) };
    await expect(
      exportMongoConnections(admin, client, catalog, {
        projectId: "p-dev-123",
        namePrefix: PREFIX,
        nowMs: END - 1000,
      }),
    ).resolves.toBe(37);
    expect(fake.created[0]?.series).toMatchObject({
      metricType: "custom.googleapis.com/shopstream/mongodb/connections",
      metricLabels: { deployment: PREFIX },
      resourceType: "global",
      resourceLabels: { project_id: "p-dev-123" },
      valueType: "INT64",
      // stamped with the scheduled minute (END - 1 s floors to END - 1 min), not the job's start (M3)
      points: [{ endMs: END - MINUTE, value: 37 }],
    });
    // success and latency data up to END; availability is scored 1140 s after a minute ends (event_latency's
    // 1080 s visibility delay + one minute)
    fake.series.push(
      counterSeries(topic, END, 30, () => 100),
      counterSeries(subscription, END, 30, () => 100),
      distributionSeries(latencyMetric, END, 30, EVENT_LATENCY_BOUNDS_SECONDS, (ago) =>
        ago === 19 ? histogram(50, 50) : histogram(100),
      ),
    );
    const now = END + 5000;
    await expect(
      exportAvailability(client, catalog, { projectId: "p-dev-123", namePrefix: PREFIX, nowMs: now }),
    ).resolves.toBe(false);
    // the minute written is END - 19 min (now - 1140 s), not the minute that just ended
    expect(fake.created[1]?.series).toMatchObject({
      metricType: "custom.googleapis.com/shopstream/pipeline/available",
      valueType: "BOOL",
      points: [{ endMs: END - 19 * MINUTE, value: 0 }],
    });
    await expect(
      exportMongoConnections({ command: async () => ({}) }, client, catalog, {
        projectId: "p-dev-123",
        namePrefix: PREFIX,
        nowMs: END,
      }),
    ).rejects.toThrow(/no connections\.current/);
  });

  test.each([Number.NaN, -1])(
    "refuses to write a connection count of %p (nothing reaches Monitoring)",
    async (bad) => {
      await expect(
        exportMongoConnections(
          { command: async () => ({ connections: { current: bad } }) },
          client,
          catalog,
          {
            projectId: "p-dev-123",
            namePrefix: PREFIX,
            nowMs: END,
          },
        ),
      ).rejects.toThrow(/connections .*finite number >= 0/);
      expect(fake.created).toHaveLength(0);
    },
  );
});

describe("distributionCut refuses points that break the Distribution contract", () => {
  const range = { min: 0, max: 10 };
  const point = (count: number, bucketCounts: number[]) => ({
    distributionValue: {
      count,
      bucketOptions: { explicitBuckets: { bounds: [...EVENT_LATENCY_BOUNDS_SECONDS] } },
      bucketCounts,
    },
  });
  test("a consistent point: good = events in buckets inside the range", () => {
    expect(distributionCut(point(10, histogram(7, 3)), range)).toEqual({ good: 7, total: 10 });
  });
  test("fewer bucket counts than buckets: the rest are 0 (google/api/distribution.proto)", () => {
    expect(distributionCut(point(10, [0, 0, 7, 0, 0, 0, 3]), range)).toEqual({ good: 7, total: 10 });
    expect(distributionCut(point(0, []), range)).toEqual({ good: 0, total: 0 });
    expect(distributionCut({ distributionValue: { count: 0 } }, range)).toEqual({ good: 0, total: 0 });
    // events counted but no buckets: nothing to cut
    expect(distributionCut(point(3, []), range)).toBeNull();
    // more counts than buckets: not a valid Distribution
    expect(distributionCut(point(1, [...histogram(0), 1]), range)).toBeNull();
  });
  test("more events in the buckets than counted, NaN or negative bucket counts are bad data", () => {
    // before: good 1000 of total 10 (SLI clamped to 1), good NaN, good -5: none refused
    expect(distributionCut(point(10, histogram(1000)), range)).toBeNull();
    expect(distributionCut(point(10, histogram(Number.NaN, 10)), range)).toBeNull();
    expect(distributionCut(point(5, histogram(-5, 10)), range)).toBeNull();
  });
});
