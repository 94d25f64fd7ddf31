/**
 * A fake Cloud Monitoring API: a real gRPC server (@grpc/grpc-js) built from the protos shipped inside
 * @google-cloud/monitoring, serving `google.monitoring.v3.MetricService` ListTimeSeries (filter, interval,
 * aggregation with alignment and cross-series reduction, paging) and CreateTimeSeries. The real
 * `MetricServiceClient` talks to it with:
 *
 *   new MetricServiceClient({ servicePath: "127.0.0.1", port, sslCreds: grpc.credentials.createInsecure() })
 *
 * (google-gax uses `sslCreds` as the channel credentials and skips Google authentication.)
 */
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import * as protobuf from "protobufjs";
import { encodeListTimeSeriesResponse } from "./encode";

/** An explicit-bucket histogram (Cloud Monitoring Distribution with explicitBuckets). */
export interface FakeDistribution {
  bounds: number[];
  /** bounds.length + 1 counts: (-inf, b0), [b0, b1), ..., [b(n-1), +inf). */
  counts: number[];
}

/**
 * One sample of a series: its end time and value. DELTA points cover [endMs - periodMs, endMs]; a
 * DISTRIBUTION point has `distribution` (and `value` = its count).
 */
export interface FakePoint {
  endMs: number;
  value: number;
  startMs?: number;
  distribution?: FakeDistribution;
}

/** A stored time series, as Cloud Monitoring would hold it. */
export interface FakeSeries {
  metricType: string;
  metricLabels?: Record<string, string>;
  resourceType: string;
  resourceLabels?: Record<string, string>;
  metricKind: "GAUGE" | "DELTA" | "CUMULATIVE";
  valueType: "INT64" | "DOUBLE" | "BOOL" | "DISTRIBUTION";
  points: FakePoint[];
}

/** The parts of a ListTimeSeries request the tests look at. */
export interface RecordedListRequest {
  name: string;
  filter: string;
  startMs: number;
  endMs: number;
  alignmentPeriodS: number;
  perSeriesAligner: string;
  crossSeriesReducer: string;
}

/** A gRPC error the next calls answer with (e.g. PERMISSION_DENIED), to test error handling. */
export interface FakeFailure {
  code: grpc.status;
  details: string;
  /** How many calls fail; then the server answers normally again. Default: every call. */
  times?: number;
}

const monitoringPackage = dirname(require.resolve("@google-cloud/monitoring/package.json"));
const monitoringRoot = join(monitoringPackage, "build", "protos");
// google/api and google/protobuf imports: the gax copy the monitoring client itself uses (build/src/index.js).
const gaxRoot = join(dirname(require.resolve("google-gax", { paths: [monitoringPackage] })), "..", "protos");

// biome-ignore lint/suspicious/noExplicitAny: messages decoded by proto-loader are untyped plain objects
type ProtoObject = any;

/**
 * The descriptor set the real client itself decodes with (@google-cloud/monitoring build/protos/protos.json,
 * loaded by MetricServiceClient through google-gax `loadProtoJSON`).
 */
let cachedRoot: protobuf.Root | undefined;
function clientProtos(): protobuf.Root {
  cachedRoot ??= protobuf.Root.fromJSON(require(join(monitoringRoot, "protos.json")));
  return cachedRoot;
}

/**
 * ListTimeSeries answers are built as plain objects in protobufjs shape (enums as numbers, int64 as
 * numbers) and encoded by encode.ts into one buffer sized up front: proto-loader's serializer first copies
 * every message through `fromObject`, and protobufjs's Writer allocates an operation per field, most of the
 * fake's time and garbage on a 43,200-point answer; the bytes are the same (test/monitoring-server.test.ts
 * compares them with proto-loader's).
 */
const enumValue = (name: string, key: string): number => {
  const value = clientProtos().lookupEnum(name).values[key];
  if (value === undefined) throw new Error(`${name} has no value ${key}`);
  return value;
};
const metricKind = (kind: string) => enumValue("google.api.MetricDescriptor.MetricKind", kind);
const valueType = (type: string) => enumValue("google.api.MetricDescriptor.ValueType", type);

