/**
 * Ingestion transform: one message payload -> one MongoDB raw document as canonical extended JSON.
 *
 * Pure and ES5-library-safe: this exact function is bundled into the Dataflow UDF for the
 * Cloud_PubSub_to_MongoDB template, whose contract is string in -> string out, a throw dead-letters.
 * The local worker parses the output with EJSON, exactly as the template turns it into a BSON document.
 *
 * The document is the event as received (unknown fields kept) plus:
 *  - `_id` = event_id (lower case): a redelivered or republished event collides and is a no-op;
 *  - money fields as canonical decimal strings ("104.87"): exact, and readable by every MongoDB-wire
 *    server (FerretDB v1, the local stand-in, has no Decimal128); sums are BigQuery's job (NUMERIC);
 *  - `event_ts` = event_time as a BSON date in UTC (event_time itself is kept as sent, with its offset);
 *  - `processed_at` = `nowMs` as a BSON date: when this transform ran, just before the sink's write (the
 *    latency SLI is processed_at - published_at; `published_at`, when sent, is kept as sent).
 */
import { formatUtc, parseAndValidate } from "@shopstream/events";

/**
 * @param payload the Pub/Sub message data as text
 * @param nowMs the processing clock: the event_time acceptance window and the `processed_at` stamp
 *   (the UDF passes the worker's clock; tests pass a fixed one, so outputs stay deterministic)
 * @returns the raw document as extended JSON text
 * @throws Error whose message is the dead-letter reason
 */
export function toRawDocument(payload: string, nowMs: number): string {
  const result = parseAndValidate(payload, nowMs);
  if (!result.ok) throw new Error(result.reason);
  const event = result.event as unknown as Record<string, unknown>;
  const document: Record<string, unknown> = { _id: event.event_id };
  for (const key in event) {
    if (Object.prototype.hasOwnProperty.call(event, key) && key !== "_id") document[key] = event[key];
  }
  document.event_ts = { $date: result.eventTimeUtc.substring(0, 23) + "Z" };
  document.processed_at = { $date: formatUtc(nowMs).substring(0, 23) + "Z" };
  return JSON.stringify(document);
}
