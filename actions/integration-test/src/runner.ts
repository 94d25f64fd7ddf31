/**
 * The post-deploy integration test itself, with its clients injected (the action passes real Google
 * Cloud clients; the repository's integration test passes clients of the local stand-ins):
 * publish the tagged batch -> wait (bounded) until every valid event is in MongoDB and BigQuery and
 * counted in the aggregates -> assert exact counts and values -> check the dead letters -> measure
 * latency -> clean up. No @actions/core here (ESM-only; jest cannot load it).
 */
import type { BigQuery } from "@google-cloud/bigquery";
import type { PubSub } from "@google-cloud/pubsub";
import { alignWindow, composeAggregateQuery, loadAggregates, loadDedupedEvents } from "@shopstream/analytics";
import { canonical, readRunAggregates } from "@shopstream/reconciler";
import type { MongoClient } from "mongodb";
import { buildBatch, newRunId, RUN_FIELD, type SyntheticBatch, TEST_CURRENCY } from "./batch";
import { type Check, latencyReport, type RunResult } from "./report";

export interface RunnerConfig {
  topic: string;
  database: string;
  collection: string;
  deadLetterCollection: string;
  dataset: string;
  timeoutMs: number;
  pollMs: number;
  latencyThresholdMs: number;
  latencyObjective: number;
  /** Folder of the aggregate SQL (apps/analytics/sql), for the cleanup's recompute. */
  sqlDir?: string;
  cleanup: boolean;
  sessions?: number;
  runId?: string;
}

export interface RunnerDeps {
  pubsub: PubSub;
  mongo: MongoClient;
  bigquery: BigQuery;
  log: (line: string) => void;
  now?: () => number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const check = (name: string, ok: boolean, detail: string): Check => ({ name, ok, detail });

/** What every phase reads: the run, its clients and settings, and the time by which it must be done. */
interface TestRun {
  deps: RunnerDeps;
  config: RunnerConfig;
  runId: string;
  batch: SyntheticBatch;
  now: () => number;
  deadline: number;
  /** The run's ID as a BigQuery query parameter. */
  params: { run: string };
}

/** When each valid event was first seen in each store (phase 1), the base of the latency report. */
interface Arrival {
  seenRaw: Map<string, number>;
  seenWarehouse: Map<string, number>;
  /** The slowest poll cycle (queries plus pause): the latency's resolution. */
  slowestCycleMs: number;
  checks: Check[];
}

/**
 * Publishes the batch, then runs the phases in order, each with what it needs and returning its checks:
 * every valid event in both stores -> exact raw documents -> exact aggregates -> dead letters -> latency;
 * the cleanup runs on failures too.
 */
export async function runIntegrationTest(deps: RunnerDeps, config: RunnerConfig): Promise<RunResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const runId = config.runId ?? newRunId(started);
  const batch = buildBatch({ runId, nowMs: started, sessions: config.sessions ?? 6 });
  const run: TestRun = {
    deps,
    config,
    runId,
    batch,
    now,
    deadline: started + config.timeoutMs,
    params: { run: runId },
  };
  const checks: Check[] = [];
  const record = (found: Check[]) => {
    for (const c of found) {
      checks.push(c);
      deps.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
    }
  };
  let result: RunResult | undefined;

