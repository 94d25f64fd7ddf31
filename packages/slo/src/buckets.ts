/**
 * The per-event latency bucket rule, alone in a module without dependencies: the workers' histogram
 * (packages/telemetry) imports it as `@shopstream/slo/buckets` without loading the catalogue loader,
 * zod, YAML or the Monitoring client that the package index brings.
 */

/** Explicit histogram bounds (seconds) of the per-event latency distribution; 10 s is a bound, so the
 * latency SLO's `distribution_cut` range [0, 10] is exact at a bucket edge. */
export const EVENT_LATENCY_BOUNDS_SECONDS = [
  0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600,
] as const;

/**
 * The explicit bucket `value` falls in, as Cloud Monitoring counts it (google/api/distribution.proto,
 * Explicit): bucket 0 is (-inf, b0), bucket i is [b(i-1), b(i)), the last is [b(n-1), +inf). Buckets are
 * lower-inclusive, so a value equal to a bound opens the next bucket: 10.000 s is in [10, 20), outside a
 * `distribution_cut` range with max 10. The SLI exporter (apps/reconciler) and the workers' local latency
 * SLI (packages/telemetry) both bucket through this, so "within 10 s" means the same on both sides.
 */
export function explicitBucketOf(
  value: number,
  bounds: readonly number[] = EVENT_LATENCY_BOUNDS_SECONDS,
): number {
  let bucket = 0;
  while (bucket < bounds.length && value >= (bounds[bucket] as number)) bucket++;
  return bucket;
}
