import { dirname, join } from "node:path";
import { MetricServiceClient } from "@google-cloud/monitoring";
import type { FakeSeries } from "@shopstream/testkit/monitoring";
import { FakeMonitoringServer } from "@shopstream/testkit/monitoring";
import { counterSeries, distributionSeries, gaugeSeries } from "@shopstream/testkit/monitoring/scenarios";
import * as protobuf from "protobufjs";
import {
  DECODED_FIELDS,
  decodeListTimeSeriesResponse,
  descriptorMismatches,
  distributionCut,
  EVENT_LATENCY_BOUNDS_SECONDS,
  installFastListTimeSeries,
  type MetricSelector,
  readSloMinutes,
  renderFilter,
  type TimeSeriesLister,
} from "../src";
import { fixtureCatalog } from "./helpers";

process.env.METADATA_SERVER_DETECTION = "none";

// the descriptors the client loads (@google-cloud/monitoring build/protos/protos.json)
const protosJson = require(
  join(dirname(require.resolve("@google-cloud/monitoring/package.json")), "build", "protos", "protos.json"),
);
const root = protobuf.Root.fromJSON(protosJson);
const Response = root.lookupType("google.monitoring.v3.ListTimeSeriesResponse");

/** A seeded generator (mulberry32): every run serves the same answer shapes. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  return { next, int, pick };
}

type Plain = any;

/**
 * Every point as the reader sees it, from either decoder: the stock one (int64 as strings, every default
 * filled in, oneof discriminators) or the fast one (numbers, only the fields present).
 */
function canonical(series: Plain[]): unknown[] {
  const n = (x: unknown) => (x === undefined || x === null ? 0 : Number(x));
  return series.map((s) => ({
    metric: { type: s.metric?.type ?? "", labels: s.metric?.labels ?? {} },
    resource: { type: s.resource?.type ?? "", labels: s.resource?.labels ?? {} },
    metricKind: s.metricKind,
    valueType: s.valueType,
    points: (s.points ?? []).map((p: Plain) => {
      const v = p.value ?? {};
      // stock: `value` names the oneof member; fast: the one key present
      const member = typeof v.value === "string" ? v.value : Object.keys(v)[0];
      const raw = member ? v[member] : undefined;
      let value: unknown = raw;
      if (member === "int64Value") value = n(raw);
      if (member === "distributionValue")
        value = {
          count: n(raw.count),
          mean: n(raw.mean),
          bounds: raw.bucketOptions?.explicitBuckets?.bounds ?? [],
          bucketCounts: (raw.bucketCounts ?? []).map(n),
        };
      return {
        start: n(p.interval?.startTime?.seconds),
        end: n(p.interval?.endTime?.seconds),
        endNanos: n(p.interval?.endTime?.nanos),
        member: member ?? null,
        value,
      };
    }),
  }));
}

const END = Date.UTC(2026, 10, 30, 12, 0, 0);
const MINUTE = 60_000;

