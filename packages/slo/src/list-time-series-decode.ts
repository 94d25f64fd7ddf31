/**
 * A cheaper decoder for ListTimeSeries answers, installed on the MetricServiceClient the gate already uses
 * (same auth, channel, retries and pagination); everything else about the client is stock.
 *
 * Why: google-gax 5.0.8 loads the client's protos with `{ longs: String, enums: String, defaults: true,
 * oneofs: true }` (google-gax@5.0.8 build/src/grpc.js `GrpcClient.defaultOptions`, used by `loadProtoJSON`),
 * and @grpc/proto-loader 0.8.1 deserializes every answer as `cls.toObject(cls.decode(buf), options)`
 * (build/src/index.js `createDeserializer`): per point a decoded message, Long objects, then a second object
 * tree with every defaulted field and int64 as strings. For 30 days of one-minute points that is most of the
 * gate's CPU time (docs/slos.md "Speed"). This decoder reads the wire format once, straight into plain
 * objects shaped like `toObject(..., { longs: Number, enums: String, arrays: true, objects: true })`: the
 * scalar fields present, int64 as numbers, enums as their names, and every repeated field and map, empty
 * when absent. Empty, as the stock decoder (`defaults: true`) gives them: a proto3 server leaves an empty
 * repeated field off the wire, and the reader takes a missing one as broken data (packages/slo/src/cloud.ts
 * `distributionCut`: an explicitBuckets without `bounds` would be an invalid minute, not one bucket).
 *
 * Exactness: an int64 above 2^53 cannot be a JavaScript number. A value (int64Value, a distribution's count
 * or bucket count) beyond Number.MAX_SAFE_INTEGER decodes as NaN, so the reader refuses the minute as invalid
 * data instead of scoring a rounded count (the stock path rounds it silently: Number("9007199254740993")); a
 * timestamp beyond it fails the read.
 *
 * Read, not decoded: fields the gate never reads (TimeSeries.metadata and description, the answer's
 * executionErrors, Distribution.exemplars) are skipped.
 *
 * The seam (non-public, pinned by @google-cloud/monitoring 5.4.0 and its google-gax 5.0.8):
 *  - MetricServiceClient.initialize() resolves `metricServiceStub`, a @grpc/grpc-js client made by
 *    `makeClientConstructor` (@grpc/grpc-js@1.14.7 build/src/make-client.js): its prototype's `listTimeSeries`
 *    is `partial(makeUnaryRequest, path, requestSerialize, responseDeserialize)` and the constructor's `service`
 *    holds that method definition;
 *  - the client calls `stub[methodName]` at call time (@google-cloud/monitoring@5.4.0
 *    build/src/v3/metric_service_client.js, `initialize`: `const func = stub[methodName]; return
 *    func.apply(stub, args)`), so an own `listTimeSeries` on the stub replaces the deserializer only.
 * installFastListTimeSeries checks every piece of it and leaves the client stock (saying why) when one is
 * missing; test/list-time-series-decode.test.ts fails when an upgrade moves the seam. `SLO_GATE_STOCK_DECODE=true`
 * keeps the stock path.
 */

