/** What the test-profile stores hold: raw documents in MongoDB, distinct events in the BigQuery warehouse. */
import { createBigQuery } from "@shopstream/analytics";
import { BIGQUERY, MONGODB, readConfig } from "@shopstream/config";
import { MongoClient } from "mongodb";

const config = readConfig({ ...MONGODB, ...BIGQUERY });

export async function storedCounts(): Promise<{ raw: number; warehouse: number }> {
  const mongo = new MongoClient(process.env.MONGODB_URI as string);
  const bigquery = createBigQuery({
    projectId: process.env.GOOGLE_CLOUD_PROJECT as string,
    emulatorHost: process.env.BIGQUERY_EMULATOR_HOST,
    location: "US",
  });
  try {
    await mongo.connect();
    const raw = await mongo
      .db(config.MONGODB_DATABASE)
      .collection(config.MONGODB_COLLECTION)
      .countDocuments();
    const warehouse = await bigquery
      .query({ query: `SELECT COUNT(DISTINCT event_id) AS n FROM \`${config.BIGQUERY_DATASET}.events\`` })
      .then(([rows]) => Number((rows[0] as { n: number }).n))
      .catch(() => 0); // no table yet: nothing stored
    return { raw, warehouse };
  } finally {
    await mongo.close();
  }
}
