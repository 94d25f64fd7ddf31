/**
 * Reads the SLIs from Cloud Monitoring: one ListTimeSeries per metric selector, aligned per minute, so
 * every window (5 min ... 30 days) is summed from the same minutes; all reads of a catalog at once. Each SLO is read up to its own
 * visibility horizon (now minus its metrics' documented delay; evaluate.ts evaluationEnd).
 *  - ratio: ALIGN_DELTA + REDUCE_SUM of good and total; a minute missing either series is no data
 *    (kept as `incomplete` when it had traffic, so a composite sees traffic without data);
 *  - windows-in-range: ALIGN_MEAN + REDUCE_MEAN (aggregate mean) or ALIGN_SUM + REDUCE_SUM (sum), exactly
 *    what metric_mean_in_range / metric_sum_in_range compute; once the metric has arrived, a minute
 *    without a point is bad (data that stops arriving is bad);
 *  - distribution-cut: ALIGN_DELTA + REDUCE_SUM of the distribution; good = events in buckets inside the
 *    range, total = all events (Cloud Monitoring's distribution_cut).
 * Points with NaN, infinite or negative values are refused where they enter: the minute is left out and
 * counted as invalid.
 */
import type { protos } from "@google-cloud/monitoring";
import type { DistributionCutSli, MetricSelector, SloCatalog, SloDefinition } from "./declaration";
import { evaluationEnd } from "./evaluate";
import { renderFilter } from "./filter";
import type { MinuteCounts } from "./math";

type ListRequest = protos.google.monitoring.v3.IListTimeSeriesRequest;
type TimeSeries = protos.google.monitoring.v3.ITimeSeries;
type TypedValue = protos.google.monitoring.v3.ITypedValue;

/** The one method of MetricServiceClient the reader needs (a real client, or a stub in tests). */
export interface TimeSeriesLister {
  listTimeSeries(request: ListRequest): Promise<[TimeSeries[], ...unknown[]]>;
}

/** Options of a read. */
export interface ReadOptions {
  projectId: string;
  /** Replaces `{name_prefix}` in label values, e.g. `shopstream-prod`. */
  namePrefix: string;
  /** Evaluation time (epoch ms); each SLO is read up to this minus its visibility delay. */
  endMs: number;
  /** How far back to read; default the longest rolling period of the catalog. */
  lookbackSeconds?: number;
}

const ALIGNERS = { delta: "ALIGN_DELTA", mean: "ALIGN_MEAN", sum: "ALIGN_SUM" } as const;
const REDUCERS = { sum: "REDUCE_SUM", mean: "REDUCE_MEAN" } as const;

/** A point's numeric value, whatever its value type (int64 arrives as a string or a Long). */
export function pointValue(value: TypedValue | null | undefined): number | null {
  if (!value) return null;
  if (value.doubleValue !== undefined && value.doubleValue !== null) return Number(value.doubleValue);
  // Number() of a decimal string, or of a Long through its toString
  if (value.int64Value !== undefined && value.int64Value !== null) return Number(value.int64Value);
  if (value.boolValue !== undefined && value.boolValue !== null) return value.boolValue ? 1 : 0;
  return null;
}

/**
 * good (events inside [min, max]) and total of a distribution point; buckets must lie inside the range.
 * Fewer bucket counts than buckets means the rest are 0 (google/api/distribution.proto, `bucket_counts`),
 * and Cloud Monitoring answers that way: trailing zero counts are left out, so a minute without events
 * may carry no counts at all.
 */
export function distributionCut(
  value: TypedValue | null | undefined,
  range: DistributionCutSli["range"],
): { good: number; total: number } | null {
  const d = value?.distributionValue;
  if (!d) return null;
  const total = Number(d.count ?? 0);
  const counts = d.bucketCounts ?? [];
  if (counts.length === 0) return total === 0 ? { good: 0, total: 0 } : null;
  const bounds = d.bucketOptions?.explicitBuckets?.bounds;
  if (!bounds || counts.length > bounds.length + 1) return null;
  // The API keeps sum(bucketCounts) = count (Distribution, google/api/distribution.proto); a point that
  // breaks it (NaN, negative, or more events in buckets than counted) is bad data, never a good minute.
  let sum = 0;
  let good = 0;
  // bucket 0 is (-inf, b0), bucket i is [b(i-1), b(i)), the last is [b(n-1), +inf)
  for (let i = 0; i < counts.length; i++) {
    const c = Number(counts[i]);
    if (!Number.isFinite(c) || c < 0) return null;
    sum += c;
    // the underflow bucket holds values below b0; latencies are never negative, so it starts at range.min
    const lower = i === 0 ? range.min : (bounds[i - 1] as number);
    const upper = i < bounds.length ? (bounds[i] as number) : Number.POSITIVE_INFINITY;
    if (lower >= range.min && upper <= range.max) good += c;
  }
  if (sum !== total) return null;
  return { good, total };
}

/**
 * Promise.all that waits for every read before it rejects with the first error: a read still in flight
 * when the caller closes the client would fail later, unobserved (and after a test's environment is gone).
 */
async function allSettledOrThrow<T extends readonly unknown[]>(
  reads: {
    [K in keyof T]: Promise<T[K]>;
  },
): Promise<T> {
  const results = await Promise.allSettled(reads as readonly Promise<unknown>[]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

const seconds = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: 0 });

