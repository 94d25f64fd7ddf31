/**
 * What the reconciliation reads, per window: event_ids in each store and dead letters of each path.
 * Reads only (the job's identities have no write access to the stores it reconciles).
 */
import type { BigQuery } from "@google-cloud/bigquery";
import type { Db } from "mongodb";
import type { Window } from "./windows";

/** BigQuery dataset-qualified table for SQL: `dataset.table`, or `project.dataset.table`. */
const table = (qualified: string) => `\`${qualified}\``;

/** Distinct event_ids of the BigQuery `events` table with event_time in the window (partition-pruned). */
export async function bigqueryEventIds(
  bigquery: BigQuery,
  eventsTable: string,
  w: Window,
): Promise<string[]> {
  const [rows] = await bigquery.query({
    query: `SELECT DISTINCT event_id FROM ${table(eventsTable)} WHERE event_time >= @start AND event_time < @end`,
    params: { start: new Date(w.startMs), end: new Date(w.endMs) },
  });
  return (rows as { event_id: string }[]).map((r) => r.event_id);
}

/** `_id`s (= event_id) of the MongoDB raw documents with event_ts in the window (the event_ts index). */
export async function mongoEventIds(db: Db, collection: string, w: Window): Promise<string[]> {
  const documents = await db
    .collection<{ _id: string }>(collection)
    .find({ event_ts: { $gte: new Date(w.startMs), $lt: new Date(w.endMs) } }, { projection: { _id: 1 } })
    .toArray();
  return documents.map((d) => String(d._id));
}

/**
 * Where a path's dead letters are, by the shape of their records:
 *  - `local-mongodb`: the local ingestion worker's collection (`publish_time`, one record per message);
 *  - `local-bigquery`: the local analytics worker's table (`publish_time`, `message_id`);
 *  - `dataflow-bigquery`: a Dataflow template's dead-letter table (`timestamp` = the element timestamp, which
 *    for PubsubIO is the message's publish time; no message id, so redeliveries count twice).
 */
export type DeadLetterSource =
  | { kind: "local-mongodb"; collection: string }
  | { kind: "local-bigquery"; table: string }
  | { kind: "dataflow-bigquery"; table: string };

/** Dead letters of one path whose message was published in the window. */
export async function countDeadLetters(
  source: DeadLetterSource,
  stores: { bigquery: BigQuery; db: Db },
  w: Window,
): Promise<number> {
  const params = { start: new Date(w.startMs), end: new Date(w.endMs) };
  switch (source.kind) {
    case "local-mongodb":
      return stores.db
        .collection(source.collection)
        .countDocuments({ publish_time: { $gte: params.start, $lt: params.end } });
    case "local-bigquery": {
      const [[row]] = await stores.bigquery.query({
        query: `SELECT COUNT(DISTINCT message_id) AS n FROM ${table(source.table)} WHERE publish_time >= @start AND publish_time < @end`,
        params,
      });
      return Number((row as { n: number }).n);
    }
    case "dataflow-bigquery": {
      const [[row]] = await stores.bigquery.query({
        query: `SELECT COUNT(*) AS n FROM ${table(source.table)} WHERE timestamp >= @start AND timestamp < @end`,
        params,
      });
      return Number((row as { n: number }).n);
    }
  }
}
