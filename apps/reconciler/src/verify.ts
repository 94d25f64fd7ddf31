/**
 * `verify`: the store half of the production post-deploy integration test, run as a Cloud Run job inside
 * the VPC (MongoDB Atlas is reachable only through Private Service Connect, never from a hosted runner).
 * The integration-test action publishes a tagged batch, starts this job with the run ID and the batch's
 * expectations as overrides, and reads the JSON result this job writes to the results bucket.
 *
 * Reads only: MongoDB raw (read-only Atlas user), BigQuery `events`, the aggregates and the Dataflow
 * templates' dead-letter tables. Dead-letter rows are the templates' shape (DataflowTemplates@378c7e5
 * v2/common/.../ErrorConverters.java `FailedPubsubMessageToTableRowFn`): `timestamp`, `errorMessage`,
 * `stacktrace`, `payloadString` (the payload decoded as UTF-8), `payloadBytes` (that string re-encoded);
 * no attributes, so a poison message is recognised by its payload text. `errorMessage` is the Java
 * exception text of the UDF's throw (JavascriptTextTransformer: `setErrorMessage(e.getMessage())`), i.e.
 * the validator's reason wrapped by Nashorn: `Error: <reason> in <eval> at line number N`.
 */
import type { BigQuery } from "@google-cloud/bigquery";
import type { Db } from "mongodb";

/** What the action expects of one run; passed to the job as the VERIFY_EXPECTATIONS env override. */
export interface VerifyExpectations {
  runId: string;
  /** Field every event of the run carries (`integration_test_run`). */
  runField: string;
  /** Distinct valid event IDs. */
  eventIds: string[];
  /** Expected values of the raw documents (event_type, session_id, purchase revenue), by event ID. */
  values: Record<string, { event_type: string; session_id: string; revenue?: string }>;
  currency: string;
  /** orders_by_currency_minute for `currency`, summed over [fromMs, toMs]. */
  orders: { orders: number; units: number; revenue: string };
  /** product_revenue_minute for the run's products (`itest-<runId>-…`), by product. */
  products: Record<string, { orders: number; units: number; revenue: string }>;
  fromMs: number;
  toMs: number;
  /** Poison messages: the payload as the template records it (UTF-8 decoded) and the validator's reason. */
  poison: { label: string; payloadString: string; reason: string }[];
}

export interface VerifyCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** The JSON object the job writes (`<prefix><runId>.json`) and the action reads. */
export interface VerifyResult {
  runId: string;
  ok: boolean;
  checks: VerifyCheck[];
  /** When each event was first seen in each store (ms since epoch; resolution one poll cycle). */
  firstSeen: { mongodb: Record<string, number>; bigquery: Record<string, number> };
  resolutionMs: number;
  startedAt: string;
  finishedAt: string;
}

export interface VerifyStores {
  db: Db;
  bigquery: BigQuery;
  log: (line: string) => void;
  now?: () => number;
}

