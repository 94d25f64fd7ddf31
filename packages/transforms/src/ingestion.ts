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
  const eventTs = '{"$date":"' + result.eventTimeUtc.substring(0, 23) + 'Z"}';
  const processedAt = '{"$date":"' + formatUtc(nowMs).substring(0, 23) + 'Z"}';
  // Fast path: one stringify of the event, `_id` spliced in front and the two dates behind (copying the
  // event field by field into a new object was a third of the UDF in Nashorn). It is the same text as
  // the copy's stringify when the copy would only add keys at both ends, that is when the event has
  //  - no `_id`, `event_ts` or `processed_at` (the copy drops or overwrites those in place);
  //  - no array-index key ("0", "42"): engines enumerate those first, so the copy's stringify would put
  //    them before `_id`. They then come first in the event's own text too, hence the look at its first
  //    key's first character (conservative: any key starting with a digit takes the copy).
  // Inherited values count as present (a "__proto__" field can give the copy a prototype): the copy then.
  // The values are the same objects either way, so their escaping is the engine's own in both.
  if (event._id === undefined && event.event_ts === undefined && event.processed_at === undefined) {
    const text = JSON.stringify(event);
    const first = text.charCodeAt(2);
    if (text.charCodeAt(1) === 34 && (first < 48 || first > 57)) {
      // event_id is a validated, lower-cased UUID: nothing in it needs escaping.
      return (
        '{"_id":"' +
        (event.event_id as string) +
        '",' +
        text.substring(1, text.length - 1) +
        ',"event_ts":' +
        eventTs +
        ',"processed_at":' +
        processedAt +
        "}"
      );
    }
  }
  const document: Record<string, unknown> = { _id: event.event_id };
  for (const key in event) {
    if (Object.prototype.hasOwnProperty.call(event, key) && key !== "_id") document[key] = event[key];
  }
  document.event_ts = { $date: result.eventTimeUtc.substring(0, 23) + "Z" };
  document.processed_at = { $date: formatUtc(nowMs).substring(0, 23) + "Z" };
  return JSON.stringify(document);
}
