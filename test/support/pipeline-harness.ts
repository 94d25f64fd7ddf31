/**
 * Runs both workers in-process against the running test stack with isolated resource names (own topic,
 * subscriptions, database and dataset), so integration tests do not see each other's data.
 */
import { randomBytes } from "node:crypto";
import { PubSub } from "@google-cloud/pubsub";
import { createBigQuery, type RunningAnalyticsWorker, startAnalyticsWorker } from "@shopstream/analytics";
import { startIngestionWorker } from "@shopstream/ingestion";
import { ensurePubSubTopology } from "@shopstream/local-pipeline";
import { namesFor } from "@shopstream/platform";
import { EventPublisher } from "@shopstream/producer";
import { createLogger, StageMetrics } from "@shopstream/telemetry";
import type { RunningWorker } from "@shopstream/worker";
import { MongoClient } from "mongodb";

export interface Harness {
  names: {
    topic: string;
    ingestion: string;
    analytics: string;
    database: string;
    dataset: string;
    collection: string;
    deadLetterCollection: string;
  };
  pubsub: PubSub;
  mongo: MongoClient;
  bigquery: ReturnType<typeof createBigQuery>;
  publisher: EventPublisher;
  metrics: { ingestion: StageMetrics; analytics: StageMetrics };
  workers: { ingestion?: RunningWorker; analytics?: RunningAnalyticsWorker };
  startWorkers(): Promise<void>;
  stopWorkers(): Promise<void>;
  /** Waits until each worker has acked `messages` (stored, duplicate or dead-lettered). */
  waitForAcks(messages: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function requireStackEnv(): NodeJS.ProcessEnv {
  const env = process.env;
  for (const name of [
    "PUBSUB_EMULATOR_HOST",
    "MONGODB_URI",
    "BIGQUERY_EMULATOR_HOST",
    "GOOGLE_CLOUD_PROJECT",
  ]) {
    if (!env[name])
      throw new Error(`${name} is not set: run integration tests through jest's integration project`);
  }
  return env;
}

/** The local environment's names and policy (packages/platform); each harness isolates its own copies. */
const LOCAL = namesFor("local");

export async function createHarness(label: string): Promise<Harness> {
  const env = requireStackEnv();
  const suffix = `${label}_${randomBytes(3).toString("hex")}`;
  const names = {
    topic: `it-${suffix}`,
    ingestion: `it-${suffix}-ingestion`,
    analytics: `it-${suffix}-analytics`,
    database: `it_${suffix}`,
    dataset: `it_${suffix}`,
    collection: LOCAL.mongodb.collection,
    deadLetterCollection: LOCAL.mongodb.deadLetterCollection,
  };
  const pubsub = new PubSub({ projectId: env.GOOGLE_CLOUD_PROJECT });
  await ensurePubSubTopology(pubsub, {
    topic: names.topic,
    subscriptions: [names.ingestion, names.analytics],
    delivery: LOCAL.delivery,
  });
  const mongo = new MongoClient(env.MONGODB_URI as string);
  await mongo.connect();
  const bigquery = createBigQuery({
    projectId: env.GOOGLE_CLOUD_PROJECT as string,
    emulatorHost: env.BIGQUERY_EMULATOR_HOST,
    location: LOCAL.locations.bigquery,
  });
  const logger = createLogger(`it-${label}`, { ...env, LOG_LEVEL: env.LOG_LEVEL ?? "warn" });
  const harness: Harness = {
    names,
    pubsub,
    mongo,
    bigquery,
    publisher: new EventPublisher({ pubsub, topic: names.topic }),
    metrics: { ingestion: new StageMetrics("ingestion"), analytics: new StageMetrics("analytics") },
    workers: {},
    async startWorkers() {
      harness.workers.ingestion = await startIngestionWorker({
        pubsub,
        mongo,
        subscription: names.ingestion,
        database: names.database,
        collection: names.collection,
        deadLetterCollection: names.deadLetterCollection,
        metrics: harness.metrics.ingestion,
        logger,
        batchSize: 200,
      });
      harness.workers.analytics = await startAnalyticsWorker({
        pubsub,
        bigquery,
        dataset: names.dataset,
        subscription: names.analytics,
        metrics: harness.metrics.analytics,
        logger,
        refreshIntervalMs: 500,
        batchSize: 200,
      });
    },
    async stopWorkers() {
      await Promise.all([harness.workers.ingestion?.stop(), harness.workers.analytics?.stop()]);
      harness.workers = {};
    },
    async waitForAcks(messages, timeoutMs = 120000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ingested = harness.metrics.ingestion.get("acked");
        const analysed = harness.metrics.analytics.get("acked");
        if (ingested >= messages && analysed >= messages) return;
        if (Date.now() > deadline) {
          throw new Error(
            `timed out: ingestion acked ${ingested}/${messages}, analytics acked ${analysed}/${messages}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async close() {
      await harness.stopWorkers();
      await mongo.close();
      await pubsub.close();
    },
  };
  return harness;
}