/** The field numbers and wire types this decoder assumes; checked against the client's descriptors. */
export const DECODED_FIELDS = {
  "google.monitoring.v3.ListTimeSeriesResponse": {
    timeSeries: [1, "TimeSeries"],
    nextPageToken: [2, "string"],
    unit: [5, "string"],
  },
  "google.monitoring.v3.TimeSeries": {
    metric: [1, "google.api.Metric"],
    resource: [2, "google.api.MonitoredResource"],
    metricKind: [3, "google.api.MetricDescriptor.MetricKind"],
    valueType: [4, "google.api.MetricDescriptor.ValueType"],
    points: [5, "Point"],
    unit: [8, "string"],
  },
  "google.monitoring.v3.Point": { interval: [1, "TimeInterval"], value: [2, "TypedValue"] },
  "google.monitoring.v3.TimeInterval": {
    startTime: [1, "google.protobuf.Timestamp"],
    endTime: [2, "google.protobuf.Timestamp"],
  },
  "google.monitoring.v3.TypedValue": {
    boolValue: [1, "bool"],
    int64Value: [2, "int64"],
    doubleValue: [3, "double"],
    stringValue: [4, "string"],
    distributionValue: [5, "google.api.Distribution"],
  },
  "google.protobuf.Timestamp": { seconds: [1, "int64"], nanos: [2, "int32"] },
  "google.api.Metric": { type: [3, "string"], labels: [2, "string"] },
  "google.api.MonitoredResource": { type: [1, "string"], labels: [2, "string"] },
  "google.api.Distribution": {
    count: [1, "int64"],
    mean: [2, "double"],
    sumOfSquaredDeviation: [3, "double"],
    range: [4, "Range"],
    bucketOptions: [6, "BucketOptions"],
    bucketCounts: [7, "int64"],
  },
  "google.api.Distribution.Range": { min: [1, "double"], max: [2, "double"] },
  "google.api.Distribution.BucketOptions": {
    linearBuckets: [1, "Linear"],
    exponentialBuckets: [2, "Exponential"],
    explicitBuckets: [3, "Explicit"],
  },
  "google.api.Distribution.BucketOptions.Linear": {
    numFiniteBuckets: [1, "int32"],
    width: [2, "double"],
    offset: [3, "double"],
  },
  "google.api.Distribution.BucketOptions.Exponential": {
    numFiniteBuckets: [1, "int32"],
    growthFactor: [2, "double"],
    scale: [3, "double"],
  },
  "google.api.Distribution.BucketOptions.Explicit": { bounds: [1, "double"] },
} as const satisfies Record<string, Record<string, readonly [number, string]>>;

// biome-ignore lint/suspicious/noExplicitAny: protos.json is the client's untyped descriptor tree
type Json = any;

/** The descriptor JSON the client itself loads (metric_service_client.js: require("../../protos/protos.json")). */
function clientDescriptors(): Json {
  return require("@google-cloud/monitoring/build/protos/protos.json");
}

function lookup(root: Json, fullName: string): Json {
  let node = root;
  for (const part of fullName.split(".")) node = node?.nested?.[part];
  return node;
}

/**
 * Differences between DECODED_FIELDS and the client's descriptors (field numbers and types), and the enum
 * names it maps; empty when the decoder matches the client.
 */
export function descriptorMismatches(root: Json = clientDescriptors()): string[] {
  const problems: string[] = [];
  for (const [typeName, fields] of Object.entries(DECODED_FIELDS)) {
    const type = lookup(root, typeName);
    if (!type?.fields) {
      problems.push(`${typeName} is not in the client's descriptors`);
      continue;
    }
    for (const [name, [id, fieldType]] of Object.entries(fields)) {
      const field = type.fields[name];
      if (!field) problems.push(`${typeName}.${name} is gone`);
      else if (field.id !== id || field.type !== fieldType)
        problems.push(
          `${typeName}.${name} is ${field.id}:${field.type}, the decoder reads ${id}:${fieldType}`,
        );
    }
  }
  for (const e of ["google.api.MetricDescriptor.MetricKind", "google.api.MetricDescriptor.ValueType"])
    if (!lookup(root, e)?.values) problems.push(`enum ${e} is not in the client's descriptors`);
  return problems;
}

let enumNames: { metricKind: string[]; valueType: string[] } | undefined;
function enums(): { metricKind: string[]; valueType: string[] } {
  if (enumNames) return enumNames;
  const names = (fullName: string) => {
    const out: string[] = [];
    for (const [name, n] of Object.entries(
      lookup(clientDescriptors(), fullName).values as Record<string, number>,
    ))
      if (out[n] === undefined) out[n] = name;
    return out;
  };
  enumNames = {
    metricKind: names("google.api.MetricDescriptor.MetricKind"),
    valueType: names("google.api.MetricDescriptor.ValueType"),
  };
  return enumNames;
}

const TWO_32 = 4294967296;

