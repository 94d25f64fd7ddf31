/**
 * The fake's ListTimeSeries answers, encoded into one buffer sized up front, as a proto3 server writes them:
 * a field without presence (a singular scalar, string or enum not in a oneof; a repeated field) is left off
 * the wire when it holds its default (0, "", the 0 enumerator, empty), while a message field that is set and
 * a oneof member are written even when zero or empty (protocolbuffers/protobuf
 * @e712d276bcead35cad45e305463f5e542246351e:docs/field_presence.md, "Presence in *tag-value stream* (wire
 * format) serialization": "fields with *no presence* are not serialized if they contain their default
 * value"; the Monitoring protos are proto3 without `optional` on these fields). So a zero count, a zero
 * `nanos`, an empty nextPageToken or unit reach the client as absent fields, as from Cloud Monitoring, and
 * the readers' "absent" paths run. Map entries keep both key and value, even empty (protobuf's C++ encoder:
 * "Map entry fields always need to be serialized", src/google/protobuf/wire_format.cc at the same commit).
 * The bytes are protobufjs `encode`'s with the client's descriptors for the same answer with its
 * default-valued no-presence fields deleted (packages/testkit/test/monitoring-server.test.ts compares them;
 * protobufjs writes every own property, in field-number order), without protobufjs Writer's operation object
 * per field, which made garbage collection most of the fake's CPU time on 30-day answers (docs/slos.md
 * "Speed"). It encodes only the shape server.ts builds; anything else in an answer is an error, never dropped.
 */

/** The answer server.ts builds (protobufjs shape: enums as numbers, int64 as numbers). */
export interface EncodableAnswer {
  timeSeries: {
    metric: { type: string; labels: Record<string, string> };
    resource: { type: string; labels: Record<string, string> };
    metricKind: number;
    valueType: number;
    points: { interval: { startTime: Stamp; endTime: Stamp }; value: EncodableValue }[];
  }[];
  nextPageToken: string;
  executionErrors: unknown[];
  unit: string;
}
interface Stamp {
  seconds: number;
  nanos: number;
}
type EncodableValue =
  | { doubleValue: number }
  | { boolValue: boolean }
  | { int64Value: number }
  | {
      distributionValue: {
        count: number;
        bucketOptions: { explicitBuckets: { bounds: number[] } };
        bucketCounts: number[];
      };
    };

const TWO_32 = 4294967296;
// protobufjs LongBits.fromNumber, kept bit for bit (NaN and infinities encode as 0, as there)
let lo = 0;
let hi = 0;
function longBits(value: number): void {
  if (value === 0) {
    lo = 0;
    hi = 0;
    return;
  }
  const sign = value < 0;
  if (sign) value = -value;
  lo = value >>> 0;
  hi = ((value - lo) / TWO_32) >>> 0;
  if (sign) {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
    if (++lo > 4294967295) {
      lo = 0;
      if (++hi > 4294967295) hi = 0;
    }
  }
}
/** protobufjs LongBits#length of the bits in lo/hi. */
function longLength(): number {
  const part0 = lo;
  const part1 = ((lo >>> 28) | (hi << 4)) >>> 0;
  const part2 = hi >>> 24;
  if (part2 !== 0) return part2 < 128 ? 9 : 10;
  if (part1 !== 0) return part1 < 16384 ? (part1 < 128 ? 5 : 6) : part1 < 2097152 ? 7 : 8;
  return part0 < 16384 ? (part0 < 128 ? 1 : 2) : part0 < 2097152 ? 3 : 4;
}
const uint32Length = (v: number): number =>
  v < 128 ? 1 : v < 16384 ? 2 : v < 2097152 ? 3 : v < 268435456 ? 4 : 5;
