/**
 * The per-event latency SLI (`pipeline/event_latency`), per store and minute of processing time: for every
 * event whose `processed_at` (stamped by the store's transform, the Dataflow UDF) falls in the minute,
 * `processed_at - published_at` (stamped by the publish library). Both stamps are in the stored record, so
 * the stores themselves are the source; nothing else in Google Cloud exposes a per-event publish time to
 * the templates (docs/reconciliation.md, "Per-event latency").
 *
 * Keyed by the minute of processing, not of publishing: every stored event is counted exactly once, in
 * the minute it was stored, however late; an event stored an hour late counts as one bad event when it
 * lands instead of falling outside a publish-minute point already written.
 */
import type { BigQuery } from "@google-cloud/bigquery";
import { LIMITS, parseRfc3339 } from "@shopstream/events";
import { stampLatencyMs } from "@shopstream/telemetry";
import type { Db } from "mongodb";
import { type LatencyDistribution, latencyDistribution } from "./latency";
import type { Store } from "./metrics";

/** The two stamps of one stored event, epoch ms; `publishedMs` null when the publisher did not stamp it. */
export interface LatencySample {
  publishedMs: number | null;
  processedMs: number;
}

/** One minute of one store: the distribution written, and what was left out of it, counted. */
export interface MinuteLatency {
  distribution: LatencyDistribution;
  /** Events without `published_at` (not latency-measured; a shop publisher that does not stamp). */
  unmeasured: number;
  /** Events whose publish stamp is more than CLOCK_SKEW_TOLERANCE_MS (telemetry) after their processing stamp. */
  invalid: number;
}

/** Sorts samples into the distribution (seconds), the unmeasured and the invalid. */
export function summariseLatencies(samples: Iterable<LatencySample>): MinuteLatency {
  const seconds: number[] = [];
  let unmeasured = 0;
  let invalid = 0;
  for (const s of samples) {
    const ms = stampLatencyMs(s.publishedMs, s.processedMs);
    if (ms === "unmeasured") unmeasured++;
    else if (ms === "invalid") invalid++;
    else seconds.push(ms / 1000);
  }
  return { distribution: latencyDistribution(seconds), unmeasured, invalid };
}

/** A minute of processing time, [startMs, endMs). */
export interface Minute {
  startMs: number;
  endMs: number;
}

/**
 * Events stored more than this after their event_time are not read (the reads are bounded by the stores'
 * event-time index and partitions); the default, the aggregates' late-arrival window, keeps a BigQuery
 * read at about one day of partitions. At most the validator's acceptance window (older events never
 * reach a store).
 */
export const DEFAULT_EVENT_LOOKBACK_MS = LIMITS.lateArrivalWindowMs;

/** The event_time range that can hold an event processed in `m` (older ones are refused at the UDF). */
function eventTimeRange(m: Minute, lookbackMs: number) {
  return {
    from: new Date(m.startMs - Math.min(lookbackMs, LIMITS.maxEventAgeMs)),
    to: new Date(m.endMs + LIMITS.maxFutureSkewMs),
  };
}

const epochMs = (value: unknown): number | null => {
  if (value === null || value === undefined) return null;
  // @google-cloud/bigquery returns TIMESTAMP columns as BigQueryTimestamp { value: ISO string }
  const text =
    typeof value === "object" && "value" in (value as object)
      ? String((value as { value: unknown }).value)
      : value instanceof Date
        ? value.toISOString()
        : String(value);
  const parsed = parseRfc3339(text);
  return parsed ? parsed.epochMs : Number.NaN;
};

/**
 * The BigQuery `events` rows processed in the minute, one per event_id (a duplicate row of the same event,
 * from an at-least-once write, counts once: its earliest stamps).
 */
export async function bigqueryLatencySamples(
  bigquery: BigQuery,
  eventsTable: string,
  m: Minute,
  lookbackMs = DEFAULT_EVENT_LOOKBACK_MS,
): Promise<LatencySample[]> {
  const range = eventTimeRange(m, lookbackMs);
  const [rows] = await bigquery.query({
    query:
      `SELECT event_id, MIN(published_at) AS published_at, MIN(processed_at) AS processed_at FROM \`${eventsTable}\`` +
      " WHERE processed_at >= @start AND processed_at < @end AND event_time >= @from AND event_time < @to" +
      " GROUP BY event_id",
    params: { start: new Date(m.startMs), end: new Date(m.endMs), from: range.from, to: range.to },
  });
  return (rows as { published_at: unknown; processed_at: unknown }[]).map((r) => ({
    publishedMs: epochMs(r.published_at),
    processedMs: epochMs(r.processed_at) as number,
  }));
}

/**
 * The MongoDB raw documents processed in the minute (the `processed_at` index; `_id` = event_id, insert-only,
 * so each event once, with the stamps of its first write). `published_at` is kept there as sent (any
 * RFC 3339 offset); a value that does not parse counts as invalid.
 */
export async function mongoLatencySamples(
  db: Db,
  collection: string,
  m: Minute,
  lookbackMs = DEFAULT_EVENT_LOOKBACK_MS,
): Promise<LatencySample[]> {
  const range = eventTimeRange(m, lookbackMs);
  const documents = await db
    .collection(collection)
    .find(
      {
        processed_at: { $gte: new Date(m.startMs), $lt: new Date(m.endMs) },
        event_ts: { $gte: range.from, $lt: range.to },
      },
      { projection: { _id: 0, published_at: 1, processed_at: 1 } },
    )
    .toArray();
  return documents.map((d) => ({
    publishedMs: typeof d.published_at === "string" ? epochMs(d.published_at) : null,
    processedMs: d.processed_at instanceof Date ? d.processed_at.getTime() : Number.NaN,
  }));
}

/** Reads one store's samples of the minute. */
export type LatencySource = (store: Store, m: Minute) => Promise<LatencySample[]>;