/** A protobuf wire-format reader over one answer. */
class Wire {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    public end: number,
  ) {
    this.pos = start;
  }

  private fail(what: string): never {
    throw new Error(`malformed ListTimeSeries answer at byte ${this.pos}: ${what}`);
  }

  /** A varint up to 32 bits (tags, lengths, enums, bool); int32 negatives come back negative. */
  uint32(): number {
    const buf = this.buf;
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) this.fail("truncated varint");
      const b = buf[this.pos++] as number;
      value |= (b & 0x7f) << shift;
      if (b < 0x80) return value >>> 0;
    }
    // a negative int32 is sign-extended to 10 bytes: its low 32 bits are already read
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) this.fail("truncated varint");
      if ((buf[this.pos++] as number) < 0x80) return value >>> 0;
    }
    return this.fail("varint longer than 10 bytes");
  }

  int32(): number {
    return this.uint32() | 0;
  }

  /** An int64 as a number: exact up to 2^53 either way, NaN beyond (see the module comment). */
  int64(): number {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (this.pos >= this.end) this.fail("truncated varint");
      b = buf[this.pos++] as number;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return lo >>> 0;
    }
    if (this.pos >= this.end) this.fail("truncated varint");
    b = buf[this.pos++] as number;
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    for (let shift = 3; b >= 0x80; shift += 7) {
      if (shift > 31) this.fail("varint longer than 10 bytes");
      if (this.pos >= this.end) this.fail("truncated varint");
      b = buf[this.pos++] as number;
      hi |= (b & 0x7f) << shift;
    }
    const value =
      hi & 0x80000000 ? -((~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1) : (hi >>> 0) * TWO_32 + (lo >>> 0);
    return Number.isSafeInteger(value) ? value : Number.NaN;
  }

  double(): number {
    if (this.pos + 8 > this.end) this.fail("truncated double");
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** The end of a length-delimited field that starts here. */
  delimited(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.end) this.fail("length beyond the message");
    return end;
  }

  string(): string {
    const end = this.delimited();
    const s = this.buf.toString("utf8", this.pos, end);
    this.pos = end;
    return s;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.int64();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.delimited();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        this.fail(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) this.fail("truncated field");
  }

  /** Reads a sub-message with `read` between here and its end. */
  message<T>(read: (w: Wire, end: number) => T): T {
    const end = this.delimited();
    const outer = this.end;
    this.end = end;
    const value = read(this, end);
    this.end = outer;
    if (this.pos !== end) this.fail("sub-message overran its length");
    return value;
  }

  /** A repeated scalar: packed (wire type 2) or one element per tag. */
  repeated(wireType: number, scalarWireType: number, read: () => number, into: number[]): void {
    if (wireType === scalarWireType) {
      into.push(read());
      return;
    }
    if (wireType !== 2) this.fail(`repeated field with wire type ${wireType}`);
    const end = this.delimited();
    while (this.pos < end) into.push(read());
    if (this.pos !== end) this.fail("packed field overran its length");
  }
}

// biome-ignore lint/suspicious/noExplicitAny: plain objects in the shape of the client's message interfaces
type Plain = Record<string, any>;

function timestamp(w: Wire): Plain {
  const t: Plain = {};
  while (w.pos < w.end) {
    const tag = w.uint32();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === 0) {
      const seconds = w.int64();
      if (Number.isNaN(seconds))
        throw new Error("a ListTimeSeries timestamp is beyond 2^53 seconds: refused (not a real time)");
      t.seconds = seconds;
    } else if (field === 2 && (tag & 7) === 0) t.nanos = w.int32();
    else w.skip(tag & 7);
  }
  return t;
}

function labels(w: Wire, into: Plain): void {
  let key = "";
  let value = "";
  while (w.pos < w.end) {
    const tag = w.uint32();
    if (tag === 10) key = w.string();
    else if (tag === 18) value = w.string();
    else w.skip(tag & 7);
  }
  into[key] = value;
}

/** google.api.Metric (type 3) or MonitoredResource (type 1): a type and a labels map (2). */
function typedLabels(typeField: number) {
  return (w: Wire): Plain => {
    const m: Plain = { labels: {} };
    while (w.pos < w.end) {
      const tag = w.uint32();
      const field = tag >>> 3;
      if (field === typeField && (tag & 7) === 2) m.type = w.string();
      else if (field === 2 && (tag & 7) === 2) w.message((x) => labels(x, m.labels));
      else w.skip(tag & 7);
    }
    return m;
  };
}
const metric = typedLabels(3);
const resource = typedLabels(1);

