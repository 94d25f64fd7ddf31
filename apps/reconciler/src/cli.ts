/**
 * The jobs' entry point (one bundle, two Cloud Run jobs):
 *   shopstream-reconciler reconcile     per closed window: missing / extra / dead-lettered events as metrics
 *   shopstream-reconciler export-slis   one run of the SLI exporter (packages/slo)
 *   shopstream-reconciler verify        the store checks of a post-deploy integration test run (verify.ts)
 * Configuration from the environment; `--help` prints it. Exit code 1 on any failure, with the reason.
 */
import { BigQuery } from "@google-cloud/bigquery";
import { MetricServiceClient } from "@google-cloud/monitoring";
import { credentials } from "@grpc/grpc-js";
import { describeConfig, readConfig } from "@shopstream/config";
import { createLogger } from "@shopstream/telemetry";
import { MongoClient } from "mongodb";
import { EXPORT_CONFIG, RECONCILE_CONFIG } from "./config";
import { bigqueryLatencySamples, type LatencySource, mongoLatencySamples } from "./event-latency";
import { DEFAULT_LATENCY_STORES, exportSlis } from "./export-slis";
import { STORES } from "./metrics";
import { reconcile } from "./reconcile";
import { ReconciliationState } from "./state";
import type { DeadLetterSource } from "./stores";
import { runVerify, VERIFY_CONFIG } from "./verify-command";
import { validatePlan } from "./windows";

const HELP = `Usage: shopstream-reconciler <command>

Commands:
  reconcile     Reconcile every closed, settled window of event_time since the last run: distinct event_ids
                in BigQuery events vs MongoDB raw, and dead letters, written as custom metrics.
  export-slis   Run the SLI exporter once (per-event latency of each store, MongoDB connections, overall
                availability).
  verify        Check one integration-test run in MongoDB and BigQuery (started by actions/integration-test
                with the run's expectations) and write the result to the results bucket.

reconcile reads:
${describeConfig(RECONCILE_CONFIG)}

export-slis reads:
${describeConfig(EXPORT_CONFIG)}

verify reads:
${describeConfig(VERIFY_CONFIG)}

See docs/reconciliation.md.`;

function bigqueryClient(config: {
  GOOGLE_CLOUD_PROJECT: string;
  BIGQUERY_EMULATOR_HOST: string;
  BIGQUERY_LOCATION: string;
}) {
  const emulator = config.BIGQUERY_EMULATOR_HOST === "none" ? undefined : config.BIGQUERY_EMULATOR_HOST;
  return new BigQuery({
    projectId: config.GOOGLE_CLOUD_PROJECT,
    location: config.BIGQUERY_LOCATION,
    ...(emulator ? { apiEndpoint: emulator.replace(/\/bigquery\/v2\/?$/, "") } : {}),
  });
}

function monitoringClient(config: { GOOGLE_CLOUD_PROJECT: string; MONITORING_EMULATOR_HOST: string }) {
  const projectId = config.GOOGLE_CLOUD_PROJECT;
  if (config.MONITORING_EMULATOR_HOST === "none") return new MetricServiceClient({ projectId });
  const [host, port] = config.MONITORING_EMULATOR_HOST.split(":");
  if (!host || !port || !/^\d+$/.test(port))
    throw new Error(`MONITORING_EMULATOR_HOST must be host:port, got "${config.MONITORING_EMULATOR_HOST}"`);
  // google-gax uses sslCreds as the channel credentials and then skips Google authentication.
  return new MetricServiceClient({
    projectId,
    servicePath: host,
    port: Number(port),
    sslCreds: credentials.createInsecure(),
  });
}

