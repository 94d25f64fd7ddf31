/**
 * Helpers for the fault-injection and bad-input suites: a known dataset, bounded waits on the stores
 * (not on worker counters, which a SIGKILL loses), exact assertions against the independent truth, and
 * workers as child processes under the local pipeline's Supervisor (so a SIGKILL is a real one).
 */
import { join } from "node:path";
import { loadAggregates } from "@shopstream/analytics";
import { ATTRIBUTES, type ShopEvent, validateEvent } from "@shopstream/events";
import { Supervisor } from "@shopstream/local-pipeline";
import { type Emission, ShopSimulator } from "@shopstream/producer";
import type { Harness } from "./pipeline-harness";
import { expectedAggregates, normaliseRows, type Row, sameAggregates } from "./truth";

const REPO = join(__dirname, "..", "..");
export const WORKER_ENTRY = {
  ingestion: join(REPO, "apps", "ingestion", "src", "main.ts"),
  analytics: join(REPO, "apps", "analytics", "src", "main.ts"),
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true; throws with `describe()` after `timeoutMs`. Never unbounded. */
export async function waitUntil(
  probe: () => Promise<boolean> | boolean,
  timeoutMs: number,
  describe: () => Promise<string> | string,
  everyMs = 500,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let ok = false;
    try {
      ok = await probe();
    } catch {
      ok = false; // a store that is still coming back
    }
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await sleep(everyMs);
  }
}

/** A seeded dataset with the usual faults (duplicates, late, out-of-order, malformed) and its truth. */
export function dataset(seed: number, count: number, malformed = 0.02) {
  const simulator = new ShopSimulator({
    seed,
    faults: { duplicate: 0.05, late: 0.05, outOfOrder: 0.05, malformed },
  });
  const emissions = simulator.take(count);
  return { emissions, truth: truthOf(emissions) };
}

/** The distinct valid events of a list of emissions, normalised as the validator does. */
export function truthOf(emissions: Emission[]): ShopEvent[] {
  const seen = new Map<string, ShopEvent>();
  for (const e of emissions) {
    if (e.kind !== "event") continue;
    const result = validateEvent(JSON.parse(JSON.stringify(e.event)), Date.now());
    if (!result.ok) throw new Error(`the simulator produced an invalid event: ${result.reason}`);
    seen.set(result.event.event_id, result.event);
  }
  return [...seen.values()];
}

export async function publishAll(harness: Harness, emissions: Emission[]): Promise<void> {
  for (const emission of emissions) {
    if (emission.kind === "malformed")
      await harness.publisher.publishRaw(emission.data, { [ATTRIBUTES.eventType]: "unknown" });
    else await harness.publisher.publish(emission.event);
  }
  const stats = await harness.publisher.flush();
  if (stats.failed > 0)
    throw new Error(
      `${stats.failed} publishes failed: ${JSON.stringify(harness.publisher.failures.slice(0, 3))}`,
    );
}

export interface StoreCounts {
  raw: number;
  deadLetterRaw: number;
  warehouseDistinct: number;
  warehouseRows: number;
  deadLetterWarehouse: number;
}

export async function storeCounts(harness: Harness): Promise<StoreCounts> {
  const db = harness.mongo.db(harness.names.database);
  const ds = harness.names.dataset;
  const [[events]] = await harness.bigquery.query({
    query: `SELECT COUNT(DISTINCT event_id) AS d, COUNT(*) AS n FROM \`${ds}.events\``,
  });
  const [[dead]] = await harness.bigquery.query({
    query: `SELECT COUNT(*) AS n FROM \`${ds}.events_deadletter\``,
  });
  return {
    raw: await db.collection(harness.names.collection).countDocuments(),
    deadLetterRaw: await db.collection(harness.names.deadLetterCollection).countDocuments(),
    warehouseDistinct: Number(events.d),
    warehouseRows: Number(events.n),
    deadLetterWarehouse: Number(dead.n),
  };
}

