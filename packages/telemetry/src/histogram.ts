/**
 * A log-bucketed latency histogram: constant memory whatever the run length (the benchmark's
 * flat-memory goal), about 2% relative error on percentiles, and mergeable across processes. Next to it,
 * exact counts per bucket of the cloud's per-event latency distribution (EVENT_LATENCY_BOUNDS_SECONDS),
 * bucketed at record time by the SLI exporter's own function, so the local latency SLI applies the
 * cloud's `distribution_cut` rule exactly instead of the log buckets' ~2% approximation.
 */
// The bucket rule's own entry, not the package index: workers must not load the catalogue loader and the
// Monitoring client.
import { EVENT_LATENCY_BOUNDS_SECONDS, explicitBucketOf } from "@shopstream/slo/buckets";

const BUCKETS_PER_DOUBLING = 32;
const MAX_BUCKET = BUCKETS_PER_DOUBLING * 40; // up to 2^40 ms, far beyond any latency

export interface HistogramSnapshot {
  counts: Record<number, number>;
  count: number;
  sum: number;
  max: number;
  /** Values per explicit bucket of EVENT_LATENCY_BOUNDS_SECONDS (in seconds), as explicitBucketOf counts them. */
  sloBuckets: number[];
}

function bucketOf(valueMs: number): number {
  if (valueMs <= 1) return 0;
  return Math.min(MAX_BUCKET, Math.ceil(Math.log2(valueMs) * BUCKETS_PER_DOUBLING));
}

function upperBoundOf(bucket: number): number {
  return bucket === 0 ? 1 : 2 ** (bucket / BUCKETS_PER_DOUBLING);
}

export class LatencyHistogram {
  private counts = new Map<number, number>();
  private total = 0;
  private sum = 0;
  private maxValue = 0;
  private sloBuckets = new Array<number>(EVENT_LATENCY_BOUNDS_SECONDS.length + 1).fill(0);

  record(valueMs: number): void {
    const value = Math.max(0, valueMs);
    const bucket = bucketOf(value);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total++;
    this.sum += value;
    if (value > this.maxValue) this.maxValue = value;
    const sloBucket = explicitBucketOf(value / 1000);
    this.sloBuckets[sloBucket] = (this.sloBuckets[sloBucket] as number) + 1;
  }

  get count(): number {
    return this.total;
  }

  /** The value below which `p` percent of recorded values fall (bucket upper bound, capped at max). */
  percentile(p: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    const buckets = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const bucket of buckets) {
      seen += this.counts.get(bucket) ?? 0;
      if (seen >= rank) return Math.min(upperBoundOf(bucket), this.maxValue);
    }
    return this.maxValue;
  }

  /**
   * Share of recorded values at or below `thresholdMs` by log bucket (about 2% resolution: up to ~10.2 s
   * counts for 10 s). For percentiles-style summaries; the latency SLI is `shareWithinSloBound`.
   */
  fractionAtOrBelow(thresholdMs: number): number {
    if (this.total === 0) return Number.NaN;
    const limit = bucketOf(thresholdMs);
    let good = 0;
    for (const [bucket, count] of this.counts) if (bucket <= limit) good += count;
    return good / this.total;
  }

  /**
   * The latency SLI as Cloud Monitoring computes a `distribution_cut` with range [0, boundSeconds] over the
   * exporter's distribution: the share of values in buckets whose upper bound is at most `boundSeconds`,
   * so strictly below it (10.000 s is bad for 10). Exact (counted at record time); NaN without values.
   */
  shareWithinSloBound(boundSeconds: number): number {
    const last = EVENT_LATENCY_BOUNDS_SECONDS.findIndex((bound) => bound === boundSeconds);
    if (last < 0)
      throw new Error(
        `latency SLI bound ${boundSeconds} s is not a bucket bound of EVENT_LATENCY_BOUNDS_SECONDS (${EVENT_LATENCY_BOUNDS_SECONDS.join(", ")}); a distribution_cut range must sit on one`,
      );
    if (this.total === 0) return Number.NaN;
    let good = 0;
    for (let bucket = 0; bucket <= last; bucket++) good += this.sloBuckets[bucket] as number;
    return good / this.total;
  }

  snapshot(): HistogramSnapshot {
    return {
      counts: Object.fromEntries(this.counts),
      count: this.total,
      sum: this.sum,
      max: this.maxValue,
      sloBuckets: [...this.sloBuckets],
    };
  }

  merge(snapshot: HistogramSnapshot): void {
    for (const [bucket, count] of Object.entries(snapshot.counts)) {
      const key = Number(bucket);
      this.counts.set(key, (this.counts.get(key) ?? 0) + count);
    }
    this.total += snapshot.count;
    this.sum += snapshot.sum;
    this.maxValue = Math.max(this.maxValue, snapshot.max);
    if (snapshot.sloBuckets.length !== this.sloBuckets.length)
      throw new Error(
        `cannot merge a histogram snapshot with ${snapshot.sloBuckets.length} SLO buckets into one with ${this.sloBuckets.length} (different EVENT_LATENCY_BOUNDS_SECONDS)`,
      );
    snapshot.sloBuckets.forEach((count, bucket) => {
      this.sloBuckets[bucket] = (this.sloBuckets[bucket] as number) + count;
    });
  }

  static from(snapshots: HistogramSnapshot[]): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (const snapshot of snapshots) histogram.merge(snapshot);
    return histogram;
  }
}