const METRIC_SERVICE_PROTO = "google/monitoring/v3/metric_service.proto";
// requests are decoded as google-gax decodes answers (longs and enums as strings, defaults filled in)
const LOAD_OPTIONS: protoLoader.Options = {
  includeDirs: [monitoringRoot, gaxRoot],
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

let cachedService: grpc.ServiceDefinition | undefined;
function metricService(): grpc.ServiceDefinition {
  if (cachedService) return cachedService;
  const definition = protoLoader.loadSync(METRIC_SERVICE_PROTO, LOAD_OPTIONS);
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    google: { monitoring: { v3: { MetricService: { service: grpc.ServiceDefinition } } } };
  };
  const service = loaded.google.monitoring.v3.MetricService.service;
  const list = service.ListTimeSeries as grpc.MethodDefinition<ProtoObject, ProtoObject>;
  cachedService = {
    ...service,
    ListTimeSeries: {
      ...list,
      responseSerialize: (answer: ProtoObject) => encodeListTimeSeriesResponse(answer),
    },
  };
  return cachedService;
}

/**
 * The ways to encode a ListTimeSeries answer: the fake's (`direct`, encode.ts), proto-loader's own
 * (`fromObject`, then encode) and protobufjs's `encode` with the client's message type straight from the
 * plain object (the fake's encoder before encode.ts; it differs from proto-loader's only for an int64 that
 * is not a finite number, e.g. Math.round(Infinity): 0 here, Long's maximum after `fromObject`), for the
 * tests that keep their bytes identical.
 */
export function listTimeSeriesSerializers(): {
  direct: (answer: unknown) => Buffer;
  protoLoader: (answer: unknown) => Buffer;
  protobufjs: (answer: unknown) => Buffer;
} {
  const method = (service: grpc.ServiceDefinition) =>
    service.ListTimeSeries as grpc.MethodDefinition<unknown, unknown>;
  const plain = protoLoader.loadSync(METRIC_SERVICE_PROTO, LOAD_OPTIONS)[
    "google.monitoring.v3.MetricService"
  ] as grpc.ServiceDefinition;
  return {
    direct: method(metricService()).responseSerialize,
    protoLoader: method(plain).responseSerialize,
    protobufjs: (answer) =>
      Buffer.from(
        clientProtos()
          .lookupType("google.monitoring.v3.ListTimeSeriesResponse")
          .encode(answer as protobuf.Message)
          .finish(),
      ),
  };
}

interface Timestamp {
  seconds?: string | number;
  nanos?: number;
}
const toMs = (t: Timestamp | null | undefined): number =>
  t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0;
// int64 fields as numbers, not strings: protobufjs encodes a safe integer directly (a string would go
// through Long.fromString); the wire bytes are the same
const toTimestamp = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

/** Parses the subset of the Monitoring filter language the project uses: `key = "value"` joined by AND. */
export function parseFilter(filter: string): Record<string, string> {
  const clauses: Record<string, string> = {};
  for (const raw of filter.split(/\s+AND\s+/)) {
    const match = /^\s*([a-z_.]+)\s*=\s*"([^"]*)"\s*$/.exec(raw);
    if (!match) throw new Error(`unsupported filter clause: ${raw.trim()}`);
    const key = (match[1] as string)
      .replace(/^resource\.labels\./, "resource.label.")
      .replace(/^metric\.labels\./, "metric.label.");
    clauses[key] = match[2] as string;
  }
  if (!clauses["metric.type"]) throw new Error("filter must name metric.type");
  return clauses;
}

function matches(series: FakeSeries, clauses: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(clauses)) {
    let actual: string | undefined;
    if (key === "metric.type") actual = series.metricType;
    else if (key === "resource.type") actual = series.resourceType;
    else if (key.startsWith("resource.label.")) actual = series.resourceLabels?.[key.slice(15)];
    else if (key.startsWith("metric.label.")) actual = series.metricLabels?.[key.slice(13)];
    else throw new Error(`unsupported filter key: ${key}`);
    if (actual !== value) return false;
  }
  return true;
}

function reduce(values: number[], how: string): number {
  if (how === "ALIGN_MEAN" || how === "REDUCE_MEAN") return values.reduce((a, b) => a + b, 0) / values.length;
  if (how === "ALIGN_MAX" || how === "REDUCE_MAX") return Math.max(...values);
  if (how === "ALIGN_MIN" || how === "REDUCE_MIN") return Math.min(...values);
  if (how === "ALIGN_COUNT" || how === "REDUCE_COUNT") return values.length;
  return values.reduce((a, b) => a + b, 0); // ALIGN_DELTA, ALIGN_SUM, REDUCE_SUM
}

