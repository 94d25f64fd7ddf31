import { dirname, join } from "node:path";
import { MetricServiceClient } from "@google-cloud/monitoring";
import * as protobuf from "protobufjs";
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

// the descriptors the client loads (@google-cloud/monitoring build/protos/protos.json)
const protos = protobuf.Root.fromJSON(
  require(
    join(dirname(require.resolve("@google-cloud/monitoring/package.json")), "build", "protos", "protos.json"),
  ),
).resolveAll();
const Response = protos.lookupType("google.monitoring.v3.ListTimeSeriesResponse");

type Plain = any;

/**
 * What a presence-respecting proto3 encoder writes, as an object protobufjs encodes to the same bytes:
 * `answer` with every field without presence that holds its default deleted (protocolbuffers/protobuf
 * docs/field_presence.md: singular scalars, strings and enums outside a oneof; repeated fields), walking
 * the client's descriptors, not the fake's encoder. Message fields that are set, oneof members and map
 * entries stay. protobufjs's encoder writes every own property (even 0), so it writes exactly what is left.
 */
function withoutDefaults(type: protobuf.Type, message: Plain): Plain {
  const out: Plain = {};
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (field.map) out[field.name] = value;
    else if (field.repeated) {
      if (value.length)
        out[field.name] = nested ? value.map((v: Plain) => withoutDefaults(nested, v)) : value;
    } else if (nested) out[field.name] = withoutDefaults(nested, value);
    else if (field.partOf || (value !== 0 && value !== "" && value !== false)) out[field.name] = value;
  }
  return out;
}
const presenceRespecting = (answer: unknown) => withoutDefaults(Response, answer);

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
    "%s %s %s: the same bytes as proto-loader's serializer of the answer without its default-valued fields",
    (metricType, aligner, reducer) => {
      for (const trim of [true, false]) {
        const fake = fakeWithSeries();
        fake.pageSize = 100;
        fake.trimTrailingZeroBuckets = trim;
        const answer = fake.listTimeSeries(request(metricType, aligner, reducer));
        const bytes = direct(answer);
        expect(bytes.length).toBeGreaterThan(100);
        expect(bytes.equals(protoLoader(presenceRespecting(answer)))).toBe(true);
        // zeros were there to leave out (nanos 0, an empty nextPageToken and unit at least)
        expect(bytes.length).toBeLessThan(protoLoader(answer).length);
      }
    },
  );

  test("the same bytes as proto-loader's serializer and protobufjs's encode of the answer without its default-valued fields, for 300 random answers (edge values, labels, pages)", () => {
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
      const expected = presenceRespecting(answer);
      expect(direct(answer).equals(protobufjs(expected))).toBe(true);
      // proto-loader's fromObject turns a non-finite int64 into Long's maximum (see listTimeSeriesSerializers)
      if (kind === "bool" || kind === "distribution" || aligner === "ALIGN_MEAN" || reducer === "REDUCE_MEAN")
        expect(direct(answer).equals(protoLoader(expected))).toBe(true);
    }
  });

  test("default-valued fields without presence are left off the wire, oneof members and set messages are not (as a proto3 server)", () => {
    const fake = new FakeMonitoringServer();
    fake.pageSize = 1;
    fake.series.push(
      counterSeries({ ...counter, resourceLabels: { topic_id: "" } }, END, 2, () => 0),
      gaugeSeries(gauge, END, 1, () => 0),
      distributionSeries(latency, END, 1, [], () => [0]),
      distributionSeries(latency, END - 120_000, 1, BOUNDS, () => [0, 0, 0, 0, 0]),
    );
    const read = (metricType: string, aligner: Aligner, reducer: Reducer, pageToken = "") =>
      Response.toObject(
        Response.decode(direct(fake.listTimeSeries({ ...request(metricType, aligner, reducer), pageToken }))),
        { longs: Number },
      ) as Plain;
    // a zero int64 counter: its value written (a oneof member), nanos 0 and the empty unit left out
    const counters = read(counter.metricType, "ALIGN_NONE", "REDUCE_NONE");
    expect(counters.nextPageToken).toBeUndefined();
    expect(counters.unit).toBeUndefined();
    expect(counters.timeSeries[0].resource.labels).toEqual({ topic_id: "" });
    const [newest] = counters.timeSeries[0].points;
    expect(newest.value).toEqual({ int64Value: 0 });
    expect(Object.keys(newest.interval.endTime)).toEqual(["seconds"]);
    // a zero double gauge: its value written
    expect(read(gauge.metricType, "ALIGN_NONE", "REDUCE_NONE").timeSeries[0].points[0].value).toEqual({
      doubleValue: 0,
    });
    // distributions without events: no count, no bucket counts; explicitBuckets set though empty
    const distributions = read(latency.metricType, "ALIGN_NONE", "REDUCE_NONE");
    expect(distributions.nextPageToken).toBe("1");
    expect(distributions.timeSeries[0].points[0].value).toEqual({
      distributionValue: { bucketOptions: { explicitBuckets: {} } },
    });
    const second = read(latency.metricType, "ALIGN_NONE", "REDUCE_NONE", "1");
    expect(second.timeSeries[0].points[0].value).toEqual({
      distributionValue: { bucketOptions: { explicitBuckets: { bounds: BOUNDS } } },
    });
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
