/**
 * Reconciliation on the local stand-ins: the pipeline stores a seeded dataset (duplicates, late,
 * out-of-order, malformed), then MongoDB LOSES writes the way Cloud_PubSub_to_MongoDB with
 * withOrdered=false does (an acknowledged event that never reached the collection: here, chosen stored
 * documents deleted). The reconciler must report exactly those events missing for mongodb, nothing
 * extra, the exact dead-letter counts, and write them through the real @google-cloud/monitoring client
 * to the fake Cloud Monitoring gRPC server. A second run with the same clock reconciles nothing (resumes
 * from its watermark).
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { MetricServiceClient } from "@google-cloud/monitoring";
import {
  RECONCILIATION_METRICS,
  type ReconcileOptions,
  ReconciliationState,
  reconcile,
} from "@shopstream/reconciler";
import { createLogger } from "@shopstream/telemetry";
import { FakeMonitoringServer } from "@shopstream/testkit";
import { dataset, publishAll, truthOf, waitForStores } from "../support/faults";
import { createHarness, type Harness } from "../support/pipeline-harness";

jest.setTimeout(600000);

const REPO = join(__dirname, "..", "..");
const run = promisify(execFile);

const LOST = 7;
const HOUR = 3600_000;

describe("reconciliation: MongoDB loses writes", () => {
  let harness: Harness;
  const monitoring = new FakeMonitoringServer();
  let client: MetricServiceClient;

  beforeAll(async () => {
    harness = await createHarness("reconcile");
    await monitoring.start();
    client = new MetricServiceClient(monitoring.clientOptions());
  });
  afterAll(async () => {
    await client?.close();
    await monitoring.stop();
    await harness?.close();
  });

  it("reports exactly the lost events as missing for mongodb, none extra, and the dead letters", async () => {
    const { emissions } = dataset(4242, 600, 0.03);
    const truth = truthOf(emissions);
    const malformed = emissions.filter((e) => e.kind === "malformed").length;
    expect(malformed).toBeGreaterThan(0);

    await harness.startWorkers();
    await publishAll(harness, emissions);
    await waitForStores(harness, truth.length, malformed);
    await harness.stopWorkers();

    // The fault: LOST acknowledged events never reached MongoDB (every write error swallowed).
    const raw = harness.mongo
      .db(harness.names.database)
      .collection<{ _id: string }>(harness.names.collection);
    const lost = truth
      .map((e) => e.event_id)
      .sort()
      .filter((_, i) => i % 50 === 3)
      .slice(0, LOST);
    expect(lost).toHaveLength(LOST);
    expect((await raw.deleteMany({ _id: { $in: lost } })).deletedCount).toBe(LOST);

    // Every window of the data is closed and settled one hour from now; the lookback covers the late events.
    const clock = () => Date.now() + HOUR + 60_000;
    const state = new ReconciliationState(
      harness.bigquery,
      `${harness.names.dataset}.reconciliation_state`,
      "it-local",
    );
    await state.ensure();
    const options: ReconcileOptions = {
      projectId: "fake-project",
      deployment: "it-local",
      bigquery: harness.bigquery,
      db: harness.mongo.db(harness.names.database),
      eventsTable: `${harness.names.dataset}.events`,
      rawCollection: harness.names.collection,
      deadLetters: {
        mongodb: { kind: "local-mongodb", collection: harness.names.deadLetterCollection },
        bigquery: { kind: "local-bigquery", table: `${harness.names.dataset}.events_deadletter` },
      },
      state,
      writer: client,
      plan: { windowMs: HOUR, settleMs: 0, maxWindows: 100, initialLookbackMs: 25 * HOUR },
      sampleSize: 100,
      logger: createLogger("it-reconciler", { LOG_LEVEL: "error" }),
      now: clock,
    };
    const summary = await reconcile(options);

    const total = (pick: (w: (typeof summary.windows)[number]) => number) =>
      summary.windows.reduce((sum, w) => sum + pick(w), 0);
    expect(total((w) => w.missing.mongodb)).toBe(LOST);
    expect(total((w) => w.missing.bigquery)).toBe(0);
    expect(total((w) => w.deadLettered.mongodb)).toBe(malformed);
    expect(total((w) => w.deadLettered.bigquery)).toBe(malformed);
    expect(summary.windows.flatMap((w) => w.sample.mongodb).sort()).toEqual(lost);

    // The same numbers reached Cloud Monitoring through the real client, one point per window and series.
    const written = (type: string, store: string) =>
      monitoring.created
        .filter(
          (c) =>
            c.name === "projects/fake-project" &&
            c.series.metricType === type &&
            c.series.metricLabels?.store === store &&
            c.series.metricLabels?.deployment === "it-local",
        )
        .map((c) => c.series.points[0]?.value ?? Number.NaN);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(written(RECONCILIATION_METRICS.missing, "mongodb")).toHaveLength(summary.windows.length);
    expect(sum(written(RECONCILIATION_METRICS.missing, "mongodb"))).toBe(LOST);
    expect(sum(written(RECONCILIATION_METRICS.extra, "mongodb"))).toBe(0);
    expect(sum(written(RECONCILIATION_METRICS.missing, "bigquery"))).toBe(0);
    expect(sum(written(RECONCILIATION_METRICS.extra, "bigquery"))).toBe(LOST);
    expect(sum(written(RECONCILIATION_METRICS.deadLettered, "mongodb"))).toBe(malformed);
    expect(sum(written(RECONCILIATION_METRICS.deadLettered, "bigquery"))).toBe(malformed);

    // Resumable and idempotent: the watermark is the last window's end, and a re-run finds nothing due.
    expect(await state.watermark()).toBe(summary.watermarkAfter);
    const writes = monitoring.created.length;
    const again = await reconcile(options);
    expect(again.windows).toEqual([]);
    expect(monitoring.created).toHaveLength(writes);
  });

  it("runs as the bundled job: node dist/reconciler.js reconcile writes the metrics and exits 0", async () => {
    // The container's entry point is this bundle (apps/reconciler/Dockerfile); build it as the workflow does.
    await run("npx", ["--no-install", "tsx", "apps/reconciler/scripts/bundle.ts"], { cwd: REPO });
    const before = monitoring.created.length;
    const { stderr } = await run(
      process.execPath,
      [join(REPO, "apps/reconciler/dist/reconciler.js"), "reconcile"],
      {
        cwd: REPO,
        env: {
          ...process.env,
          LOG_LEVEL: "info",
          MONITORING_EMULATOR_HOST: `127.0.0.1:${monitoring.port}`,
          DEPLOYMENT: "it-bundle",
          MONGODB_DATABASE: harness.names.database,
          MONGODB_COLLECTION: harness.names.collection,
          MONGODB_DEADLETTER_COLLECTION: harness.names.deadLetterCollection,
          BIGQUERY_DATASET: harness.names.dataset,
          STATE_TABLE: "reconciliation_bundle",
          CREATE_STATE_TABLE: "true",
          WINDOW_MINUTES: "1",
          SETTLE_MINUTES: "0",
          INITIAL_LOOKBACK_MINUTES: "30",
          WINDOW_PAUSE_MS: "0",
        },
      },
    );
    expect(stderr).toMatch(/done: \d+ window\(s\) reconciled/);
    const written = monitoring.created
      .slice(before)
      .filter((c) => c.series.metricLabels?.deployment === "it-bundle");
    expect(written.length).toBeGreaterThan(0);
    expect(written.length % 6).toBe(0); // 3 metrics x 2 stores per window
    const missing = written.filter(
      (c) =>
        c.series.metricType === RECONCILIATION_METRICS.missing && c.series.metricLabels?.store === "mongodb",
    );
    // The lost events of the first test that fall in the last 30 closed minutes; nothing else differs.
    expect(missing.reduce((sum, c) => sum + (c.series.points[0]?.value ?? 0), 0)).toBeLessThanOrEqual(LOST);
    expect(
      written
        .filter(
          (c) =>
            c.series.metricType === RECONCILIATION_METRICS.missing &&
            c.series.metricLabels?.store === "bigquery",
        )
        .every((c) => c.series.points[0]?.value === 0),
    ).toBe(true);
  });
});