/** Element-wise sum of histograms with the same bounds (ALIGN_DELTA / REDUCE_SUM of distributions). */
function mergeDistributions(list: FakeDistribution[]): FakeDistribution {
  const first = list[0] as FakeDistribution;
  const sameBounds = (d: FakeDistribution) =>
    d.bounds === first.bounds ||
    (d.bounds.length === first.bounds.length && d.bounds.every((b, i) => b === first.bounds[i]));
  for (const d of list)
    if (!sameBounds(d)) throw new Error("cannot aggregate distributions with different bucket bounds");
  // one point per bucket (the usual one-minute case): nothing to add up
  if (list.length === 1) return first;
  return {
    bounds: first.bounds,
    counts: first.counts.map((_, i) => list.reduce((a, d) => a + (d.counts[i] ?? 0), 0)),
  };
}

/** `counts` without its trailing zeros (all of them for a zero-count histogram). */
function withoutTrailingZeros(counts: number[]): number[] {
  let n = counts.length;
  while (n > 0 && counts[n - 1] === 0) n--;
  return n === counts.length ? counts : counts.slice(0, n);
}

/** The fake server. Put series in `series`, then `start()`; `requests` records every ListTimeSeries. */
export class FakeMonitoringServer {
  readonly series: FakeSeries[] = [];
  readonly requests: RecordedListRequest[] = [];
  /** Series received through CreateTimeSeries, with the project they were written to. */
  readonly created: { name: string; series: FakeSeries }[] = [];
  failure: FakeFailure | undefined;
  /** Series per page (the real API pages by points; by series is enough for the client's paging). */
  pageSize = 2;
  /**
   * Leave out the trailing zero bucket counts of a distribution, as Cloud Monitoring answers (a Grafana
   * maintainer on recorded ListTimeSeries answers: "if the rest of values are 0, it's just omitted",
   * grafana/grafana#56565); google/api/distribution.proto: fewer than N counts means the rest are 0.
   * A zero-count point then has no bucket counts at all. false sends all N counts (also valid).
   */
  trimTrailingZeroBuckets = true;
  private server: grpc.Server | undefined;
  port = 0;

  /** Starts listening on 127.0.0.1 on a free port; resolves to the port. */
  async start(): Promise<number> {
    const server = new grpc.Server();
    server.addService(metricService(), {
      ListTimeSeries: (
        call: grpc.ServerUnaryCall<ProtoObject, ProtoObject>,
        callback: grpc.sendUnaryData<ProtoObject>,
      ) => this.answer(callback, () => this.listTimeSeries(call.request)),
      CreateTimeSeries: (
        call: grpc.ServerUnaryCall<ProtoObject, ProtoObject>,
        callback: grpc.sendUnaryData<ProtoObject>,
      ) => this.answer(callback, () => this.createTimeSeries(call.request)),
    });
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    this.server = server;
    return this.port;
  }

  /** Stops the server at once (open calls are cancelled). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.forceShutdown();
  }

  /** Options for `new MetricServiceClient(...)` that point the real client at this server. */
  clientOptions(): {
    servicePath: string;
    port: number;
    sslCreds: grpc.ChannelCredentials;
    projectId: string;
  } {
    return {
      servicePath: "127.0.0.1",
      port: this.port,
      sslCreds: grpc.credentials.createInsecure(),
      projectId: "fake-project",
    };
  }

  private answer(callback: grpc.sendUnaryData<ProtoObject>, work: () => unknown): void {
    const failure = this.failure;
    if (failure) {
      if (failure.times !== undefined && --failure.times <= 0) this.failure = undefined;
      callback({
        code: failure.code,
        details: failure.details,
        name: "FakeFailure",
        message: failure.details,
      });
      return;
    }
    try {
      callback(null, work());
    } catch (error) {
      const details = error instanceof Error ? error.message : String(error);
      callback({ code: grpc.status.INVALID_ARGUMENT, details, name: "InvalidArgument", message: details });
    }
  }