/** A random answer shape for the fake: series of every value type, values at the edges included. */
function randomSeries(r: ReturnType<typeof random>, index: number): FakeSeries {
  const valueType = r.pick(["INT64", "DOUBLE", "BOOL", "DISTRIBUTION"] as const);
  const metricKind = valueType === "DISTRIBUTION" ? "CUMULATIVE" : r.pick(["GAUGE", "DELTA"] as const);
  const minutes = 1 + r.int(r.next() < 0.2 ? 1500 : 40);
  const ints = [0, 1, -1, 7, 2000, 2 ** 31, 2 ** 32 + 5, -(2 ** 40), 2 ** 53 - 1, -(2 ** 53 - 1)];
  const doubles = [0, -0, 0.5, -1, 1e-300, 1e300, Number.NaN, Number.POSITIVE_INFINITY, -Infinity, 40];
  const points: FakeSeries["points"] = [];
  for (let ago = 0; ago < minutes; ago++) {
    if (r.next() < 0.1) continue; // a gap
    const endMs = END - ago * MINUTE - r.pick([0, 1000]);
    if (valueType === "DISTRIBUTION") {
      const bounds = [...EVENT_LATENCY_BOUNDS_SECONDS];
      const counts = bounds.map(() => 0).concat([0]);
      const filled = r.int(4); // 0: no events (no counts on the wire)
      for (let i = 0; i < filled; i++) counts[r.int(counts.length)] = r.pick([1, 5, 1990, 2 ** 40]);
      points.push({ endMs, value: 0, distribution: { bounds, counts } });
    } else if (valueType === "INT64") points.push({ endMs, value: r.pick(ints) });
    else if (valueType === "DOUBLE")
      points.push({ endMs, value: r.next() < 0.5 ? r.pick(doubles) : r.next() * 1e4 });
    else points.push({ endMs, value: r.pick([0, 1]) });
  }
  return {
    metricType: `custom.googleapis.com/fuzz/m${index % 3}`,
    metricLabels: r.next() < 0.5 ? { deployment: `d${index}`, host: r.pick(["a", "ü-ñ", ""]) } : {},
    resourceType: r.pick(["global", "pubsub_topic"]),
    resourceLabels: r.next() < 0.5 ? { topic_id: `t${index}` } : {},
    metricKind,
    valueType,
    points,
  };
}

