/** The `verify` command: configuration from the environment (the action sets the run's overrides). */
import { BigQuery } from "@google-cloud/bigquery";
import { BIGQUERY, GOOGLE_CLOUD, int, MONGODB, PLATFORM_NAMES, readConfig, str } from "@shopstream/config";
import { GoogleAuth } from "google-auth-library";
import { MongoClient } from "mongodb";
import { RECONCILE_CONFIG } from "./config";
import { parseExpectations, verifyRun, writeVerifyResult } from "./verify";

export const VERIFY_CONFIG = {
  ...GOOGLE_CLOUD,
  MONGODB_URI: MONGODB.MONGODB_URI,
  MONGODB_DATABASE: MONGODB.MONGODB_DATABASE,
  MONGODB_COLLECTION: MONGODB.MONGODB_COLLECTION,
  BIGQUERY_EMULATOR_HOST: BIGQUERY.BIGQUERY_EMULATOR_HOST,
  BIGQUERY_DATASET: BIGQUERY.BIGQUERY_DATASET,
  BIGQUERY_LOCATION: BIGQUERY.BIGQUERY_LOCATION,
  AGGREGATES_DATASET: str(
    "Dataset of the aggregate tables (the analytics dataset)",
    PLATFORM_NAMES.bigquery.analyticsDataset,
  ),
  EVENTS_TABLE: RECONCILE_CONFIG.EVENTS_TABLE,
  INGESTION_DEADLETTER_TABLE: RECONCILE_CONFIG.INGESTION_DEADLETTER_TABLE,
  ANALYTICS_DEADLETTER_TABLE: RECONCILE_CONFIG.ANALYTICS_DEADLETTER_TABLE,
  VERIFY_RESULTS_BUCKET: str("Cloud Storage bucket the result object is written to (Terraform sets it)"),
  STORAGE_EMULATOR_HOST: str(
    "Cloud Storage JSON API endpoint override (local fakes), e.g. http://127.0.0.1:4443; 'none' for Google's API",
    "none",
  ),
  VERIFY_EXPECTATIONS: str(
    "The run's expectations as JSON (set per execution by the integration-test action)",
  ),
  VERIFY_TIMEOUT_SECONDS: int(
    "How long to wait for the stores before reporting (keep below the job's task timeout)",
    1500,
    1,
    86400,
  ),
  VERIFY_POLL_SECONDS: int("How often the stores are read while waiting", 10, 1, 300),
};

export async function runVerify(log: (line: string) => void): Promise<void> {
  const config = readConfig(VERIFY_CONFIG);
  const expected = parseExpectations(config.VERIFY_EXPECTATIONS);
  const emulator = config.BIGQUERY_EMULATOR_HOST === "none" ? undefined : config.BIGQUERY_EMULATOR_HOST;
  const bigquery = new BigQuery({
    projectId: config.GOOGLE_CLOUD_PROJECT,
    location: config.BIGQUERY_LOCATION,
    ...(emulator ? { apiEndpoint: emulator.replace(/\/bigquery\/v2\/?$/, "") } : {}),
  });
  const storageEmulator = config.STORAGE_EMULATOR_HOST === "none" ? undefined : config.STORAGE_EMULATOR_HOST;
  const auth = storageEmulator
    ? undefined
    : new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/devstorage.read_write"] });
  const mongo = new MongoClient(config.MONGODB_URI, {
    appName: "shopstream-integration-verify",
    serverSelectionTimeoutMS: 30000,
  });
  const dataset = config.BIGQUERY_DATASET;
  try {
    await mongo.connect();
    const result = await verifyRun(
      { db: mongo.db(config.MONGODB_DATABASE), bigquery, log },
      {
        rawCollection: config.MONGODB_COLLECTION,
        eventsTable: `${dataset}.${config.EVENTS_TABLE}`,
        aggregatesDataset: config.AGGREGATES_DATASET,
        ingestionDeadLetterTable: `${dataset}.${config.INGESTION_DEADLETTER_TABLE}`,
        analyticsDeadLetterTable: `${dataset}.${config.ANALYTICS_DEADLETTER_TABLE}`,
      },
      expected,
      {
        deadlineMs: Date.now() + config.VERIFY_TIMEOUT_SECONDS * 1000,
        pollMs: config.VERIFY_POLL_SECONDS * 1000,
      },
    );
    const where = await writeVerifyResult(result, {
      bucket: config.VERIFY_RESULTS_BUCKET,
      endpoint: storageEmulator ?? "https://storage.googleapis.com",
      token: async () => (auth ? ((await auth.getAccessToken()) ?? undefined) : undefined),
    });
    // The execution succeeds when the result was written, whatever the checks say: the action reads the
    // checks from the object; a failed execution means the job itself could not do its work.
    log(`${result.ok ? "pass" : "FAIL"}: result written to ${where}`);
  } finally {
    await mongo.close().catch(() => undefined);
  }
}