  deps.log(
    `run ${runId}: ${batch.events.length} events, ${batch.duplicates.length} duplicates, ${batch.late.length} late, ${batch.poison.length} poison`,
  );
  const publishedAt = await publishBatch(deps.pubsub, config.topic, batch, now);
  try {
    const arrival = await awaitEveryEvent(run);
    record(arrival.checks);
    record(await checkRawDocuments(run));
    record(await checkAggregates(run));
    record(await checkDeadLetters(run));
    const latency = measureLatency(run, arrival, (id) => publishedAt.get(id) ?? started);
    result = {
      runId,
      ok: checks.every((c) => c.ok),
      checks,
      latency,
      batch: summarizeBatch(batch),
      cleanup: "skipped",
      durationMs: now() - started,
    };
  } finally {
    // Runs on failures too: a failed run must not leave its data behind.
    if (config.cleanup) {
      const outcome = await removeRun(deps, config, batch).catch((error: unknown) => {
        deps.log(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
        return "failed" as const;
      });
      if (result) result.cleanup = outcome;
    }
  }
  return result;
}

/** Phase 1: every valid event in both stores (first-seen times give the end-to-end latency). */
async function awaitEveryEvent(run: TestRun): Promise<Arrival> {
  const { deps, config, runId, batch, now } = run;
  const raw = deps.mongo.db(config.database).collection(config.collection);
  const seenRaw = new Map<string, number>();
  const seenWarehouse = new Map<string, number>();
  const ids = new Set(batch.events.map((e) => e.event_id));
  let slowestCycleMs = config.pollMs;
  while (now() < run.deadline && (seenRaw.size < ids.size || seenWarehouse.size < ids.size)) {
    const t = now();
    const docs = await raw
      .find({ [RUN_FIELD]: runId }, { projection: { _id: 1 } })
      .toArray()
      .catch(() => []);
    for (const d of docs) if (!seenRaw.has(String(d._id))) seenRaw.set(String(d._id), t);
    const [rows] = await deps.bigquery
      .query({
        query: `SELECT DISTINCT event_id FROM \`${config.dataset}.events\` WHERE STRPOS(payload, @run) > 0`,
        params: run.params,
      })
      .catch(() => [[]] as [{ event_id: string }[]]);
    for (const r of rows as { event_id: string }[])
      if (!seenWarehouse.has(r.event_id)) seenWarehouse.set(r.event_id, t);
    if (seenRaw.size < ids.size || seenWarehouse.size < ids.size) await sleep(config.pollMs);
    slowestCycleMs = Math.max(slowestCycleMs, now() - t);
  }
  const missingRaw = [...ids].filter((id) => !seenRaw.has(id));
  const missingWarehouse = [...ids].filter((id) => !seenWarehouse.has(id));
  return {
    seenRaw,
    seenWarehouse,
    slowestCycleMs,
    checks: [
      check(
        "every valid event in MongoDB",
        missingRaw.length === 0,
        `${seenRaw.size}/${ids.size}${missingRaw.length ? `; missing e.g. ${missingRaw.slice(0, 3).join(", ")}` : ""}`,
      ),
      check(
        "every valid event in BigQuery events",
        missingWarehouse.length === 0,
        `${seenWarehouse.size}/${ids.size}${missingWarehouse.length ? `; missing e.g. ${missingWarehouse.slice(0, 3).join(", ")}` : ""}`,
      ),
    ],
  };
}

/** Phase 2: exact raw store: one document per event (duplicates were published), values as sent. */
async function checkRawDocuments(run: TestRun): Promise<Check[]> {
  const { deps, config, runId, batch } = run;
  const ids = new Set(batch.events.map((e) => e.event_id));
  const docs = await deps.mongo
    .db(config.database)
    .collection(config.collection)
    .find({ [RUN_FIELD]: runId })
    .toArray();
  const extra = docs.filter((d) => !ids.has(String(d._id)));
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  const wrongValues = batch.events.filter((e) => {
    const d = byId.get(e.event_id);
    if (!d) return false;
    if (d.event_type !== e.event_type || d.session_id !== e.session_id) return true;
    return (
      e.event_type === "purchase" && canonical(d.properties?.revenue) !== canonical(e.properties.revenue)
    );
  });
  return [
    check(
      "no duplicate or stray raw document",
      docs.length === ids.size && extra.length === 0,
      `${docs.length} documents for ${ids.size} events (${batch.duplicates.length} published twice)`,
    ),
    check("raw documents carry the values sent", wrongValues.length === 0, `${wrongValues.length} differ`),
  ];
}

/** Phase 3: aggregates: the run's rows are exactly what the batch implies (revenue as exact decimals). */
async function checkAggregates(run: TestRun): Promise<Check[]> {
  const { deps, config, runId, batch, now } = run;
  const aggregateState = () =>
    readRunAggregates(deps.bigquery, config.dataset, {
      runId,
      currency: TEST_CURRENCY,
      fromMs: batch.expected.fromMs,
      toMs: batch.expected.toMs,
    });
  const wanted = JSON.stringify({
    orders: batch.expected.orders,
    products: sortKeys(batch.expected.products),
  });
  let aggregates = {
    orders: { orders: 0, units: 0, revenue: "0" },
    products: {} as Record<string, unknown>,
  };
  while (now() < run.deadline) {
    aggregates = await aggregateState().catch(() => aggregates);
    if (JSON.stringify({ orders: aggregates.orders, products: sortKeys(aggregates.products) }) === wanted)
      break;
    await sleep(config.pollMs);
  }
  return [
    check(
      `orders_by_currency_minute (${TEST_CURRENCY})`,
      JSON.stringify(aggregates.orders) === JSON.stringify(batch.expected.orders),
      `expected ${fmtOrders(batch.expected.orders)}, got ${fmtOrders(aggregates.orders)}`,
    ),
    check(
      "product_revenue_minute (the run's products)",
      JSON.stringify(sortKeys(aggregates.products)) === JSON.stringify(sortKeys(batch.expected.products)),
      `expected ${JSON.stringify(sortKeys(batch.expected.products))}, got ${JSON.stringify(sortKeys(aggregates.products))}`,
    ),
  ];
}

type DeadLetterRecord = { reason: string; attributes: string };

/** Phase 4: poison: each one dead-lettered with a matching reason, in both stores. */
async function checkDeadLetters(run: TestRun): Promise<Check[]> {
  const { deps, config, runId, batch, now } = run;
  const deadLetters = deps.mongo.db(config.database).collection(config.deadLetterCollection);
  const poisonById = new Map(batch.poison.map((p) => [p.label, p]));
  const readDeadLetters = async () => {
    const mongoRecords = (await deadLetters
      .find({ attributes: { $regex: escapeRegex(runId) } }, { projection: { reason: 1, attributes: 1 } })
      .toArray()) as unknown as DeadLetterRecord[];
    const [bqRecords] = await deps.bigquery.query({
      query: `SELECT reason, attributes FROM \`${config.dataset}.events_deadletter\` WHERE STRPOS(attributes, @run) > 0`,
      params: run.params,
    });
    return { mongo: mongoRecords, bigquery: bqRecords as DeadLetterRecord[] };
  };
  let dead = { mongo: [] as DeadLetterRecord[], bigquery: [] as DeadLetterRecord[] };
  const labelsOf = (records: { attributes: string }[]) =>
    new Set(records.map((r) => (JSON.parse(r.attributes) as Record<string, string>).integration_test_poison));
  while (now() < run.deadline) {
    dead = await readDeadLetters().catch(() => dead);
    if (labelsOf(dead.mongo).size >= poisonById.size && labelsOf(dead.bigquery).size >= poisonById.size)
      break;
    await sleep(config.pollMs);
  }
  const checks: Check[] = [];
  for (const [store, records] of [
    ["MongoDB", dead.mongo],
    ["BigQuery", dead.bigquery],
  ] as const) {
    const problems: string[] = [];
    for (const poison of batch.poison) {
      const record = records.find(
        (r) => (JSON.parse(r.attributes) as Record<string, string>).integration_test_poison === poison.label,
      );
      if (!record) problems.push(`${poison.label}: not dead-lettered`);
      else if (!poison.reason.test(record.reason))
        problems.push(`${poison.label}: reason "${record.reason}"`);
    }
    checks.push(
      check(
        `poison messages dead-lettered with reasons (${store})`,
        problems.length === 0,
        problems.length ? problems.join("; ") : `${batch.poison.length}/${batch.poison.length}`,
      ),
    );
  }
  return checks;
}

/** Phase 5: latency, publish -> first seen in both stores (resolution: one poll cycle, the queries plus the pause). */
function measureLatency(
  run: TestRun,
  arrival: Arrival,
  publishedAt: (id: string) => number,
): RunResult["latency"] {
  return latencyReport(
    run.batch.events.map((e) => e.event_id),
    publishedAt,
    (id) => [arrival.seenRaw.get(id), arrival.seenWarehouse.get(id)],
    {
      thresholdMs: run.config.latencyThresholdMs,
      objective: run.config.latencyObjective,
      resolutionMs: arrival.slowestCycleMs,
    },
  );
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
const fmtOrders = (o: { orders: number; units: number; revenue: string }) =>
  `${o.orders} orders, ${o.units} units, ${o.revenue} ${TEST_CURRENCY}`;

export function summarizeBatch(batch: SyntheticBatch): RunResult["batch"] {
  return {
    events: batch.events.length,
    duplicates: batch.duplicates.length,
    late: batch.late.length,
    poison: batch.poison.length,
    types: Object.keys(batch.expected.eventsByType).length,
  };
}

/** Publishes the batch (duplicates twice, poison with its label attribute); resolves to each event's publish time. */
export async function publishBatch(
  pubsub: PubSub,
  topicName: string,
  batch: SyntheticBatch,
  now: () => number,
): Promise<Map<string, number>> {
  const topic = pubsub.topic(topicName);
  const publishedAt = new Map<string, number>();
  const attrs = (eventType: string) => ({
    event_type: eventType,
    schema_version: "1",
    [RUN_FIELD]: batch.runId,
  });
  const sends: Promise<unknown>[] = [];
  const send = (event: (typeof batch.events)[number]) =>
    sends.push(
      topic
        .publishMessage({ data: Buffer.from(JSON.stringify(event)), attributes: attrs(event.event_type) })
        .then(() => {
          if (!publishedAt.has(event.event_id)) publishedAt.set(event.event_id, now());
        }),
    );
  for (const event of batch.events) send(event);
  const duplicates = new Set(batch.duplicates);
  for (const event of batch.events) if (duplicates.has(event.event_id)) send(event);
  for (const poison of batch.poison)
    sends.push(
      topic.publishMessage({
        data: poison.data,
        attributes: { ...attrs("unknown"), integration_test_poison: poison.label },
      }),
    );
  await Promise.all(sends);
  return publishedAt;
}

/**
 * Removes the run's data and corrects the aggregates: raw documents and dead letters in MongoDB, events
 * and dead-letter rows in BigQuery, then the aggregate windows the batch touched are recomputed with
 * the same SQL as the pipeline (DELETE + INSERT of the window from the deduplicated events).
 * In BigQuery, DML on rows still in the streaming buffer can be refused: the result is then "deferred"
 * and the next run's cleanup of older runs (or the scheduled recompute) finishes the job.
 */
export async function removeRun(
  deps: RunnerDeps,
  config: RunnerConfig,
  batch: SyntheticBatch,
): Promise<RunResult["cleanup"]> {
  const db = deps.mongo.db(config.database);
  await db.collection(config.collection).deleteMany({ [RUN_FIELD]: batch.runId });
  await db
    .collection(config.deadLetterCollection)
    .deleteMany({ attributes: { $regex: escapeRegex(batch.runId) } });
  const params = { run: batch.runId };
  try {
    await deps.bigquery.query({
      query: `DELETE FROM \`${config.dataset}.events\` WHERE STRPOS(payload, @run) > 0`,
      params,
    });
    await deps.bigquery.query({
      query: `DELETE FROM \`${config.dataset}.events_deadletter\` WHERE STRPOS(attributes, @run) > 0`,
      params,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/streaming buffer/i.test(message)) {
      deps.log(`BigQuery refused to delete rows still in the streaming buffer; cleanup deferred: ${message}`);
      return "deferred";
    }
    throw error;
  }
  const aggregates = loadAggregates(config.sqlDir);
  const deduped = loadDedupedEvents(config.sqlDir);
  for (const aggregate of aggregates) {
    const { start, end } = alignWindow(batch.expected.fromMs, batch.expected.toMs, aggregate.grain);
    const table = `\`${config.dataset}.${aggregate.name}\``;
    const column = aggregate.windowColumn;
    const windowParams = { window_start: start, window_end: end };
    await deps.bigquery.query({
      query: `DELETE FROM ${table} WHERE ${column} >= @window_start AND ${column} < @window_end`,
      params: windowParams,
    });
    await deps.bigquery.query({
      query: `INSERT INTO ${table} (${aggregate.columns.map((c) => c.name).join(", ")})\n${composeAggregateQuery(aggregate, config.dataset, deduped)}`,
      params: windowParams,
    });
  }
  return "done";
}