/** A message of doubles and int32s by field number (Range, Linear, Exponential). */
function numbers(names: Record<number, [string, "double" | "int32"]>) {
  return (w: Wire): Plain => {
    const m: Plain = {};
    while (w.pos < w.end) {
      const tag = w.uint32();
      const f = names[tag >>> 3];
      if (f && f[1] === "double" && (tag & 7) === 1) m[f[0]] = w.double();
      else if (f && f[1] === "int32" && (tag & 7) === 0) m[f[0]] = w.int32();
      else w.skip(tag & 7);
    }
    return m;
  };
}
const range = numbers({ 1: ["min", "double"], 2: ["max", "double"] });
const linear = numbers({ 1: ["numFiniteBuckets", "int32"], 2: ["width", "double"], 3: ["offset", "double"] });
const exponential = numbers({
  1: ["numFiniteBuckets", "int32"],
  2: ["growthFactor", "double"],
  3: ["scale", "double"],
});

function bucketOptions(w: Wire): Plain {
  const o: Plain = {};
  while (w.pos < w.end) {
    const tag = w.uint32();
    if (tag === 10) o.linearBuckets = w.message(linear);
    else if (tag === 18) o.exponentialBuckets = w.message(exponential);
    else if (tag === 26)
      o.explicitBuckets = w.message((x) => {
        const bounds: number[] = [];
        while (x.pos < x.end) {
          const t = x.uint32();
          if (t >>> 3 === 1) x.repeated(t & 7, 1, () => x.double(), bounds);
          else x.skip(t & 7);
        }
        return { bounds };
      });
    else w.skip(tag & 7);
  }
  return o;
}

function distribution(w: Wire): Plain {
  const d: Plain = { bucketCounts: [] };
  while (w.pos < w.end) {
    const tag = w.uint32();
    const field = tag >>> 3;
    const type = tag & 7;
    if (field === 1 && type === 0) d.count = w.int64();
    else if (field === 2 && type === 1) d.mean = w.double();
    else if (field === 3 && type === 1) d.sumOfSquaredDeviation = w.double();
    else if (field === 4 && type === 2) d.range = w.message(range);
    else if (field === 6 && type === 2) d.bucketOptions = w.message(bucketOptions);
    else if (field === 7) w.repeated(type, 0, () => w.int64(), d.bucketCounts);
    else w.skip(type);
  }
  return d;
}

function typedValue(w: Wire): Plain {
  // a oneof: the last member on the wire wins, as in protobufjs
  let v: Plain = {};
  while (w.pos < w.end) {
    const tag = w.uint32();
    if (tag === 8) v = { boolValue: w.uint32() !== 0 };
    else if (tag === 16) v = { int64Value: w.int64() };
    else if (tag === 25) v = { doubleValue: w.double() };
    else if (tag === 34) v = { stringValue: w.string() };
    else if (tag === 42) v = { distributionValue: w.message(distribution) };
    else w.skip(tag & 7);
  }
  return v;
}

function interval(w: Wire): Plain {
  const i: Plain = {};
  while (w.pos < w.end) {
    const tag = w.uint32();
    if (tag === 10) i.startTime = w.message(timestamp);
    else if (tag === 18) i.endTime = w.message(timestamp);
    else w.skip(tag & 7);
  }
  return i;
}

function point(w: Wire): Plain {
  const p: Plain = {};
  while (w.pos < w.end) {
    const tag = w.uint32();
    if (tag === 10) p.interval = w.message(interval);
    else if (tag === 18) p.value = w.message(typedValue);
    else w.skip(tag & 7);
  }
  return p;
}

function timeSeries(w: Wire): Plain {
  const s: Plain = { points: [] };
  const names = enums();
  while (w.pos < w.end) {
    const tag = w.uint32();
    if (tag === 10) s.metric = w.message(metric);
    else if (tag === 18) s.resource = w.message(resource);
    else if (tag === 24) s.metricKind = enumName(names.metricKind, w.int32());
    else if (tag === 32) s.valueType = enumName(names.valueType, w.int32());
    else if (tag === 42) s.points.push(w.message(point));
    else if (tag === 66) s.unit = w.string();
    else w.skip(tag & 7);
  }
  return s;
}