async function listPerMinute(
  client: TimeSeriesLister,
  selector: MetricSelector,
  aligner: keyof typeof ALIGNERS,
  reducer: keyof typeof REDUCERS,
  o: Required<ReadOptions>,
): Promise<TimeSeries[]> {
  const [series] = await client.listTimeSeries({
    name: `projects/${o.projectId}`,
    filter: renderFilter(selector, o.namePrefix),
    interval: { startTime: seconds(o.endMs - o.lookbackSeconds * 1000), endTime: seconds(o.endMs) },
    aggregation: {
      alignmentPeriod: { seconds: 60 },
      perSeriesAligner: ALIGNERS[aligner],
      crossSeriesReducer: REDUCERS[reducer],
    },
    view: "FULL",
  });
  return series;
}

/** Numeric per-minute values; NaN, infinite and negative values are refused (returned as `invalid`). */
async function perMinute(
  client: TimeSeriesLister,
  selector: MetricSelector,
  aligner: keyof typeof ALIGNERS,
  reducer: keyof typeof REDUCERS,
  o: Required<ReadOptions>,
): Promise<{ values: Map<number, number>; invalid: Set<number> }> {
  const values = new Map<number, number>();
  const invalid = new Set<number>();
  for (const s of await listPerMinute(client, selector, aligner, reducer, o)) {
    for (const p of s.points ?? []) {
      const end = Number(p.interval?.endTime?.seconds ?? 0) * 1000;
      const v = pointValue(p.value);
      if (v === null || !end || end > o.endMs) continue;
      if (!Number.isFinite(v) || v < 0) invalid.add(end);
      else values.set(end, (values.get(end) ?? 0) + v);
    }
  }
  return { values, invalid };
}

const INVALID = { good: Number.NaN, total: Number.NaN };

/** Per-minute counts of one non-composite SLO, up to `options.endMs` (already its visibility horizon). */
export async function readSloMinutes(
  client: TimeSeriesLister,
  slo: SloDefinition,
  options: Required<ReadOptions>,
): Promise<MinuteCounts> {
  const minutes: MinuteCounts = new Map();
  const sli = slo.sli;
  if (sli.kind === "ratio") {
    const [good, total] = await allSettledOrThrow([
      perMinute(client, sli.good, "delta", "sum", options),
      perMinute(client, sli.total, "delta", "sum", options),
    ]);
    const minutesRead = new Set(good.values.keys());
    for (const keys of [total.values.keys(), good.invalid, total.invalid])
      for (const at of keys) minutesRead.add(at);
    for (const at of minutesRead) {
      if (good.invalid.has(at) || total.invalid.has(at)) minutes.set(at, INVALID);
      else {
        const g = good.values.get(at);
        const t = total.values.get(at);
        if (g !== undefined && t !== undefined) minutes.set(at, { good: g, total: t });
        else if (t !== undefined && t > 0) minutes.set(at, { good: 0, total: t, incomplete: true });
      }
    }
  } else if (sli.kind === "windows-in-range") {
    const { values, invalid } = await perMinute(client, sli.metric, sli.aggregate, sli.aggregate, options);
    for (const at of invalid) minutes.set(at, INVALID);
    for (const [at, v] of values)
      minutes.set(at, { good: v >= sli.range.min && v <= sli.range.max ? 1 : 0, total: 1 });
    // Once the metric has arrived, a missing minute is bad: its writer or its source stopped.
    const first = Math.min(...minutes.keys());
    for (let at = first; Number.isFinite(first) && at <= options.endMs; at += 60_000)
      if (!minutes.has(at)) minutes.set(at, { good: 0, total: 1 });
  } else if (sli.kind === "distribution-cut") {
    for (const s of await listPerMinute(client, sli.metric, "delta", "sum", options)) {
      for (const p of s.points ?? []) {
        const end = Number(p.interval?.endTime?.seconds ?? 0) * 1000;
        if (!end || end > options.endMs) continue;
        const cut = distributionCut(p.value, sli.range);
        if (!cut || !Number.isFinite(cut.total) || cut.total < 0) minutes.set(end, INVALID);
        else {
          const previous = minutes.get(end);
          minutes.set(
            end,
            previous ? { good: previous.good + cut.good, total: previous.total + cut.total } : cut,
          );
        }
      }
    }
  } else {
    throw new Error(`${slo.name} is composite: it is computed from its components, not read`);
  }
  return minutes;
}

/**
 * Per-minute counts of every non-composite SLO of the catalog (composites derive from these), each read
 * up to the evaluation time minus its visibility delay.
 */
export async function readCatalogMinutes(
  client: TimeSeriesLister,
  catalog: SloCatalog,
  options: ReadOptions,
): Promise<Map<string, MinuteCounts>> {
  const lookbackSeconds =
    options.lookbackSeconds ?? Math.max(...catalog.slos.map((s) => s.rollingPeriodSeconds));
  // Every read at once: each is one ListTimeSeries (or two for a ratio) whose time is mostly the API's
  // and the network's, so serial reads would add up their latencies.
  const read = catalog.slos
    .filter((slo) => slo.sli.kind !== "composite")
    .map(async (slo): Promise<[string, MinuteCounts]> => {
      const o: Required<ReadOptions> = {
        ...options,
        endMs: evaluationEnd(slo, options.endMs),
        lookbackSeconds,
      };
      return [slo.name, await readSloMinutes(client, slo, o)];
    });
  return new Map(await allSettledOrThrow(read));
}
