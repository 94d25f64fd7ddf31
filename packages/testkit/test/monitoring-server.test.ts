import { MetricServiceClient } from "@google-cloud/monitoring";
import { counterSeries, distributionSeries, gaugeSeries } from "../src/monitoring/scenarios";
import { FakeMonitoringServer, listTimeSeriesSerializers } from "../src/monitoring/server";

process.env.METADATA_SERVER_DETECTION = "none";
const END = Date.UTC(2026, 0, 1, 0, 0, 0);
const BOUNDS = [0.5, 1, 10, 60];
const counter = {
  metricType: "pubsub.googleapis.com/topic/send_message_operation_count",
  resourceType: "pubsub_topic",
};
const gauge = { metricType: "custom.googleapis.com/shopstream/mongodb/connections", resourceType: "global" };
const latency = {
  metricType: "custom.googleapis.com/shopstream/pipeline/event_latency",
  resourceType: "global",
};

function fakeWithSeries(): FakeMonitoringServer {
  const fake = new FakeMonitoringServer();
  fake.series.push(
    counterSeries({ ...counter, resourceLabels: { topic_id: "events" } }, END, 30, (ago) => 100 + ago),
    counterSeries(
      { ...counter, resourceLabels: { topic_id: "events" }, metricLabels: { a: "b" } },
      END,
      30,
      () => 7,
    ),
    gaugeSeries({ ...gauge, metricLabels: { host: "a", deployment: "d" } }, END, 30, (ago) => ago / 3),
    {
      ...gaugeSeries({ ...gauge, metricType: "custom.googleapis.com/up" }, END, 5, (ago) => ago % 2),
      valueType: "BOOL",
    },
    // trailing zeros, a zero-count minute, and one minute with every bucket filled
    distributionSeries(latency, END, 30, BOUNDS, (ago) =>
      ago === 3 ? [0, 0, 0, 0, 0] : ago === 4 ? [1, 2, 3, 4, 5] : [0, 9, 1, 0, 0],
    ),
  );
  return fake;
}

type Aligner = "ALIGN_DELTA" | "ALIGN_NONE" | "ALIGN_MEAN" | "ALIGN_SUM";
type Reducer = "REDUCE_SUM" | "REDUCE_NONE" | "REDUCE_MEAN";
const request = (metricType: string, aligner: Aligner, reducer: Reducer) => ({
  name: "projects/p",
  filter: `metric.type = "${metricType}"`,
  interval: { startTime: { seconds: String(END / 1000 - 3600) }, endTime: { seconds: String(END / 1000) } },
  aggregation: { alignmentPeriod: { seconds: "60" }, perSeriesAligner: aligner, crossSeriesReducer: reducer },
});