  /** The answer to a ListTimeSeries request (decoded as proto-loader does), before it is encoded. */
  listTimeSeries(request: ProtoObject): unknown {
    if (!/^projects\/[^/]+$/.test(request.name ?? ""))
      throw new Error(`name must be projects/PROJECT, got "${request.name}"`);
    const clauses = parseFilter(request.filter ?? "");
    const startMs = toMs(request.interval?.startTime);
    const endMs = toMs(request.interval?.endTime);
    if (!endMs) throw new Error("interval.endTime is required");
    const aggregation = request.aggregation ?? {};
    const alignmentPeriodS = Number(aggregation.alignmentPeriod?.seconds ?? 0);
    const aligner = aggregation.perSeriesAligner ?? "ALIGN_NONE";
    const reducer = aggregation.crossSeriesReducer ?? "REDUCE_NONE";
    this.requests.push({
      name: request.name,
      filter: request.filter,
      startMs,
      endMs,
      alignmentPeriodS,
      perSeriesAligner: aligner,
      crossSeriesReducer: reducer,
    });
    if (aligner !== "ALIGN_NONE" && alignmentPeriodS <= 0)
      throw new Error("aggregation.alignmentPeriod must be set when perSeriesAligner is");

    let selected = this.series.filter((s) => matches(s, clauses));
    // Per-series alignment: buckets (end - (k+1)p, end - kp], newest first, like the real API.
    type OutPoint = { endMs: number; startMs: number; value: number; distribution?: FakeDistribution };
    type Out = { series: FakeSeries; points: OutPoint[] };
    let out: Out[] = selected.map((series) => {
      const inRange = series.points.filter((p) => p.endMs > startMs && p.endMs <= endMs);
      if (aligner === "ALIGN_NONE")
        return {
          series,
          points: inRange.map((p) => ({ ...p, startMs: p.endMs })).sort((a, b) => b.endMs - a.endMs),
        };
      if (series.valueType === "DISTRIBUTION" && aligner !== "ALIGN_DELTA")
        throw new Error(`a DISTRIBUTION series can only be aligned with ALIGN_DELTA here, got ${aligner}`);
      const periodMs = alignmentPeriodS * 1000;
      // per alignment period k (ending at endMs - k * period, so k = 0 is the newest) the one point in
      // it (the usual case), or the list when several fall in it
      const periods: (FakePoint | FakePoint[] | undefined)[] = [];
      for (const p of inRange) {
        const k = Math.floor((endMs - p.endMs) / periodMs);
        const held = periods[k];
        if (held === undefined) periods[k] = p;
        else if (Array.isArray(held)) held.push(p);
        else periods[k] = [held, p];
      }
      const points: OutPoint[] = [];
      periods.forEach((held, k) => {
        const end = endMs - k * periodMs;
        const ps = Array.isArray(held) ? held : undefined;
        if (series.valueType === "DISTRIBUTION") {
          const distribution = ps
            ? mergeDistributions(ps.map((p) => p.distribution as FakeDistribution))
            : (held as FakePoint).distribution;
          points.push({ endMs: end, startMs: end - periodMs, value: 0, distribution });
          return;
        }
        const value = ps
          ? reduce(
              ps.map((p) => p.value),
              aligner,
            )
          : aligner === "ALIGN_COUNT"
            ? 1
            : (held as FakePoint).value;
        points.push({ endMs: end, startMs: end - periodMs, value });
      });
      return { series, points };
    });
    const first = out[0];
    if (first?.series.valueType === "DISTRIBUTION" && reducer !== "REDUCE_NONE" && reducer !== "REDUCE_SUM")
      throw new Error(`DISTRIBUTION series can only be reduced with REDUCE_SUM here, got ${reducer}`);
    // one series: its sum, mean, min or max across series is itself (only its labels go)
    if (
      first &&
      out.length === 1 &&
      ["REDUCE_SUM", "REDUCE_MEAN", "REDUCE_MIN", "REDUCE_MAX"].includes(reducer)
    )
      out = [{ series: { ...first.series, metricLabels: {}, resourceLabels: {} }, points: first.points }];
    else if (reducer !== "REDUCE_NONE" && out.length > 0) {
      const byEnd = new Map<
        number,
        { startMs: number; values: number[]; distributions: FakeDistribution[] }
      >();
      for (const o of out)
        for (const p of o.points) {
          const entry = byEnd.get(p.endMs) ?? { startMs: p.startMs, values: [], distributions: [] };
          entry.values.push(p.value);
          if (p.distribution) entry.distributions.push(p.distribution);
          byEnd.set(p.endMs, entry);
        }
      out = [
        {
          series: { ...(first as Out).series, metricLabels: {}, resourceLabels: {} },
          points: [...byEnd.entries()]
            .sort((a, b) => b[0] - a[0])
            .map(([end, e]) =>
              e.distributions.length > 0
                ? {
                    endMs: end,
                    startMs: e.startMs,
                    value: 0,
                    distribution: mergeDistributions(e.distributions),
                  }
                : { endMs: end, startMs: e.startMs, value: reduce(e.values, reducer) },
            ),
        },
      ];
    }
    out = out.filter((o) => o.points.length > 0);
    selected = out.map((o) => o.series);

    const offset = request.pageToken ? Number(request.pageToken) : 0;
    const page = out.slice(offset, offset + this.pageSize);
    const next = offset + this.pageSize < out.length ? String(offset + this.pageSize) : "";
    const asDouble = aligner === "ALIGN_MEAN" || reducer === "REDUCE_MEAN";
    const typed = (series: FakeSeries, p: OutPoint) => {
      if (p.distribution) {
        const counts = p.distribution.counts;
        let count = 0;
        for (const c of counts) count += c;
        return {
          distributionValue: {
            count,
            bucketOptions: { explicitBuckets: { bounds: p.distribution.bounds } },
            bucketCounts: this.trimTrailingZeroBuckets ? withoutTrailingZeros(counts) : counts,
          },
        };
      }
      return asDouble || series.valueType === "DOUBLE"
        ? { doubleValue: p.value }
        : series.valueType === "BOOL"
          ? { boolValue: p.value > 0 }
          : { int64Value: Math.round(p.value) };
    };
    // protobufjs shape (see metricService): enums as numbers, int64 as numbers
    return {
      timeSeries: page.map(({ series, points }) => ({
        metric: { type: series.metricType, labels: series.metricLabels ?? {} },
        resource: { type: series.resourceType, labels: series.resourceLabels ?? {} },
        metricKind: metricKind(
          aligner === "ALIGN_NONE" ? series.metricKind : aligner === "ALIGN_DELTA" ? "DELTA" : "GAUGE",
        ),
        valueType: valueType(asDouble ? "DOUBLE" : series.valueType),
        points: points.map((p) => ({
          interval: { startTime: toTimestamp(p.startMs), endTime: toTimestamp(p.endMs) },
          value: typed(series, p),
        })),
      })),
      nextPageToken: next,
      executionErrors: [],
      unit: "",
    };
  }

