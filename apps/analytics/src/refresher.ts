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
  logger: Logger;
  metrics: StageMetrics;
}

export class AggregateRefresher {
  private dirtyFrom = Number.POSITIVE_INFINITY;
  private dirtyTo = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly deduped = loadDedupedEvents();

  constructor(private readonly options: RefresherOptions) {}

  /** Records that events with these times were stored. */
  markDirty(eventTimesMs: number[]): void {
    for (const time of eventTimesMs) {
      if (time < this.dirtyFrom) this.dirtyFrom = time;
      if (time > this.dirtyTo) this.dirtyTo = time;
    }
  }

  get pending(): boolean {
    return this.dirtyFrom <= this.dirtyTo;
  }

  /**
   * Refreshes every intervalMs, but never spends more than about a third of the time refreshing: after a
   * refresh that took T ms the next one waits at least 2T. Under load the aggregates fall a little further
   * behind instead of starving the inserts they are computed from.
   */
  start(): void {
    const tick = (delayMs: number) => {
      this.timer = setTimeout(async () => {
        const started = Date.now();
        await this.refreshNow().catch((error) =>
          this.options.logger.warn("aggregate refresh failed; will retry", { error: String(error) }),
        );
        if (this.timer) tick(Math.max(this.options.intervalMs, 2 * (Date.now() - started)));
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

  /** Recomputes the dirty range now (serialised: one refresh at a time). */
  async refreshNow(): Promise<void> {
    while (this.running) await this.running;
    if (!this.pending) return;
    const from = this.dirtyFrom;
    const to = this.dirtyTo;
    this.dirtyFrom = Number.POSITIVE_INFINITY;
    this.dirtyTo = Number.NEGATIVE_INFINITY;
    this.running = this.recompute(from, to).catch((error) => {
      this.markDirty([from, to]); // nothing lost: the range is retried on the next tick
      throw error;
    });
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