const int64Length = (v: number): number => {
  longBits(v);
  return longLength();
};
// protobufjs Writer#int32: negatives as 10-byte varints
const int32Length = (v: number): number => (v < 0 ? 10 : uint32Length(v >>> 0));
const stringLength = (s: string): number => {
  const n = Buffer.byteLength(s);
  return uint32Length(n) + n;
};
/** A length-delimited field: tag, length, body. */
const delimited = (body: number): number => 1 + uint32Length(body) + body;

/** A no-presence field's tag and value, or nothing when it holds its default (see the module comment). */
const int64Field = (v: number): number => (v === 0 ? 0 : 1 + int64Length(v));
const int32Field = (v: number): number => (v === 0 ? 0 : 1 + int32Length(v));
const stringField = (s: string): number => (s === "" ? 0 : 1 + stringLength(s));

const stampSize = (t: Stamp): number => int64Field(t.seconds) + int32Field(t.nanos);
const labelsSize = (labels: Record<string, string>): number => {
  let size = 0;
  for (const key of Object.keys(labels))
    size += delimited(1 + stringLength(key) + 1 + stringLength(labels[key] as string));
  return size;
};
/** google.api.Metric or MonitoredResource: the type's tag and string, and the labels. */
const typedLabelsSize = (m: { type: string; labels: Record<string, string> }): number =>
  stringField(m.type) + labelsSize(m.labels);
const intervalSize = (i: { startTime: Stamp; endTime: Stamp }): number =>
  delimited(stampSize(i.startTime)) + delimited(stampSize(i.endTime));
function distributionSize(d: {
  count: number;
  bucketOptions: { explicitBuckets: { bounds: number[] } };
  bucketCounts: number[];
}): number {
  let size = int64Field(d.count);
  const bounds = d.bucketOptions.explicitBuckets.bounds;
  const explicit = bounds.length ? delimited(bounds.length * 8) : 0;
  size += delimited(delimited(explicit));
  if (d.bucketCounts.length) {
    let counts = 0;
    for (const c of d.bucketCounts) counts += int64Length(c);
    size += delimited(counts);
  }
  return size;
}
function valueSize(v: EncodableValue): number {
  if ("doubleValue" in v) return 9;
  if ("boolValue" in v) return 2;
  if ("int64Value" in v) return 1 + int64Length(v.int64Value);
  if ("distributionValue" in v) return delimited(distributionSize(v.distributionValue));
  throw new Error(`the fake cannot encode the value ${JSON.stringify(v)}`);
}
const pointSize = (p: EncodableAnswer["timeSeries"][number]["points"][number]): number =>
  delimited(intervalSize(p.interval)) + delimited(valueSize(p.value));

class Out {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  uint32(v: number): void {
    let value = v >>> 0;
    while (value > 127) {
      this.buf[this.pos++] = (value & 127) | 128;
      value >>>= 7;
    }
    this.buf[this.pos++] = value;
  }
  /** protobufjs writeVarint64 of lo/hi. */
  private bits(): void {
    let l = lo;
    let h = hi;
    while (h) {
      this.buf[this.pos++] = (l & 127) | 128;
      l = ((l >>> 7) | (h << 25)) >>> 0;
      h >>>= 7;
    }
    while (l > 127) {
      this.buf[this.pos++] = (l & 127) | 128;
      l = l >>> 7;
    }
    this.buf[this.pos++] = l;
  }
  int64(v: number): void {
    longBits(v);
    this.bits();
  }
  int32(v: number): void {
    if (v < 0) this.int64(v);
    else this.uint32(v);
  }
  /** The no-presence fields: tag and value unless the value is the default (see the module comment). */
  int64Field(tag: number, v: number): void {
    if (v === 0) return;
    this.uint32(tag);
    this.int64(v);
  }
  int32Field(tag: number, v: number): void {
    if (v === 0) return;
    this.uint32(tag);
    this.int32(v);
  }
  stringField(tag: number, s: string): void {
    if (s === "") return;
    this.uint32(tag);
    this.string(s);
  }
  double(v: number): void {
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }
  string(s: string): void {
    const n = Buffer.byteLength(s);
    this.uint32(n);
    this.buf.write(s, this.pos, "utf8");
    this.pos += n;
  }
  stamp(tag: number, t: Stamp): void {
    this.uint32(tag);
    this.uint32(stampSize(t));
    this.int64Field(8, t.seconds);
    this.int32Field(16, t.nanos);
  }
  labels(tag: number, labels: Record<string, string>): void {
    for (const key of Object.keys(labels)) {
      const value = labels[key] as string;
      this.uint32(tag);
      this.uint32(1 + stringLength(key) + 1 + stringLength(value));
      this.uint32(10);
      this.string(key);
      this.uint32(18);
      this.string(value);
    }
  }
}