/** An enum's name, or its number when the descriptors do not know it (as protobufjs's toObject does). */
const enumName = (names: string[], n: number): string | number => names[n] ?? n;

/** Decodes one ListTimeSeriesResponse (see the module comment for the shape). */
export function decodeListTimeSeriesResponse(buf: Buffer): Plain {
  const w = new Wire(buf, 0, buf.length);
  const answer: Plain = { timeSeries: [] };
  while (w.pos < w.end) {
    const tag = w.uint32();
    if (tag === 10) answer.timeSeries.push(w.message(timeSeries));
    else if (tag === 18) answer.nextPageToken = w.string();
    else if (tag === 42) answer.unit = w.string();
    else w.skip(tag & 7);
  }
  return answer;
}

const LIST_TIME_SERIES_PATH = "/google.monitoring.v3.MetricService/ListTimeSeries";

/** What installFastListTimeSeries did. */
export type FastDecodeResult = { installed: true } | { installed: false; reason: string };

/** The parts of MetricServiceClient the seam touches (see the module comment). */
interface ClientWithStub {
  initialize(): unknown;
  metricServiceStub?: Promise<unknown>;
}

type UnaryStub = {
  makeUnaryRequest(path: string, serialize: unknown, deserialize: unknown, ...args: unknown[]): unknown;
  listTimeSeries?: unknown;
};

/**
 * Makes `client` (a MetricServiceClient) decode ListTimeSeries answers with decodeListTimeSeriesResponse.
 * Leaves it stock, and says why, when SLO_GATE_STOCK_DECODE=true or any part of the seam is not where
 * @google-cloud/monitoring 5.4.0 / google-gax 5.0.8 / @grpc/grpc-js 1.14.7 put it.
 */
export async function installFastListTimeSeries(
  client: unknown,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FastDecodeResult> {
  if (env.SLO_GATE_STOCK_DECODE === "true")
    return { installed: false, reason: "SLO_GATE_STOCK_DECODE=true: the client's own decoder" };
  const c = client as Partial<ClientWithStub>;
  if (typeof c.initialize !== "function")
    return { installed: false, reason: "not a MetricServiceClient (no initialize())" };
  let stub: UnaryStub | undefined;
  try {
    c.initialize();
    stub = (await c.metricServiceStub) as UnaryStub | undefined;
  } catch (error) {
    // e.g. no credentials: the first read reports it with its fix (actions/slo-gate explain())
    return {
      installed: false,
      reason: `the client did not initialize (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const method = (Object.getPrototypeOf(stub ?? {})?.constructor as { service?: Record<string, Plain> })
    ?.service?.ListTimeSeries;
  if (!stub || typeof stub.makeUnaryRequest !== "function" || typeof stub.listTimeSeries !== "function")
    return {
      installed: false,
      reason: "the client's metricServiceStub is not a @grpc/grpc-js client with listTimeSeries",
    };
  if (
    !method ||
    method.path !== LIST_TIME_SERIES_PATH ||
    method.requestStream ||
    method.responseStream ||
    typeof method.requestSerialize !== "function" ||
    Object.getPrototypeOf(stub).listTimeSeries !== Object.getPrototypeOf(stub).ListTimeSeries
  )
    return {
      installed: false,
      reason: "the stub's ListTimeSeries method definition is not where @grpc/grpc-js 1.14 puts it",
    };
  const mismatches = descriptorMismatches();
  if (mismatches.length)
    return { installed: false, reason: `the client's descriptors changed: ${mismatches.join("; ")}` };
  const serialize = method.requestSerialize;
  stub.listTimeSeries = function listTimeSeries(this: UnaryStub, ...args: unknown[]) {
    return this.makeUnaryRequest(LIST_TIME_SERIES_PATH, serialize, decodeListTimeSeriesResponse, ...args);
  };
  return { installed: true };
}
