/**
 * Keeps the aggregate tables current locally: rows stored since the last refresh mark a dirty time
 * range; every interval each aggregate's rows in that range (widened to whole minutes or days) are
 * deleted and recomputed from the deduplicated events. Recomputing instead of incrementing is what
 * makes duplicates count once and late events (up to 24 h, any amount) land exactly.
 */
import type { BigQuery } from "@google-cloud/bigquery";
import type { Logger, StageMetrics } from "@shopstream/telemetry";
import {
  type AggregateDefinition,
  alignWindow,
  composeAggregateQuery,
  loadDedupedEvents,
} from "./aggregates";

export interface RefresherOptions {
  bigquery: BigQuery;
  dataset: string;
  aggregates: AggregateDefinition[];
  intervalMs: number;
  /**
   * Late events (older than recentWindowMs when stored) are recomputed every lateIntervalMs instead of
   * every intervalMs: they scatter over up to a day, so their range is wide and costly, while the recent
   * range is a few minutes. Default 10 x intervalMs.
   */
  lateIntervalMs?: number;
  recentWindowMs?: number;
  logger: Logger;
  metrics: StageMetrics;
  clock?: () => number;
}

/** A dirty event-time range, both ends inclusive; empty when from > to. */
class DirtyRange {
  from = Number.POSITIVE_INFINITY;
  to = Number.NEGATIVE_INFINITY;

  add(time: number): void {
    if (time < this.from) this.from = time;
    if (time > this.to) this.to = time;
  }

  get empty(): boolean {
    return this.from > this.to;
  }

  /** Empties the range, returning what it held. */
  take(): { from: number; to: number } | undefined {
    if (this.empty) return undefined;
    const taken = { from: this.from, to: this.to };
    this.from = Number.POSITIVE_INFINITY;
    this.to = Number.NEGATIVE_INFINITY;
    return taken;
  }
}

export class AggregateRefresher {
  private readonly recent = new DirtyRange();
  private readonly late = new DirtyRange();
  private lastLateRefresh = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly deduped = loadDedupedEvents();
  private readonly clock: () => number;

  constructor(private readonly options: RefresherOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** Records that events with these times were stored. */
  markDirty(eventTimesMs: number[]): void {
    const recentSince = this.clock() - (this.options.recentWindowMs ?? 5 * 60000);
    for (const time of eventTimesMs) (time >= recentSince ? this.recent : this.late).add(time);
  }

  get pending(): boolean {
    return !this.recent.empty || !this.late.empty;
  }

  /**
   * Refreshes every intervalMs, but never spends more than about a third of the time refreshing: after a
   * refresh that took T ms the next one waits at least 2T. Under load the aggregates fall a little further
   * behind instead of starving the inserts they are computed from.
   */
  start(): void {
    const tick = (delayMs: number) => {
      this.timer = setTimeout(async () => {
        const started = this.clock();
        const lateDue =
          started - this.lastLateRefresh >= (this.options.lateIntervalMs ?? 10 * this.options.intervalMs);
        await this.refresh(lateDue).catch((error) =>
          this.options.logger.warn("aggregate refresh failed; will retry", { error: String(error) }),
        );
        if (this.timer) tick(Math.max(this.options.intervalMs, 2 * (this.clock() - started)));
      }, delayMs);
    };
    tick(this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.refreshNow();
  }

  /** Recomputes every dirty range now, recent and late (serialised: one refresh at a time). */
  refreshNow(): Promise<void> {
    return this.refresh(true);
  }

  private async refresh(includeLate: boolean): Promise<void> {
    while (this.running) await this.running;
    const ranges = [this.recent.take()];
    if (includeLate) {
      ranges.push(this.late.take());
      this.lastLateRefresh = this.clock();
    }
    const work = async () => {
      for (const range of ranges) {
        if (!range) continue;
        try {
          await this.recompute(range.from, range.to);
        } catch (error) {
          // Nothing lost: the range goes back and is retried on the next tick.
          this.late.add(range.from);
          this.late.add(range.to);
          throw error;
        }
      }
    };
    this.running = work();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }

  /** Recomputes every aggregate over [fromMs, toMs] (both inclusive event times). */
  async recompute(fromMs: number, toMs: number): Promise<void> {
    const { bigquery, dataset, aggregates, metrics } = this.options;
    for (const aggregate of aggregates) {
      const { start, end } = alignWindow(fromMs, toMs, aggregate.grain);
      const params = { window_start: start, window_end: end };
      const table = `\`${dataset}.${aggregate.name}\``;
      const column = aggregate.windowColumn;
      await bigquery.query({
        query: `DELETE FROM ${table} WHERE ${column} >= @window_start AND ${column} < @window_end`,
        params,
      });
      const columns = aggregate.columns.map((c) => c.name).join(", ");
      await bigquery.query({
        query: `INSERT INTO ${table} (${columns})\n${composeAggregateQuery(aggregate, dataset, this.deduped)}`,
        params,
      });
    }
    metrics.add("aggregate_refreshes");
  }
}