/** Encodes one answer of FakeMonitoringServer#listTimeSeries as google.monitoring.v3.ListTimeSeriesResponse. */
export function encodeListTimeSeriesResponse(answer: EncodableAnswer): Buffer {
  if (answer.executionErrors.length) throw new Error("the fake does not encode executionErrors");
  const seriesSizes: number[] = [];
  let size = 0;
  for (const s of answer.timeSeries) {
    let body =
      delimited(typedLabelsSize(s.metric)) +
      delimited(typedLabelsSize(s.resource)) +
      int32Field(s.metricKind) +
      int32Field(s.valueType);
    for (const p of s.points) body += delimited(pointSize(p));
    seriesSizes.push(body);
    size += delimited(body);
  }
  size += stringField(answer.nextPageToken) + stringField(answer.unit);
  const out = new Out(Buffer.allocUnsafe(size));
  answer.timeSeries.forEach((s, i) => {
    out.uint32(10);
    out.uint32(seriesSizes[i] as number);
    // google.api.Metric: labels (2) before type (3); MonitoredResource: type (1), labels (2)
    out.uint32(10);
    out.uint32(typedLabelsSize(s.metric));
    out.labels(18, s.metric.labels);
    out.stringField(26, s.metric.type);
    out.uint32(18);
    out.uint32(typedLabelsSize(s.resource));
    out.stringField(10, s.resource.type);
    out.labels(18, s.resource.labels);
    out.int32Field(24, s.metricKind);
    out.int32Field(32, s.valueType);
    for (const p of s.points) {
      out.uint32(42);
      out.uint32(pointSize(p));
      out.uint32(10);
      out.uint32(intervalSize(p.interval));
      out.stamp(10, p.interval.startTime);
      out.stamp(18, p.interval.endTime);
      out.uint32(18);
      const v = p.value;
      out.uint32(valueSize(v));
      // TypedValue's members are a oneof: they have presence, so a 0 or false is written
      if ("doubleValue" in v) {
        out.uint32(25);
        out.double(v.doubleValue);
      } else if ("boolValue" in v) {
        out.uint32(8);
        out.uint32(v.boolValue ? 1 : 0);
      } else if ("int64Value" in v) {
        out.uint32(16);
        out.int64(v.int64Value);
      } else {
        const d = v.distributionValue;
        out.uint32(42);
        out.uint32(distributionSize(d));
        out.int64Field(8, d.count);
        const bounds = d.bucketOptions.explicitBuckets.bounds;
        const explicit = bounds.length ? delimited(bounds.length * 8) : 0;
        out.uint32(50);
        out.uint32(delimited(explicit));
        out.uint32(26);
        out.uint32(explicit);
        if (bounds.length) {
          out.uint32(10);
          out.uint32(bounds.length * 8);
          for (const b of bounds) out.double(b);
        }
        if (d.bucketCounts.length) {
          let counts = 0;
          for (const c of d.bucketCounts) counts += int64Length(c);
          out.uint32(58);
          out.uint32(counts);
          for (const c of d.bucketCounts) out.int64(c);
        }
      }
    }
  });
  out.stringField(18, answer.nextPageToken);
  out.stringField(42, answer.unit);
  if (out.pos !== size) throw new Error(`encoded ${out.pos} bytes, sized ${size}`);
  return out.buf;
}
