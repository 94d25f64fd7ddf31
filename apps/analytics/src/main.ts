/**
 * Analytics worker process. Configuration from the environment (see README); SIGTERM drains.
 *   tsx apps/analytics/src/main.ts
 */
import { PubSub } from "@google-cloud/pubsub";
import { BIGQUERY, GOOGLE_CLOUD, int, PUBSUB, readConfig, str } from "@shopstream/config";
import { createLogger, reportToParent, StageMetrics } from "@shopstream/telemetry";
import { drainOnSignals } from "@shopstream/worker";
import { createBigQuery } from "./bigquery";
import { defaultStateDir, journalPath } from "./journal";
import { startAnalyticsWorker } from "./worker";

export const ANALYTICS_CONFIG = {
  ...GOOGLE_CLOUD,
  ...BIGQUERY,
  ANALYTICS_SUBSCRIPTION: PUBSUB.ANALYTICS_SUBSCRIPTION,
  BATCH_SIZE: int(
    "Messages per batch (transform, then insertAll); batches waiting for an insert go together, up to 2,000 rows a request",
    500,
    1,
    10000,
  ),
  AGGREGATE_REFRESH_MS: int("How often dirty aggregate windows are recomputed", 2000, 100, 3600000),
  MAX_OUTSTANDING_MESSAGES: int("Flow control: messages leased at once (bounds memory)", 4000, 1, 100000),
  ANALYTICS_STATE_DIR: str(
    "Directory of the dirty-minute journal, so a restarted worker recomputes what it stored before dying",
    defaultStateDir(),
  ),
};

async function main(): Promise<void> {
  const logger = createLogger("analytics");
  const config = readConfig(ANALYTICS_CONFIG);
  const metrics = new StageMetrics("analytics");
  const stopReporting = reportToParent(metrics);
  const bigquery = createBigQuery({
    projectId: config.GOOGLE_CLOUD_PROJECT,
    emulatorHost: config.BIGQUERY_EMULATOR_HOST === "none" ? undefined : config.BIGQUERY_EMULATOR_HOST,
    location: config.BIGQUERY_LOCATION,
  });
  const worker = await startAnalyticsWorker({
    pubsub: new PubSub({ projectId: config.GOOGLE_CLOUD_PROJECT }),
    bigquery,
    dataset: config.BIGQUERY_DATASET,
    subscription: config.ANALYTICS_SUBSCRIPTION,
    refreshIntervalMs: config.AGGREGATE_REFRESH_MS,
    journalPath: journalPath(config.ANALYTICS_STATE_DIR, {
      endpoint: config.BIGQUERY_EMULATOR_HOST,
      projectId: config.GOOGLE_CLOUD_PROJECT,
      dataset: config.BIGQUERY_DATASET,
      subscription: config.ANALYTICS_SUBSCRIPTION,
    }),
    batchSize: config.BATCH_SIZE,
    maxOutstandingMessages: config.MAX_OUTSTANDING_MESSAGES,
    metrics,
    logger,
  });
  logger.info(`consuming ${config.ANALYTICS_SUBSCRIPTION} into ${config.BIGQUERY_DATASET}.events`);
  drainOnSignals(worker, logger, async () => stopReporting());
}

main().catch((error) => {
  console.error(
    `analytics worker failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