describe("the one-pass ListTimeSeries decoder", () => {
  const fake = new FakeMonitoringServer();
  let stock: MetricServiceClient;
  let fast: MetricServiceClient;
  beforeAll(async () => {
    await fake.start();
    stock = new MetricServiceClient(fake.clientOptions());
    fast = new MetricServiceClient(fake.clientOptions());
    expect(await installFastListTimeSeries(fast, {})).toEqual({ installed: true });
  });
  afterAll(async () => {
    await stock.close();
    await fast.close();
    await fake.stop();
  });
  beforeEach(() => {
    fake.series.length = 0;
    fake.pageSize = 2;
  });

  const list = (client: MetricServiceClient, request: Plain) =>
    client.listTimeSeries({
      name: "projects/p",
      interval: {
        startTime: { seconds: (END - 30 * 1440 * MINUTE) / 1000 },
        endTime: { seconds: END / 1000 },
      },
      view: "FULL",
      ...request,
    });

  test("the seam is where @google-cloud/monitoring 5.4.0 / google-gax 5.0.8 / @grpc/grpc-js 1.14.7 put it, and the client reads through it", async () => {
    // an upgrade that moves the stub, its method definition or a decoded field fails here, not in a gate
    expect(descriptorMismatches()).toEqual([]);
    const stub = (await (fast as unknown as { metricServiceStub: Promise<Plain> })
      .metricServiceStub) as Plain;
    expect(Object.hasOwn(stub, "listTimeSeries")).toBe(true);
    fake.series.push({
      metricType: "custom.googleapis.com/x",
      resourceType: "global",
      metricKind: "GAUGE",
      valueType: "INT64",
      points: [{ endMs: END, value: 5 }],
    });
    const [fastSeries] = await list(fast, { filter: 'metric.type = "custom.googleapis.com/x"' });
    const [stockSeries] = await list(stock, { filter: 'metric.type = "custom.googleapis.com/x"' });
    // the stock decoder gives int64 as strings; the installed one as numbers
    expect(fastSeries[0]?.points?.[0]?.value).toEqual({ int64Value: 5 });
    expect(stockSeries[0]?.points?.[0]?.value?.int64Value).toBe("5");
  });

  test("SLO_GATE_STOCK_DECODE=true and a client that is not a MetricServiceClient stay stock, saying why", async () => {
    const c = new MetricServiceClient(fake.clientOptions());
    try {
      expect(await installFastListTimeSeries(c, { SLO_GATE_STOCK_DECODE: "true" })).toEqual({
        installed: false,
        reason: expect.stringContaining("SLO_GATE_STOCK_DECODE"),
      });
      await c.initialize();
      const stub = await (c as unknown as { metricServiceStub: Promise<Plain> }).metricServiceStub;
      expect(Object.hasOwn(stub, "listTimeSeries")).toBe(false);
    } finally {
      await c.close();
    }
    expect(await installFastListTimeSeries({ listTimeSeries: async () => [[]] }, {})).toEqual({
      installed: false,
      reason: expect.stringContaining("not a MetricServiceClient"),
    });
  });

  test("a changed field number or type in the client's descriptors is found", () => {
    const changed = structuredClone(protosJson);
    changed.nested.google.nested.monitoring.nested.v3.nested.Point.fields.value.id = 3;
    changed.nested.google.nested.api.nested.Distribution.fields.bucketCounts.type = "uint64";
    expect(descriptorMismatches(changed)).toEqual([
      "google.monitoring.v3.Point.value is 3:TypedValue, the decoder reads 2:TypedValue",
      "google.api.Distribution.bucketCounts is 7:uint64, the decoder reads 7:int64",
    ]);
    // every field the decoder reads is in the table the check compares
    expect(Object.keys(DECODED_FIELDS)).toContain("google.monitoring.v3.TypedValue");
  });

  test("returns the same points as the client's own decoder for 150 random answer shapes served by the fake", async () => {
    const r = random(12);
    let points = 0;
    for (let shape = 0; shape < 150; shape++) {
      fake.series.length = 0;
      fake.pageSize = 1 + r.int(3);
      const count = 1 + r.int(4);
      for (let i = 0; i < count; i++) fake.series.push(randomSeries(r, i));
      const type = r.pick(["m0", "m1", "m2"]);
      const first = fake.series.find((s) => s.metricType.endsWith(type));
      const aligned =
        first &&
        r.next() < 0.5 &&
        fake.series.every((s) => s.metricType !== first.metricType || s.valueType === first.valueType)
          ? {
              aggregation: {
                alignmentPeriod: { seconds: 60 },
                perSeriesAligner:
                  first.valueType === "DISTRIBUTION"
                    ? "ALIGN_DELTA"
                    : r.pick(["ALIGN_DELTA", "ALIGN_MEAN", "ALIGN_SUM"]),
                crossSeriesReducer:
                  first.valueType === "DISTRIBUTION"
                    ? "REDUCE_SUM"
                    : r.pick(["REDUCE_NONE", "REDUCE_SUM", "REDUCE_MEAN"]),
              },
            }
          : {};
      const request = { filter: `metric.type = "custom.googleapis.com/fuzz/${type}"`, ...aligned };
      const [fromStock] = await list(stock, request);
      const [fromFast] = await list(fast, request);
      expect(canonical(fromFast)).toEqual(canonical(fromStock));
      for (const s of fromStock) points += s.points?.length ?? 0;
    }
    expect(points).toBeGreaterThan(5000);
  });

  test("wire level: same as protobufjs with the client's descriptors, packed or not, unknown fields skipped", () => {
    const r = random(7);
    for (let i = 0; i < 300; i++) {
      const series = Array.from({ length: r.int(3) }, () => ({
        metric: { type: "t", labels: { a: "1", b: r.pick(["", "x"]) } },
        resource: { type: "global", labels: {} },
        metricKind: r.int(4),
        valueType: r.int(7),
        unit: r.pick(["", "1", "s"]),
        description: "skipped",
        metadata: { systemLabels: { fields: {} } },
        points: Array.from({ length: r.int(5) }, () => ({
          interval: {
            endTime: { seconds: r.pick([0, 1, 1_790_000_000]), nanos: r.pick([0, 5, 999_999_999]) },
            ...(r.next() < 0.5 ? { startTime: { seconds: 1_789_999_940 } } : {}),
          },
          value: r.pick([
            { int64Value: r.pick([0, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 12345]) },
            { doubleValue: r.pick([0, -2.5, Number.NaN, Number.POSITIVE_INFINITY]) },
            { boolValue: r.pick([true, false]) },
            { stringValue: "s" },
            {
              distributionValue: {
                count: r.pick([0, 3, 2 ** 52]),
                mean: 1.5,
                range: { min: 0, max: 9 },
                bucketOptions: r.pick([
                  { explicitBuckets: { bounds: [0.1, 1, 10] } },
                  { linearBuckets: { numFiniteBuckets: 4, width: 2, offset: -1 } },
                  { exponentialBuckets: { numFiniteBuckets: 3, growthFactor: 2, scale: 0.5 } },
                ]),
                bucketCounts: r.pick([[], [1, 2], [0, 0, 2 ** 52, 1]]),
                exemplars: [{ value: 1 }],
              },
            },
          ]),
        })),
      }));
      const message = Response.fromObject({
        timeSeries: series,
        nextPageToken: r.pick(["", "2"]),
        unit: "1",
      });
      const bytes = Buffer.from(Response.encode(message).finish());
      // repeated fields and maps empty when absent, as the stock decoder (defaults: true) gives them
      const expected = Response.toObject(Response.decode(bytes), {
        longs: Number,
        enums: String,
        arrays: true,
        objects: true,
      });
      delete expected.executionErrors;
      for (const s of expected.timeSeries) {
        delete s.description;
        delete s.metadata;
        for (const p of s.points) delete p.value?.distributionValue?.exemplars;
      }
      expect(decodeListTimeSeriesResponse(bytes)).toEqual(expected);
    }
    // unpacked repeated scalars (legal on the wire; parsers must accept both)
    const w = protobuf.Writer.create();
    w.uint32(7 << 3)
      .int64(4)
      .uint32(7 << 3)
      .int64(-1)
      .uint32((99 << 3) | 0)
      .uint32(5);
    const explicit = protobuf.Writer.create()
      .uint32((1 << 3) | 1)
      .double(0.5)
      .uint32((1 << 3) | 1)
      .double(2)
      .finish();
    w.uint32((6 << 3) | 2)
      .fork()
      .uint32((3 << 3) | 2)
      .bytes(explicit)
      .ldelim();
    const distribution = Buffer.from(w.finish());
    const typed = protobuf.Writer.create()
      .uint32((5 << 3) | 2)
      .bytes(distribution)
      .finish();
    const point = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(typed)
      .finish();
    const series = protobuf.Writer.create()
      .uint32((5 << 3) | 2)
      .bytes(point)
      .finish();
    const answer = Buffer.from(
      protobuf.Writer.create()
        .uint32((1 << 3) | 2)
        .bytes(series)
        .finish(),
    );
    expect(decodeListTimeSeriesResponse(answer).timeSeries[0].points[0].value).toEqual({
      distributionValue: { bucketCounts: [4, -1], bucketOptions: { explicitBuckets: { bounds: [0.5, 2] } } },
    });
  });

  test("repeated fields absent from the wire decode as empty arrays, as the stock decoder gives them", () => {
    // what a proto3 server sends for an explicitBuckets with no bounds (one bucket), a point without
    // bucket counts, a series without points and an answer without series: nothing for the empty fields
    const encode = (answer: Plain) => Buffer.from(Response.encode(Response.fromObject(answer)).finish());
    const stock = (bytes: Buffer) =>
      Response.toObject(Response.decode(bytes), { longs: String, enums: String, defaults: true });
    const oneBucket = encode({
      timeSeries: [
        {
          points: [
            {
              interval: { endTime: { seconds: 60 } },
              value: {
                distributionValue: { count: 3, bucketOptions: { explicitBuckets: {} }, bucketCounts: [3] },
              },
            },
            {
              interval: { endTime: { seconds: 120 } },
              value: { distributionValue: { bucketOptions: { explicitBuckets: { bounds: [1] } } } },
            },
          ],
        },
        { metric: { type: "t" } },
      ],
    });
    const fast = decodeListTimeSeriesResponse(oneBucket);
    const [withPoints, withoutPoints] = fast.timeSeries;
    expect(withPoints.points[0].value.distributionValue.bucketOptions.explicitBuckets).toEqual({
      bounds: [],
    });
    expect(withPoints.points[1].value.distributionValue.bucketCounts).toEqual([]);
    expect(withoutPoints.points).toEqual([]);
    expect(withoutPoints.metric.labels).toEqual({});
    expect(decodeListTimeSeriesResponse(Buffer.alloc(0)).timeSeries).toEqual([]);
    // the stock decoder's answers for the same bytes
    const s = stock(oneBucket).timeSeries;
    expect(s[0].points[0].value.distributionValue.bucketOptions.explicitBuckets).toEqual({ bounds: [] });
    expect(s[0].points[1].value.distributionValue.bucketCounts).toEqual([]);
    expect(s[1].points).toEqual([]);
    expect(stock(Buffer.alloc(0)).timeSeries).toEqual([]);
    // and the reader scores the one-bucket minute (3 events, none of them provably within a finite range)
    expect(distributionCut(withPoints.points[0].value, { min: 0, max: 10 })).toEqual({ good: 0, total: 3 });
    expect(distributionCut(s[0].points[0].value, { min: 0, max: 10 })).toEqual({ good: 0, total: 3 });
  });

  test("an int64 beyond 2^53 is never a rounded number: a value decodes as NaN (the reader refuses the minute), a timestamp fails", () => {
    const Long = protobuf.util.Long as unknown as { fromString(s: string): unknown };
    const encode = (value: Plain, seconds: unknown = 1_790_000_000) =>
      Buffer.from(
        Response.encode(
          Response.fromObject({ timeSeries: [{ points: [{ interval: { endTime: { seconds } }, value }] }] }),
        ).finish(),
      );
    const first = (bytes: Buffer) => decodeListTimeSeriesResponse(bytes).timeSeries[0].points[0].value;
    expect(first(encode({ int64Value: Long.fromString("9007199254740993") }))).toEqual({
      int64Value: Number.NaN,
    });
    expect(first(encode({ int64Value: Long.fromString("-9007199254740993") }))).toEqual({
      int64Value: Number.NaN,
    });
    expect(first(encode({ int64Value: Long.fromString("9007199254740991") }))).toEqual({
      int64Value: 9007199254740991,
    });
    expect(first(encode({ int64Value: Long.fromString("-9223372036854775808") }))).toEqual({
      int64Value: Number.NaN,
    });
    const huge = first(
      encode({
        distributionValue: {
          count: Long.fromString("18014398509481984"),
          bucketCounts: [Long.fromString("18014398509481984")],
        },
      }),
    );
    expect(huge.distributionValue.count).toBeNaN();
    expect(huge.distributionValue.bucketCounts[0]).toBeNaN();
    expect(() =>
      decodeListTimeSeriesResponse(encode({ int64Value: 1 }, Long.fromString("9007199254740993"))),
    ).toThrow(/beyond 2\^53 seconds/);
  });

  test("the reader refuses a minute whose count is beyond 2^53 as invalid data, never scores a rounded count", async () => {
    const Long = protobuf.util.Long as unknown as { fromString(s: string): unknown };
    const slo = fixtureCatalog().slos.find((s) => s.sli.kind === "ratio");
    if (!slo) throw new Error("the fixture catalog has no ratio SLO");
    const endS = 1_790_000_040;
    const answer = (newest: unknown) =>
      decodeListTimeSeriesResponse(
        Buffer.from(
          Response.encode(
            Response.fromObject({
              timeSeries: [
                {
                  points: [
                    { interval: { endTime: { seconds: endS } }, value: { int64Value: newest } },
                    { interval: { endTime: { seconds: endS - 60 } }, value: { int64Value: 100 } },
                  ],
                },
              ],
            }),
          ).finish(),
        ),
      );
    // good's newest minute is 2^53 + 1 (read rounded, 2^53 good of 100 would be a valid count); total is 100
    if (slo.sli.kind !== "ratio") throw new Error("unreachable");
    const goodFilter = renderFilter(slo.sli.good, "x");
    const lister: TimeSeriesLister = {
      listTimeSeries: async (request) => [
        request.filter === goodFilter
          ? answer(Long.fromString("9007199254740993")).timeSeries
          : answer(100).timeSeries,
      ],
    };
    const minutes = await readSloMinutes(lister, slo, {
      projectId: "p",
      namePrefix: "x",
      endMs: endS * 1000,
      lookbackSeconds: 3600,
    });
    expect(minutes.get(endS * 1000)).toEqual({ good: Number.NaN, total: Number.NaN });
    expect(minutes.get((endS - 60) * 1000)).toEqual({ good: 100, total: 100 });
  });

  test("answers with zeros left off the wire (as a proto3 server sends them) read to the same minutes through both decoders, for every SLO kind", async () => {
    const PREFIX = "x";
    const concrete = (m: MetricSelector) => {
      const fill = (labels: Record<string, string>) =>
        Object.fromEntries(
          Object.entries(labels).map(([k, v]) => [k, v.replaceAll("{name_prefix}", PREFIX)]),
        );
      return { ...m, resourceLabels: fill(m.resourceLabels), metricLabels: fill(m.metricLabels) };
    };
    const bounds = [...EVENT_LATENCY_BOUNDS_SECONDS];
    const kinds = new Set<string>();
    const oneBucket = new Set<number>();
    for (const slo of fixtureCatalog().slos) {
      const sli = slo.sli;
      fake.series.length = 0;
      fake.pageSize = 1;
      if (sli.kind === "ratio")
        fake.series.push(
          // zero acks and zero publishes in some minutes: no int64Value default is dropped (a oneof member)
          counterSeries(concrete(sli.good), END, 60, (ago) => (ago % 3 === 0 ? 0 : 5)),
          counterSeries(concrete(sli.total), END, 60, (ago) => (ago % 5 === 0 ? 0 : 5)),
        );
      else if (sli.kind === "windows-in-range")
        fake.series.push(gaugeSeries(concrete(sli.metric), END, 60, (ago) => (ago % 2 ? 0 : 150)));
      else if (sli.kind === "distribution-cut") {
        const end = Math.floor(END / MINUTE) * MINUTE;
        const series = distributionSeries(concrete(sli.metric), END, 60, bounds, (ago) =>
          ago % 4 === 0
            ? bounds.map(() => 0).concat([0])
            : bounds.map((_, i): number => (i === ago % 7 ? 3 : 0)).concat([1]),
        );
        // minutes recorded with one bucket (explicitBuckets without bounds: nothing on the wire for them)
        for (const ago of [61, 62]) {
          oneBucket.add(end - ago * MINUTE);
          series.points.push({
            endMs: end - ago * MINUTE,
            startMs: end - (ago + 1) * MINUTE + 1,
            value: 4,
            distribution: { bounds: [], counts: [4] },
          });
        }
        fake.series.push(series);
      } else continue;
      kinds.add(sli.kind);
      const options = { projectId: "p", namePrefix: PREFIX, endMs: END, lookbackSeconds: 3 * 3600 };
      const fromFast = await readSloMinutes(fast, slo, options);
      const fromStock = await readSloMinutes(stock, slo, options);
      expect(fromFast.size).toBeGreaterThanOrEqual(60);
      expect([...fromFast.entries()].sort()).toEqual([...fromStock.entries()].sort());
      if (sli.kind === "distribution-cut")
        for (const at of oneBucket) expect(fromFast.get(at)).toEqual({ good: 0, total: 4 });
    }
    expect([...kinds].sort()).toEqual(["distribution-cut", "ratio", "windows-in-range"]);
  });

  test("a truncated or malformed answer fails with where, never a partial answer", () => {
    const bytes = Buffer.from(
      Response.encode(
        Response.fromObject({
          timeSeries: [{ points: [{ interval: { endTime: { seconds: 1 } }, value: { doubleValue: 1 } }] }],
        }),
      ).finish(),
    );
    expect(() => decodeListTimeSeriesResponse(bytes.subarray(0, bytes.length - 3))).toThrow(
      /malformed ListTimeSeries answer/,
    );
  });
});
