/**
 * The comparison itself: which event_ids one store holds and the other does not, with a bounded sample
 * of each for an operator to replay.
 */

export interface StoreDifference {
  /** Events in BigQuery `events` but not in MongoDB raw: MongoDB lost them (missing for mongodb). */
  missingInMongo: number;
  /** Events in MongoDB raw but not in BigQuery `events`: BigQuery lost them (missing for bigquery). */
  missingInBigQuery: number;
  mongoSample: string[];
  bigquerySample: string[];
  mongoDistinct: number;
  bigqueryDistinct: number;
}

/** Set difference both ways; the samples are the first `sampleSize` ids in sorted order (stable). */
export function compareEventIds(
  mongoIds: Iterable<string>,
  bigqueryIds: Iterable<string>,
  sampleSize: number,
): StoreDifference {
  const mongo = new Set(mongoIds);
  const bigquery = new Set(bigqueryIds);
  const onlyIn = (a: Set<string>, b: Set<string>) => [...a].filter((id) => !b.has(id)).sort();
  const notInMongo = onlyIn(bigquery, mongo);
  const notInBigQuery = onlyIn(mongo, bigquery);
  return {
    missingInMongo: notInMongo.length,
    missingInBigQuery: notInBigQuery.length,
    mongoSample: notInMongo.slice(0, sampleSize),
    bigquerySample: notInBigQuery.slice(0, sampleSize),
    mongoDistinct: mongo.size,
    bigqueryDistinct: bigquery.size,
  };
}
