/**
 * Per-event latency as a distribution with explicit bucket bounds in seconds. 10 s (the latency SLO's
 * bound) is a bucket boundary, so a `distribution_cut` with range max 10 counts good events exactly.
 */

import { EVENT_LATENCY_BOUNDS_SECONDS, explicitBucketOf } from "@shopstream/slo";

/** Bucket bounds in seconds (the catalogue's); bucket i (1..n-1) holds [bounds[i-1], bounds[i]). */
export const LATENCY_BOUNDS_S: readonly number[] = EVENT_LATENCY_BOUNDS_SECONDS;

export interface LatencyDistribution {
  count: number;
  mean: number;
  sumOfSquaredDeviation: number;
  bounds: readonly number[];
  bucketCounts: number[];
}

/** Builds the distribution of `latenciesS` (seconds; negative values, from clock skew, count as 0). */
export function latencyDistribution(
  latenciesS: Iterable<number>,
  bounds: readonly number[] = LATENCY_BOUNDS_S,
): LatencyDistribution {
  const bucketCounts = new Array<number>(bounds.length + 1).fill(0);
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (const raw of latenciesS) {
    if (!Number.isFinite(raw)) throw new Error(`a latency must be a finite number of seconds, got ${raw}`);
    const value = Math.max(0, raw);
    const bucket = explicitBucketOf(value, bounds);
    bucketCounts[bucket] = (bucketCounts[bucket] as number) + 1;
    // Welford: a numerically stable mean and sum of squared deviations in one pass.
    count++;
    const delta = value - mean;
    mean += delta / count;
    m2 += delta * (value - mean);
  }
  return { count, mean: count ? mean : 0, sumOfSquaredDeviation: m2, bounds, bucketCounts };
}