describe("fake Cloud Monitoring: ListTimeSeries answers", () => {
  const { direct, protoLoader, protobufjs } = listTimeSeriesSerializers();
  const cases: [string, Aligner, Reducer][] = [
    [counter.metricType, "ALIGN_DELTA", "REDUCE_SUM"],
    [counter.metricType, "ALIGN_DELTA", "REDUCE_NONE"],
    [counter.metricType, "ALIGN_NONE", "REDUCE_NONE"],
    [gauge.metricType, "ALIGN_MEAN", "REDUCE_MEAN"],
    [gauge.metricType, "ALIGN_SUM", "REDUCE_SUM"],
    ["custom.googleapis.com/up", "ALIGN_NONE", "REDUCE_NONE"],
    [latency.metricType, "ALIGN_DELTA", "REDUCE_SUM"],
    [latency.metricType, "ALIGN_NONE", "REDUCE_NONE"],
  ];
  test.each(cases)(
    "%s %s %s: the same bytes as proto-loader's serializer",
    (metricType, aligner, reducer) => {
      for (const trim of [true, false]) {
        const fake = fakeWithSeries();
        fake.pageSize = 100;
        fake.trimTrailingZeroBuckets = trim;
        const answer = fake.listTimeSeries(request(metricType, aligner, reducer));
        const bytes = direct(answer);
        expect(bytes.length).toBeGreaterThan(100);
        expect(bytes.equals(protoLoader(answer))).toBe(true);
      }
    },
  );

  test("the same bytes as proto-loader's serializer for 300 random answers (edge values, labels, pages), and as protobufjs's encode", () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const values = [
      0,
      -0,
      1,
      -1,
      0.25,
      1e300,
      -1e-300,
      2 ** 31,
      2 ** 32 + 1,
      2 ** 53 - 1,
      -(2 ** 40),
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ];
    for (let i = 0; i < 300; i++) {
      const fake = new FakeMonitoringServer();
      fake.pageSize = 1 + Math.floor(next() * 3);
      fake.trimTrailingZeroBuckets = next() < 0.5;
      const kind = pick(["counter", "gauge", "bool", "distribution"] as const);
      for (let k = 0; k < 1 + Math.floor(next() * 3); k++) {
        const labels: Record<string, string> =
          next() < 0.5 ? { host: pick(["a", "", "ü-ñ ✓"]), k: String(k) } : { k: String(k) };
        const minutes = 1 + Math.floor(next() * 50);
        if (kind === "distribution")
          fake.series.push(
            distributionSeries({ ...latency, metricLabels: labels }, END, minutes, BOUNDS, () =>
              BOUNDS.map(() => pick([0, 0, 1, 2 ** 40])).concat([pick([0, 3])]),
            ),
          );
        else {
          const series = (kind === "counter" ? counterSeries : gaugeSeries)(
            { ...(kind === "counter" ? counter : gauge), resourceLabels: labels },
            END,
            minutes,
            () => pick(values),
          );
          fake.series.push(kind === "bool" ? { ...series, valueType: "BOOL" } : series);
        }
      }
      const metricType =
        kind === "distribution"
          ? latency.metricType
          : kind === "counter"
            ? counter.metricType
            : gauge.metricType;
      const aligner: Aligner =
        kind === "distribution"
          ? pick(["ALIGN_DELTA", "ALIGN_NONE"] as const)
          : pick(["ALIGN_DELTA", "ALIGN_NONE", "ALIGN_MEAN", "ALIGN_SUM"] as const);
      const reducer: Reducer =
        aligner === "ALIGN_NONE"
          ? "REDUCE_NONE"
          : kind === "distribution"
            ? "REDUCE_SUM"
            : pick(["REDUCE_SUM", "REDUCE_NONE", "REDUCE_MEAN"] as const);
      const answer = fake.listTimeSeries({
        ...request(metricType, aligner, reducer),
        pageToken: pick(["", "1"]),
      });
      expect(direct(answer).equals(protobufjs(answer))).toBe(true);
      // proto-loader's fromObject turns a non-finite int64 into Long's maximum (see listTimeSeriesSerializers)
      if (kind === "bool" || kind === "distribution" || aligner === "ALIGN_MEAN" || reducer === "REDUCE_MEAN")
        expect(direct(answer).equals(protoLoader(answer))).toBe(true);
    }
  });

  test("distributions: trailing zero bucket counts are left out (a zero-count point has none), or all sent", async () => {
    const fake = fakeWithSeries();
    await fake.start();
    const client = new MetricServiceClient(fake.clientOptions());
    try {
      const read = async () => {
        const [series] = await client.listTimeSeries({
          ...request(latency.metricType, "ALIGN_DELTA", "REDUCE_SUM"),
          interval: { startTime: { seconds: END / 1000 - 6 * 60 }, endTime: { seconds: END / 1000 } },
        });
        const points = series[0]?.points ?? [];
        return points.map((p) => [
          p.value?.distributionValue?.count,
          p.value?.distributionValue?.bucketCounts,
        ]);
      };
      // newest first: minutes 0 ... 5 ago
      const full = ["0", "9", "1", "0", "0"];
      expect(await read()).toEqual([
        ["10", ["0", "9", "1"]],
        ["10", ["0", "9", "1"]],
        ["10", ["0", "9", "1"]],
        ["0", []],
        ["15", ["1", "2", "3", "4", "5"]],
        ["10", ["0", "9", "1"]],
      ]);
      fake.trimTrailingZeroBuckets = false;
      expect(await read()).toEqual([
        ["10", full],
        ["10", full],
        ["10", full],
        ["0", ["0", "0", "0", "0", "0"]],
        ["15", ["1", "2", "3", "4", "5"]],
        ["10", full],
      ]);
    } finally {
      await client.close();
      await fake.stop();
    }
  });
});