async function runReconcile(): Promise<void> {
  const logger = createLogger("reconciler");
  const config = readConfig(RECONCILE_CONFIG);
  const plan = {
    windowMs: config.WINDOW_MINUTES * 60_000,
    settleMs: config.SETTLE_MINUTES * 60_000,
    maxWindows: config.MAX_WINDOWS_PER_RUN,
    initialLookbackMs: config.INITIAL_LOOKBACK_MINUTES * 60_000,
  };
  validatePlan(plan); // before connecting to anything
  const bigquery = bigqueryClient(config);
  const dataset = config.BIGQUERY_DATASET;
  const state = new ReconciliationState(bigquery, `${dataset}.${config.STATE_TABLE}`, config.DEPLOYMENT);
  if (config.CREATE_STATE_TABLE) await state.ensure();
  const deadLetters: { mongodb: DeadLetterSource; bigquery: DeadLetterSource } =
    config.DEAD_LETTER_MODE === "dataflow"
      ? {
          mongodb: { kind: "dataflow-bigquery", table: `${dataset}.${config.INGESTION_DEADLETTER_TABLE}` },
          bigquery: { kind: "dataflow-bigquery", table: `${dataset}.${config.ANALYTICS_DEADLETTER_TABLE}` },
        }
      : {
          mongodb: { kind: "local-mongodb", collection: config.MONGODB_DEADLETTER_COLLECTION },
          bigquery: { kind: "local-bigquery", table: `${dataset}.${config.ANALYTICS_DEADLETTER_TABLE}` },
        };
  const mongo = new MongoClient(config.MONGODB_URI, {
    appName: "shopstream-reconciler",
    serverSelectionTimeoutMS: 15000,
  });
  const monitoring = monitoringClient(config);
  try {
    await mongo.connect();
    const summary = await reconcile({
      projectId: config.GOOGLE_CLOUD_PROJECT,
      deployment: config.DEPLOYMENT,
      bigquery,
      db: mongo.db(config.MONGODB_DATABASE),
      eventsTable: `${dataset}.${config.EVENTS_TABLE}`,
      rawCollection: config.MONGODB_COLLECTION,
      deadLetters,
      state,
      writer: monitoring,
      plan,
      sampleSize: config.MISSING_SAMPLE_SIZE,
      pauseBetweenWindowsMs: config.WINDOW_PAUSE_MS,
      logger,
    });
    logger.info(`done: ${summary.windows.length} window(s) reconciled`, {
      watermark: summary.watermarkAfter === null ? null : new Date(summary.watermarkAfter).toISOString(),
    });
  } finally {
    await Promise.allSettled([mongo.close(), monitoring.close()]);
  }
}

async function runExport(): Promise<void> {
  const logger = createLogger("sli-exporter");
  const config = readConfig(EXPORT_CONFIG);
  const mongo =
    config.EXPORT_MONGODB_CONNECTIONS || config.EXPORT_EVENT_LATENCY
      ? new MongoClient(config.MONGODB_URI, {
          appName: "shopstream-sli-exporter",
          serverSelectionTimeoutMS: 15000,
        })
      : undefined;
  const monitoring = monitoringClient(config);
  try {
    await mongo?.connect();
    let latency: LatencySource | undefined;
    if (config.EXPORT_EVENT_LATENCY && mongo) {
      const bigquery = bigqueryClient(config);
      const eventsTable = `${config.BIGQUERY_DATASET}.${config.EVENTS_TABLE}`;
      const db = mongo.db(config.MONGODB_DATABASE);
      const lookbackMs = config.LATENCY_EVENT_LOOKBACK_HOURS * 3600_000;
      latency = (store, minute) =>
        store === "mongodb"
          ? mongoLatencySamples(db, config.MONGODB_COLLECTION, minute, lookbackMs)
          : bigqueryLatencySamples(bigquery, eventsTable, minute, lookbackMs);
    }
    await exportSlis({
      projectId: config.GOOGLE_CLOUD_PROJECT,
      deployment: config.DEPLOYMENT,
      sloDir: config.SLO_DIR,
      mongo: config.EXPORT_MONGODB_CONNECTIONS ? mongo : undefined,
      monitoring,
      logger,
      nowMs: Date.now(),
      latency,
      latencyStores: config.EXPORT_BIGQUERY_LATENCY ? STORES : DEFAULT_LATENCY_STORES,
    });
  } finally {
    await Promise.allSettled([mongo?.close(), monitoring.close()]);
  }
}

/** Runs the command named in `argv`; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (!command || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${HELP}\n`);
    return command ? 0 : 2;
  }
  try {
    if (command === "reconcile") await runReconcile();
    else if (command === "export-slis") await runExport();
    else if (command === "verify") {
      const logger = createLogger("integration-verify");
      await runVerify((line) => logger.info(line));
    } else {
      process.stderr.write(`unknown command "${command}"; try --help\n`);
      return 2;
    }
    return 0;
  } catch (error) {
    process.stderr.write(`${command} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
