/**
 * Reads the SLIs from Cloud Monitoring: one ListTimeSeries per metric selector over the longest window
 * needed, aligned per minute, so every window (5 min ... 30 days) is summed from the same minutes.
 * Ratio SLIs: ALIGN_DELTA + REDUCE_SUM of good and total. Windows SLIs: the declared aligner/reducer, a
 * minute is 1 good of 1 when the value lies in range.
 */
import type { protos } from "@google-cloud/monitoring";
import type { MetricSelector, SloCatalog, SloDefinition } from "./declaration";
import { renderFilter } from "./filter";
import type { MinuteCounts } from "./math";

type ListRequest = protos.google.monitoring.v3.IListTimeSeriesRequest;
type TimeSeries = protos.google.monitoring.v3.ITimeSeries;

/** The one method of MetricServiceClient the reader needs (a real client, or a stub in tests). */
export interface TimeSeriesLister {
  listTimeSeries(request: ListRequest): Promise<[TimeSeries[], ...unknown[]]>;
}

/** Options of a read. */
export interface ReadOptions {
  projectId: string;
  /** Replaces `{name_prefix}` in label values, e.g. `shopstream-prod`. */
  namePrefix: string;
  /** Evaluation time (epoch ms); rounded down to the minute. */
  endMs: number;
  /** How far back to read; default the longest rolling period of the catalog. */
  lookbackSeconds?: number;
}

const ALIGNERS = { delta: "ALIGN_DELTA", mean: "ALIGN_MEAN", max: "ALIGN_MAX" } as const;
const REDUCERS = { sum: "REDUCE_SUM", mean: "REDUCE_MEAN", max: "REDUCE_MAX" } as const;

/** A point's numeric value, whatever its value type (int64 arrives as a string or a Long). */
export function pointValue(value: protos.google.monitoring.v3.ITypedValue | null | undefined): number | null {
  if (!value) return null;
  if (value.doubleValue !== undefined && value.doubleValue !== null) return Number(value.doubleValue);
  if (value.int64Value !== undefined && value.int64Value !== null) return Number(value.int64Value.toString());
  if (value.boolValue !== undefined && value.boolValue !== null) return value.boolValue ? 1 : 0;
  return null;
}

const seconds = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: 0 });

async function perMinute(
  client: TimeSeriesLister,
  selector: MetricSelector,
  aligner: keyof typeof ALIGNERS,
  reducer: keyof typeof REDUCERS,
  o: Required<ReadOptions>,
): Promise<Map<number, number>> {
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
  const out = new Map<number, number>();
  for (const s of series) {
    for (const p of s.points ?? []) {
      const end = Number(p.interval?.endTime?.seconds ?? 0) * 1000;
      const v = pointValue(p.value);
      if (v === null || !end) continue;
      out.set(end, (out.get(end) ?? 0) + v);
    }
  }
  return out;
}

/** Per-minute counts of one non-composite SLO. */
export async function readSloMinutes(
  client: TimeSeriesLister,
  slo: SloDefinition,
  options: Required<ReadOptions>,
): Promise<MinuteCounts> {
  const minutes: MinuteCounts = new Map();
  const sli = slo.sli;
  if (sli.kind === "ratio") {
    const [good, total] = await Promise.all([
      perMinute(client, sli.good, "delta", "sum", options),
      perMinute(client, sli.total, "delta", "sum", options),
    ]);
    for (const at of new Set([...good.keys(), ...total.keys()]))
      minutes.set(at, { good: good.get(at) ?? 0, total: total.get(at) ?? 0 });
  } else if (sli.kind === "windows-in-range") {
    const values = await perMinute(client, sli.metric, sli.aligner, sli.reducer, options);
    for (const [at, v] of values)
      minutes.set(at, { good: v >= sli.range.min && v <= sli.range.max ? 1 : 0, total: 1 });
  } else {
    throw new Error(`${slo.name} is composite: it is computed from its components, not read`);
  }
  return minutes;
}

/** Per-minute counts of every non-composite SLO of the catalog (composites derive from these). */
export async function readCatalogMinutes(
  client: TimeSeriesLister,
  catalog: SloCatalog,
  options: ReadOptions,
): Promise<Map<string, MinuteCounts>> {
  const o: Required<ReadOptions> = {
    ...options,
    endMs: Math.floor(options.endMs / 60000) * 60000,
    lookbackSeconds: options.lookbackSeconds ?? Math.max(...catalog.slos.map((s) => s.rollingPeriodSeconds)),
  };
  const data = new Map<string, MinuteCounts>();
  for (const slo of catalog.slos) {
    if (slo.sli.kind === "composite") continue;
    data.set(slo.name, await readSloMinutes(client, slo, o));
  }
  return data;
}
