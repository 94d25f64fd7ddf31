/**
 * A log-bucketed latency histogram: constant memory whatever the run length (the benchmark's
 * flat-memory goal), about 2% relative error on percentiles, and mergeable across processes.
 */

const BUCKETS_PER_DOUBLING = 32;
const MAX_BUCKET = BUCKETS_PER_DOUBLING * 40; // up to 2^40 ms, far beyond any latency

export interface HistogramSnapshot {
  counts: Record<number, number>;
  count: number;
  sum: number;
  max: number;
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

  record(valueMs: number): void {
    const value = Math.max(0, valueMs);
    const bucket = bucketOf(value);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total++;
    this.sum += value;
    if (value > this.maxValue) this.maxValue = value;
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

  /** Share of recorded values at or below `thresholdMs` (the latency SLI), by bucket. */
  fractionAtOrBelow(thresholdMs: number): number {
    if (this.total === 0) return Number.NaN;
    const limit = bucketOf(thresholdMs);
    let good = 0;
    for (const [bucket, count] of this.counts) if (bucket <= limit) good += count;
    return good / this.total;
  }

  snapshot(): HistogramSnapshot {
    return { counts: Object.fromEntries(this.counts), count: this.total, sum: this.sum, max: this.maxValue };
  }

  merge(snapshot: HistogramSnapshot): void {
    for (const [bucket, count] of Object.entries(snapshot.counts)) {
      const key = Number(bucket);
      this.counts.set(key, (this.counts.get(key) ?? 0) + count);
    }
    this.total += snapshot.count;
    this.sum += snapshot.sum;
    this.maxValue = Math.max(this.maxValue, snapshot.max);
  }

  static from(snapshots: HistogramSnapshot[]): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (const snapshot of snapshots) histogram.merge(snapshot);
    return histogram;
  }
}