/** Waits (bounded) until both stores hold `valid` distinct events and `deadLetters` records each. */
export async function waitForStores(
  harness: Harness,
  valid: number,
  deadLetters: number,
  timeoutMs = 180000,
): Promise<StoreCounts> {
  let last: StoreCounts | undefined;
  await waitUntil(
    async () => {
      last = await storeCounts(harness);
      return (
        last.raw >= valid &&
        last.warehouseDistinct >= valid &&
        last.deadLetterRaw >= deadLetters &&
        last.deadLetterWarehouse >= deadLetters
      );
    },
    timeoutMs,
    async () =>
      `expected ${valid} valid and ${deadLetters} dead letters, have ${JSON.stringify(last)}; ` +
      `moved to Pub/Sub dead-letter topics: ${JSON.stringify(await pubsubDeadLettered(harness).catch(String))}`,
    1000,
  );
  return last as StoreCounts;
}

/**
 * Messages Pub/Sub itself moved to the subscriptions' dead-letter topics (after maxDeliveryAttempts):
 * read from the `-dlq-inspect` subscriptions the provisioning creates, and nacked so they stay there.
 */
export async function pubsubDeadLettered(harness: Harness, listenMs = 3000): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of [harness.names.ingestion, harness.names.analytics]) {
    const subscription = harness.pubsub.subscription(`${name}-dlq-inspect`);
    const ids = new Set<string>();
    subscription.on("message", (message) => {
      ids.add(message.id);
      message.nack();
    });
    await sleep(listenMs);
    await subscription.close();
    out[name] = ids.size;
  }
  return out;
}

/** Every aggregate table as normalised rows. */
export async function readAggregates(harness: Harness): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const aggregate of loadAggregates()) {
    const [rows] = await harness.bigquery.query({
      query: `SELECT * FROM \`${harness.names.dataset}.${aggregate.name}\``,
    });
    out[aggregate.name] = normaliseRows(rows);
  }
  return out;
}

/**
 * Waits (bounded) until the aggregates equal the independent recomputation. The workers' own refresher
 * does the work: the test never recomputes, so a window a crash forgot stays wrong and fails here.
 */
export async function waitForExactAggregates(
  harness: Harness,
  truth: ShopEvent[],
  timeoutMs = 120000,
): Promise<{ expected: Record<string, Row[]>; actual: Record<string, Row[]> }> {
  const expected = expectedAggregates(truth);
  let actual: Record<string, Row[]> = {};
  const same = () => sameAggregates(actual, expected);
  await waitUntil(
    async () => {
      actual = await readAggregates(harness);
      return same();
    },
    timeoutMs,
    () =>
      `aggregates differ from the truth in: ${Object.keys(expected)
        .filter((k) => JSON.stringify(actual[k]) !== JSON.stringify(expected[k]))
        .join(", ")}`,
    2000,
  ).catch(() => undefined); // the exact comparison below reports the difference
  return { expected, actual };
}

/** The raw store's ids, sorted. */
export async function rawIds(harness: Harness): Promise<string[]> {
  return (
    await harness.mongo
      .db(harness.names.database)
      .collection(harness.names.collection)
      .find({}, { projection: { _id: 1 } })
      .toArray()
  )
    .map((d) => String(d._id))
    .sort();
}

/** Environment of a worker child process bound to the harness's isolated names. */
export function workerEnv(harness: Harness): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LOG_FORMAT: "json",
    LOG_LEVEL: "info",
    INGESTION_SUBSCRIPTION: harness.names.ingestion,
    ANALYTICS_SUBSCRIPTION: harness.names.analytics,
    MONGODB_DATABASE: harness.names.database,
    MONGODB_COLLECTION: harness.names.collection,
    MONGODB_DEADLETTER_COLLECTION: harness.names.deadLetterCollection,
    BIGQUERY_DATASET: harness.names.dataset,
    AGGREGATE_REFRESH_MS: "500",
    BATCH_SIZE: "100",
  };
}

/**
 * Starts both workers as supervised child processes (restarted on crash, with the same environment) and
 * waits until they report. `env` overrides the workers' environment (e.g. AGGREGATE_REFRESH_MS).
 */
export async function startChildWorkers(
  harness: Harness,
  logDir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Supervisor> {
  const supervisor = new Supervisor(() => {});
  for (const name of ["ingestion", "analytics"] as const) {
    supervisor.start({
      name,
      script: WORKER_ENTRY[name],
      env: { ...workerEnv(harness), ...env },
      restart: true,
      logFile: join(logDir, `${harness.names.database}-${name}.log`),
    });
  }
  await waitUntil(
    () => !!supervisor.snapshot("ingestion") && !!supervisor.snapshot("analytics"),
    120000,
    () => `workers did not report; see ${logDir}`,
    200,
  );
  return supervisor;
}
