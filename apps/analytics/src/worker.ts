/** Assembles the analytics worker: subscription -> toWarehouseRow -> BigQuery events -> aggregate refresh. */
import type { BigQuery } from "@google-cloud/bigquery";
import type { PubSub } from "@google-cloud/pubsub";
import { parseRfc3339, type WarehouseRow } from "@shopstream/events";
import type { Logger, StageMetrics } from "@shopstream/telemetry";
import { toWarehouseRow } from "@shopstream/transforms";
import { type RunningWorker, resolveTuning, startSubscriber, type WorkerTuning } from "@shopstream/worker";
import { loadAggregates } from "./aggregates";
import { BigQueryDeadLetterSink, EventsTableSink, ensureWarehouse } from "./bigquery";
import { DirtyJournal } from "./journal";
import { AggregateRefresher } from "./refresher";

export interface AnalyticsWorkerOptions extends Partial<WorkerTuning> {
  pubsub: PubSub;
  bigquery: BigQuery;
  dataset: string;
  subscription: string;
  metrics: StageMetrics;
  logger: Logger;
  refreshIntervalMs?: number;
  /** Path of the dirty-minute journal (journal.ts); without it a killed worker leaves stale aggregates. */
  journalPath?: string;
}

export interface RunningAnalyticsWorker extends RunningWorker {
  refresher: AggregateRefresher;
}

export async function startAnalyticsWorker(options: AnalyticsWorkerOptions): Promise<RunningAnalyticsWorker> {
  const aggregates = loadAggregates();
  await ensureWarehouse(options.bigquery, options.dataset, aggregates);
  const refresher = new AggregateRefresher({
    bigquery: options.bigquery,
    dataset: options.dataset,
    aggregates,
    intervalMs: options.refreshIntervalMs ?? 2000,
    journal: options.journalPath ? new DirtyJournal(options.journalPath) : undefined,
    logger: options.logger,
    metrics: options.metrics,
  });
  const worker = startSubscriber<WarehouseRow>({
    pubsub: options.pubsub,
    subscriptionName: options.subscription,
    transform: toWarehouseRow,
    decode: (output) => JSON.parse(output) as WarehouseRow,
    publishedAtMs: (row) =>
      row.published_at === null ? null : (parseRfc3339(row.published_at)?.epochMs ?? Number.NaN),
    sink: new EventsTableSink(options.bigquery, options.dataset, (rows) =>
      refresher.markDirty(rows.map((row) => Date.parse(row.event_time))),
    ),
    deadLetters: new BigQueryDeadLetterSink(options.bigquery, options.dataset),
    metrics: options.metrics,
    logger: options.logger,
    // Up to four batches in flight: while one insertAll is on the wire the next ones are transformed and
    // wait in the sink, which sends them as one request (EventsTableSink).
    ...resolveTuning(options, { batchWaitMs: 100, maxConcurrentBatches: 4 }),
  });
  refresher.start();
  return {
    ...worker,
    refresher,
    stop: async () => {
      await worker.stop();
      await refresher.stop();
    },
  };
}
