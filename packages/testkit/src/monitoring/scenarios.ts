/**
 * Builders of fake time series (one point per minute, ending at `endMs`) for the gate and audit tests:
 * counters for ratio SLIs and gauges for windows SLIs. Selectors have the shape of packages/slo's
 * MetricSelector with `{name_prefix}` already replaced.
 */
import type { FakeSeries } from "./server";

/** Which time series to build. */
export interface SeriesSelector {
  metricType: string;
  resourceType: string;
  resourceLabels?: Record<string, string>;
  metricLabels?: Record<string, string>;
}

const MINUTE = 60_000;

/** `minutes` one-minute DELTA INT64 points; `value(minutesAgo)` gives each, minute 0 ending at endMs. */
export function counterSeries(
  selector: SeriesSelector,
  endMs: number,
  minutes: number,
  value: (minutesAgo: number) => number,
): FakeSeries {
  const end = Math.floor(endMs / MINUTE) * MINUTE;
  const points = [];
  for (let ago = 0; ago < minutes; ago++)
    points.push({ endMs: end - ago * MINUTE - 1000, value: value(ago) });
  return { ...selector, metricKind: "DELTA", valueType: "INT64", points };
}

/** `minutes` one-minute GAUGE DOUBLE points; `value(minutesAgo)` gives each. */
export function gaugeSeries(
  selector: SeriesSelector,
  endMs: number,
  minutes: number,
  value: (minutesAgo: number) => number,
): FakeSeries {
  return { ...counterSeries(selector, endMs, minutes, value), metricKind: "GAUGE", valueType: "DOUBLE" };
}

/**
 * `minutes` one-minute CUMULATIVE DISTRIBUTION points (each a reset over its minute, as the reconciler
 * writes per-event latency); `counts(minutesAgo)` gives the bucket counts over `bounds`, or null for no point.
 */
export function distributionSeries(
  selector: SeriesSelector,
  endMs: number,
  minutes: number,
  bounds: readonly number[],
  counts: (minutesAgo: number) => number[] | null,
): FakeSeries {
  const end = Math.floor(endMs / MINUTE) * MINUTE;
  const points = [];
  for (let ago = 0; ago < minutes; ago++) {
    const c = counts(ago);
    if (!c) continue;
    if (c.length !== bounds.length + 1)
      throw new Error(`need ${bounds.length + 1} bucket counts, got ${c.length}`);
    const pointEnd = end - ago * MINUTE;
    points.push({
      endMs: pointEnd,
      startMs: pointEnd - MINUTE,
      value: c.reduce((a, b) => a + b, 0),
      distribution: { bounds: [...bounds], counts: c },
    });
  }
  return { ...selector, metricKind: "CUMULATIVE", valueType: "DISTRIBUTION", points };
}