export interface VerifyTables {
  rawCollection: string;
  /** `dataset.table` (or `project.dataset.table`) of the events table. */
  eventsTable: string;
  /** Dataset of the aggregate tables. */
  aggregatesDataset: string;
  ingestionDeadLetterTable: string;
  analyticsDeadLetterTable: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A decimal as text without trailing fractional zeros ("12.340" -> "12.34"): how values are compared. */
export const canonical = (value: unknown): string => {
  const text = String(value ?? "0");
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
};
const sorted = <T>(record: Record<string, T>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/** Refuses expectations that would make the checks meaningless (a malformed override). */
export function parseExpectations(text: string): VerifyExpectations {
  let value: VerifyExpectations;
  try {
    value = JSON.parse(text) as VerifyExpectations;
  } catch {
    throw new Error("VERIFY_EXPECTATIONS is not JSON; the integration-test action sets it");
  }
  const problems: string[] = [];
  if (!/^[a-z0-9-]{8,64}$/.test(String(value?.runId))) problems.push("runId");
  if (!Array.isArray(value?.eventIds) || value.eventIds.length === 0) problems.push("eventIds");
  if (!Array.isArray(value?.poison)) problems.push("poison");
  if (typeof value?.orders?.orders !== "number") problems.push("orders");
  if (typeof value?.runField !== "string" || !/^[a-z_]+$/.test(value.runField)) problems.push("runField");
  if (problems.length > 0)
    throw new Error(`VERIFY_EXPECTATIONS is missing or has invalid: ${problems.join(", ")}`);
  return value;
}

/**
 * Does a template dead-letter `errorMessage` carry `reason`? The template wraps the UDF's throw
 * (`Error: <reason> in <eval> at line number N`); the reason must appear whole inside it.
 */
export function carriesReason(errorMessage: string | null | undefined, reason: string): boolean {
  return typeof errorMessage === "string" && reason.length > 0 && errorMessage.includes(reason);
}

/**
 * Polls the stores until every expectation holds or the deadline passes, then reports each check.
 * Never writes to the stores.
 */
export async function verifyRun(
  stores: VerifyStores,
  tables: VerifyTables,
  expected: VerifyExpectations,
  options: { deadlineMs: number; pollMs: number },
): Promise<VerifyResult> {
  const now = stores.now ?? Date.now;
  const startedAt = new Date(now()).toISOString();
  const checks: VerifyCheck[] = [];
  const check = (name: string, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    stores.log(`${ok ? "ok  " : "FAIL"} ${name}: ${detail}`);
  };
  const raw = stores.db.collection(tables.rawCollection);
  const run = expected.runId;
  const ids = new Set(expected.eventIds);
  const seenRaw = new Map<string, number>();
  const seenWarehouse = new Map<string, number>();
  let slowestCycleMs = options.pollMs;
  const waiting = () => now() < options.deadlineMs;

  // 1. Every valid event in both stores.
  while (waiting() && (seenRaw.size < ids.size || seenWarehouse.size < ids.size)) {
    const t = now();
    const docs = await raw
      .find({ [expected.runField]: run }, { projection: { _id: 1 } })
      .toArray()
      .catch(() => []);
    for (const d of docs) if (!seenRaw.has(String(d._id))) seenRaw.set(String(d._id), t);
    const [rows] = await stores.bigquery
      .query({
        query: `SELECT DISTINCT event_id FROM \`${tables.eventsTable}\` WHERE STRPOS(payload, @run) > 0`,
        params: { run },
      })
      .catch(() => [[]] as [{ event_id: string }[]]);
    for (const r of rows as { event_id: string }[])
      if (!seenWarehouse.has(r.event_id)) seenWarehouse.set(r.event_id, t);
    stores.log(
      `waiting: ${seenRaw.size}/${ids.size} in MongoDB, ${seenWarehouse.size}/${ids.size} in BigQuery`,
    );
    if (seenRaw.size < ids.size || seenWarehouse.size < ids.size) await sleep(options.pollMs);
    slowestCycleMs = Math.max(slowestCycleMs, now() - t);
  }
  const missing = (seen: Map<string, number>) => [...ids].filter((id) => !seen.has(id));
  for (const [store, seen] of [
    ["MongoDB", seenRaw],
    ["BigQuery events", seenWarehouse],
  ] as const) {
    const gone = missing(seen);
    check(
      `every valid event in ${store}`,
      gone.length === 0,
      `${ids.size - gone.length}/${ids.size}${gone.length ? `; missing e.g. ${gone.slice(0, 3).join(", ")}` : ""}`,
    );
  }

  // 2. Exactly one raw document per event, with the values sent.
  const docs = await raw.find({ [expected.runField]: run }).toArray();
  const stray = docs.filter((d) => !ids.has(String(d._id)));
  check(
    "no duplicate or stray raw document",
    docs.length === ids.size && stray.length === 0,
    `${docs.length} documents for ${ids.size} events`,
  );
  const wrong = docs.filter((d) => {
    const want = expected.values[String(d._id)];
    if (!want) return false;
    if (d.event_type !== want.event_type || d.session_id !== want.session_id) return true;
    return want.revenue !== undefined && canonical(d.properties?.revenue) !== canonical(want.revenue);
  });
  check("raw documents carry the values sent", wrong.length === 0, `${wrong.length} differ`);

  // 3. Aggregates (recomputed by the scheduled query in Google Cloud: poll until they match).
  const ds = tables.aggregatesDataset;
  const readAggregates = () => readRunAggregates(stores.bigquery, ds, expected);
  const wantedOrders = JSON.stringify(expected.orders);
  const wantedProducts = JSON.stringify(sorted(expected.products));
  let aggregates = { orders: { orders: 0, units: 0, revenue: "0" }, products: {} as Record<string, unknown> };
  do {
    aggregates = await readAggregates().catch(() => aggregates);
    if (
      JSON.stringify(aggregates.orders) === wantedOrders &&
      JSON.stringify(aggregates.products) === wantedProducts
    )
      break;
    stores.log("waiting: aggregates not yet recomputed for the run");
    await sleep(options.pollMs);
  } while (waiting());
  check(
    `orders_by_currency_minute (${expected.currency})`,
    JSON.stringify(aggregates.orders) === wantedOrders,
    `expected ${wantedOrders}, got ${JSON.stringify(aggregates.orders)}`,
  );
  check(
    "product_revenue_minute (the run's products)",
    JSON.stringify(aggregates.products) === wantedProducts,
    `expected ${wantedProducts}, got ${JSON.stringify(aggregates.products)}`,
  );

  // 4. Poison messages in each template's dead-letter table, the validator's reason inside the wrapped message.
  type DeadLetterRow = { payloadString: string; errorMessage: string | null };
  const readDeadLetters = async (table: string) => {
    const [rows] = await stores.bigquery.query({
      query: `SELECT payloadString, errorMessage FROM \`${table}\` WHERE STRPOS(payloadString, @run) > 0`,
      params: { run },
    });
    return rows as DeadLetterRow[];
  };
  const deadLetterTables = [
    ["ingestion", tables.ingestionDeadLetterTable],
    ["analytics", tables.analyticsDeadLetterTable],
  ] as const;
  const found: Record<string, DeadLetterRow[]> = { ingestion: [], analytics: [] };
  const complete = (rows: DeadLetterRow[]) =>
    expected.poison.every((p) => rows.some((r) => r.payloadString === p.payloadString));
  do {
    for (const [path, table] of deadLetterTables)
      found[path] = await readDeadLetters(table).catch(() => found[path] ?? []);
    if (deadLetterTables.every(([path]) => complete(found[path] ?? []))) break;
    stores.log("waiting: dead letters of the poison messages");
    await sleep(options.pollMs);
  } while (waiting());
  for (const [path, table] of deadLetterTables) {
    const rows = found[path] ?? [];
    const problems: string[] = [];
    for (const poison of expected.poison) {
      const matching = rows.filter((r) => r.payloadString === poison.payloadString);
      if (matching.length === 0) problems.push(`${poison.label}: not dead-lettered`);
      else if (!matching.some((r) => carriesReason(r.errorMessage, poison.reason)))
        problems.push(
          `${poison.label}: errorMessage "${matching[0]?.errorMessage}" does not contain "${poison.reason}"`,
        );
    }
    check(
      `poison messages dead-lettered with reasons (${path}: ${table})`,
      problems.length === 0,
      problems.length ? problems.join("; ") : `${expected.poison.length}/${expected.poison.length}`,
    );
  }

  return {
    runId: run,
    ok: checks.every((c) => c.ok),
    checks,
    firstSeen: { mongodb: Object.fromEntries(seenRaw), bigquery: Object.fromEntries(seenWarehouse) },
    resolutionMs: slowestCycleMs,
    startedAt,
    finishedAt: new Date(now()).toISOString(),
  };
}

/** The run's rows of the two exact aggregates: XTS orders over the batch's minutes, and its products. */
export async function readRunAggregates(
  bigquery: BigQuery,
  dataset: string,
  run: { runId: string; currency: string; fromMs: number; toMs: number },
): Promise<{
  orders: { orders: number; units: number; revenue: string };
  products: Record<string, { orders: number; units: number; revenue: string }>;
}> {
  const [[orders]] = await bigquery.query({
    query: `SELECT COALESCE(SUM(orders), 0) AS orders, COALESCE(SUM(units), 0) AS units, CAST(COALESCE(SUM(revenue), 0) AS STRING) AS revenue
      FROM \`${dataset}.orders_by_currency_minute\` WHERE currency = @currency AND minute >= @from AND minute <= @to`,
    params: {
      currency: run.currency,
      from: new Date(Math.floor(run.fromMs / 60000) * 60000),
      to: new Date(run.toMs),
    },
  });
  const [products] = await bigquery.query({
    query: `SELECT product_id, SUM(orders) AS orders, SUM(units) AS units, CAST(SUM(revenue) AS STRING) AS revenue
      FROM \`${dataset}.product_revenue_minute\` WHERE STARTS_WITH(product_id, @prefix) GROUP BY product_id`,
    params: { prefix: `itest-${run.runId}-` },
  });
  const byProduct: Record<string, { orders: number; units: number; revenue: string }> = {};
  for (const p of products as { product_id: string; orders: number; units: number; revenue: string }[])
    byProduct[p.product_id] = {
      orders: Number(p.orders),
      units: Number(p.units),
      revenue: canonical(p.revenue),
    };
  const o = orders as { orders: number; units: number; revenue: string };
  return {
    orders: { orders: Number(o.orders), units: Number(o.units), revenue: canonical(o.revenue) },
    products: sorted(byProduct),
  };
}

/** Object name of a run's result in the results bucket. */
export const verifyResultObject = (runId: string) => `integration-test/${runId}.json`;

/**
 * Writes the result with the Cloud Storage JSON API simple upload (`POST /upload/storage/v1/b/BUCKET/o
 * ?uploadType=media&name=OBJECT`, "Perform a simple upload"), `ifGenerationMatch=0` so that a result is
 * never overwritten (the job's identity has roles/storage.objectCreator on this bucket only).
 */
export async function writeVerifyResult(
  result: VerifyResult,
  target: { bucket: string; endpoint: string; token: () => Promise<string | undefined> },
): Promise<string> {
  const name = verifyResultObject(result.runId);
  const url = `${target.endpoint.replace(/\/$/, "")}/upload/storage/v1/b/${encodeURIComponent(target.bucket)}/o?uploadType=media&ifGenerationMatch=0&name=${encodeURIComponent(name)}`;
  const token = await target.token();
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(result),
  });
  if (response.status === 412)
    throw new Error(
      `a result for run ${result.runId} already exists at gs://${target.bucket}/${name}; results are never overwritten: start a new run`,
    );
  if (!response.ok)
    throw new Error(
      `cannot write the result to gs://${target.bucket}/${name}: HTTP ${response.status} ${(await response.text()).slice(0, 300)} (the job's identity needs roles/storage.objectCreator on the bucket)`,
    );
  return `gs://${target.bucket}/${name}`;
}
