/**
 * Ingestion worker process. Configuration from the environment (see README); SIGTERM drains.
 *   tsx apps/ingestion/src/main.ts
 */
import { PubSub } from "@google-cloud/pubsub";
import { GOOGLE_CLOUD, int, MONGODB, PUBSUB, readConfig } from "@shopstream/config";
import { createLogger, reportToParent, StageMetrics } from "@shopstream/telemetry";
import { drainOnSignals } from "@shopstream/worker";
import { MongoClient } from "mongodb";
import { startIngestionWorker } from "./worker";

export const INGESTION_CONFIG = {
  ...GOOGLE_CLOUD,
  ...MONGODB,
  INGESTION_SUBSCRIPTION: PUBSUB.INGESTION_SUBSCRIPTION,
  BATCH_SIZE: int("Messages written to MongoDB per insertMany", 500, 1, 10000),
  MAX_OUTSTANDING_MESSAGES: int("Flow control: messages leased at once (bounds memory)", 4000, 1, 100000),
};

async function main(): Promise<void> {
  const logger = createLogger("ingestion");
  const config = readConfig(INGESTION_CONFIG);
  const metrics = new StageMetrics("ingestion");
  const stopReporting = reportToParent(metrics);
  const mongo = new MongoClient(config.MONGODB_URI, {
    appName: "shopstream-ingestion",
    serverSelectionTimeoutMS: 10000,
  });
  await mongo.connect();
  const worker = await startIngestionWorker({
    pubsub: new PubSub({ projectId: config.GOOGLE_CLOUD_PROJECT }),
    mongo,
    subscription: config.INGESTION_SUBSCRIPTION,
    database: config.MONGODB_DATABASE,
    collection: config.MONGODB_COLLECTION,
    deadLetterCollection: config.MONGODB_DEADLETTER_COLLECTION,
    batchSize: config.BATCH_SIZE,
    maxOutstandingMessages: config.MAX_OUTSTANDING_MESSAGES,
    metrics,
    logger,
  });
  logger.info(
    `consuming ${config.INGESTION_SUBSCRIPTION} into ${config.MONGODB_DATABASE}.${config.MONGODB_COLLECTION}`,
  );
  drainOnSignals(worker, logger, async () => {
    stopReporting();
    await mongo.close();
  });
}

main().catch((error) => {
  console.error(
    `ingestion worker failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