  private createTimeSeries(request: ProtoObject): unknown {
    if (!/^projects\/[^/]+$/.test(request.name ?? ""))
      throw new Error(`name must be projects/PROJECT, got "${request.name}"`);
    const list: ProtoObject[] = request.timeSeries ?? [];
    if (list.length === 0 || list.length > 200) throw new Error("timeSeries must hold 1 to 200 series");
    for (const ts of list) {
      if (!ts.metric?.type?.startsWith("custom.googleapis.com/"))
        throw new Error(`only custom.googleapis.com/ metrics can be written, got "${ts.metric?.type}"`);
      if ((ts.points ?? []).length !== 1) throw new Error("each time series must hold exactly one point");
      const point = ts.points[0];
      const v = point.value ?? {};
      const d = v.value === "distributionValue" ? v.distributionValue : undefined;
      const distribution: FakeDistribution | undefined = d
        ? {
            bounds: (d.bucketOptions?.explicitBuckets?.bounds ?? []).map(Number),
            counts: (d.bucketCounts ?? []).map(Number),
          }
        : undefined;
      if (
        ts.metricKind === "CUMULATIVE" &&
        !(toMs(point.interval?.startTime) < toMs(point.interval?.endTime))
      )
        throw new Error("a CUMULATIVE point needs a start time before its end time");
      const value =
        v.value === "boolValue"
          ? Number(v.boolValue)
          : v.value === "int64Value"
            ? Number(v.int64Value)
            : distribution
              ? distribution.counts.reduce((a, b) => a + b, 0)
              : Number(v.doubleValue ?? 0);
      const series: FakeSeries = {
        metricType: ts.metric.type,
        metricLabels: ts.metric.labels ?? {},
        resourceType: ts.resource?.type ?? "global",
        resourceLabels: ts.resource?.labels ?? {},
        metricKind: ts.metricKind === "DELTA" || ts.metricKind === "CUMULATIVE" ? ts.metricKind : "GAUGE",
        valueType: distribution
          ? "DISTRIBUTION"
          : v.value === "boolValue"
            ? "BOOL"
            : v.value === "int64Value"
              ? "INT64"
              : "DOUBLE",
        points: [
          distribution
            ? {
                endMs: toMs(point.interval?.endTime),
                startMs: toMs(point.interval?.startTime),
                value,
                distribution,
              }
            : { endMs: toMs(point.interval?.endTime), value },
        ],
      };
      this.created.push({ name: request.name, series });
      const existing = this.series.find(
        (s) =>
          s.metricType === series.metricType &&
          JSON.stringify(s.metricLabels ?? {}) === JSON.stringify(series.metricLabels) &&
          JSON.stringify(s.resourceLabels ?? {}) === JSON.stringify(series.resourceLabels),
      );
      if (existing) existing.points.push(...series.points);
      else this.series.push(series);
    }
    return {};
  }
}
