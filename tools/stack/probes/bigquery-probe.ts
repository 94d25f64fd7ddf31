/**
 * What bqemulator 1.4.0 supports of what the pipeline needs, through @google-cloud/bigquery 8.3.0.
 *
 *   tsx tools/stack/probes/bigquery-probe.ts        (starts a separate bench-probe instance of the BigQuery stand-in if
 *                                                    BIGQUERY_API_ENDPOINT is not set)
 * Prints one OK/FAIL line per feature; exit code 0 whatever the findings (it is a probe, not a test).
 */
import { BigQuery, type TableSchema } from "@google-cloud/bigquery";
import { type Stack, startStack } from "../src/index";
import { expect, ProbeReport } from "./report";

const DATASET = `probe_${Date.now()}`;

const SCHEMA: TableSchema = {
  fields: [
    { name: "event_id", type: "STRING", mode: "REQUIRED" },
    { name: "event_time", type: "TIMESTAMP", mode: "REQUIRED" },
    { name: "event_date", type: "DATE" },
    { name: "amount", type: "NUMERIC" },
    { name: "quantity", type: "INT64" },
    { name: "is_test", type: "BOOL" },
    { name: "payload", type: "JSON" },
    {
      name: "items",
      type: "RECORD",
      mode: "REPEATED",
      fields: [
        { name: "sku", type: "STRING" },
        { name: "price", type: "NUMERIC" },
        { name: "qty", type: "INT64" },
      ],
    },
  ],
};

function row(i: number, eventId = `e${i}`) {
  const t = new Date(Date.UTC(2026, 0, 15, 10, i % 60, i % 60));
  return {
    event_id: eventId,
    event_time: t.toISOString(),
    event_date: t.toISOString().slice(0, 10),
    amount: "0.1",
    quantity: i,
    is_test: i % 2 === 0,
    payload: JSON.stringify({ kind: "order", n: i, nested: { currency: "EUR" } }),
    items: [
      { sku: `sku-${i}`, price: "9.99", qty: 1 },
      { sku: "sku-shared", price: "0.01", qty: 2 },
    ],
  };
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v !== "object") return `${typeof v} ${JSON.stringify(v)}`;
  const ctor = (v as { constructor?: { name?: string } }).constructor?.name ?? "Object";
  return `${ctor} ${JSON.stringify(v)}`;
}

async function main(): Promise<void> {
  let stack: Stack | undefined;
  let apiEndpoint = process.env.BIGQUERY_API_ENDPOINT;
  let projectId = process.env.GOOGLE_CLOUD_PROJECT ?? "shopstream-local";
  if (!apiEndpoint) {
    stack = await startStack({ profile: "bench", instance: "probe", services: ["bigquery"], fresh: true });
    apiEndpoint = stack.env.BIGQUERY_API_ENDPOINT;
    projectId = stack.projectId;
  }
  process.env.METADATA_SERVER_DETECTION ??= "none";
  // StackEnv sets FAST_QUERY_PATH=DISABLED: with the jobs.query fast path, bqemulator reports SQL errors in a
  // 200 response that @google-cloud/bigquery 8.3 ignores (query() resolves to []). Checked below.
  const fastPath = process.env.FAST_QUERY_PATH;
  process.env.FAST_QUERY_PATH = "DISABLED";
  const bq = new BigQuery({ projectId, apiEndpoint });
  const r = new ProbeReport("bigquery");
  /** Runs a query; a SELECT (or a script ending in one) returning no row counts as a failure here. */
  const q = async (query: string, params?: Record<string, unknown>) => {
    const [rows] = await bq.query(params ? { query, params } : { query });
    const isSelect = /^\s*SELECT/i.test(query) || /;\s*SELECT[^;]*;\s*$/i.test(query);
    expect(!isSelect || rows.length > 0, "query returned no rows");
    return rows as Record<string, unknown>[];
  };
  const ds = bq.dataset(DATASET);
  const table = ds.table("events");
  const T = `\`${projectId}.${DATASET}.events\``;

  try {
    await r.check("failing SQL through query() with the fast path (jobs.query) ENABLED", async () => {
      process.env.FAST_QUERY_PATH = "";
      try {
        const [rows] = await bq.query("SELECT 1/0 AS x");
        throw new Error(
          `error swallowed: query() resolved to ${JSON.stringify(rows)} (needs FAST_QUERY_PATH=DISABLED)`,
        );
      } catch (err) {
        if (err instanceof Error && err.message.startsWith("error swallowed")) throw err;
        return `rejected: ${(err as Error).message.slice(0, 80)}`;
      } finally {
        process.env.FAST_QUERY_PATH = "DISABLED";
      }
    });
    await r.check("failing SQL through query() with FAST_QUERY_PATH=DISABLED (jobs.insert)", async () => {
      try {
        await bq.query("SELECT 1/0 AS x");
      } catch (err) {
        return `rejected: ${(err as Error).message.slice(0, 80)}`;
      }
      throw new Error("error swallowed");
    });
    await r.check("create dataset", async () => {
      await bq.createDataset(DATASET);
      return undefined;
    });
    await r.check(
      "create table (all types, REPEATED RECORD, DAY partition on event_time, clustering)",
      async () => {
        await ds.createTable("events", {
          schema: SCHEMA,
          timePartitioning: { type: "DAY", field: "event_time" },
          clustering: { fields: ["event_id"] },
        });
        const [meta] = await table.getMetadata();
        return `metadata.timePartitioning=${JSON.stringify(meta.timePartitioning)} clustering=${JSON.stringify(meta.clustering)}`;
      },
    );
    await r.check("table.insert(rows, {raw:true}) with insertId", async () => {
      const rows = Array.from({ length: 10 }, (_, i) => ({ insertId: `id-${i}`, json: row(i) }));
      await table.insert(rows, { raw: true });
      const [c] = await q(`SELECT COUNT(*) AS n FROM ${T}`);
      return `rows visible immediately: ${String(c?.n)}`;
    });
    await r.check("insertId dedupe (same 10 insertIds inserted again)", async () => {
      const rows = Array.from({ length: 10 }, (_, i) => ({ insertId: `id-${i}`, json: row(i) }));
      await table.insert(rows, { raw: true });
      const [c] = await q(`SELECT COUNT(*) AS n FROM ${T}`);
      const n = Number(c?.n);
      expect(n === 10, `NOT deduplicated: ${n} rows after re-inserting the same insertIds`);
      return "deduplicated (10 rows)";
    });
    await r.check("query with named TIMESTAMP params (@from/@to)", async () => {
      const rows = await q(`SELECT COUNT(*) AS n FROM ${T} WHERE event_time >= @from AND event_time < @to`, {
        from: bq.timestamp("2026-01-15T10:00:00Z"),
        to: bq.timestamp("2026-01-15T10:05:00Z"),
      });
      return `n=${String(rows[0]?.n)}`;
    });
    await r.check("query with named params given as JS Date", async () => {
      const rows = await q(`SELECT COUNT(*) AS n FROM ${T} WHERE event_time >= @from AND event_time < @to`, {
        from: new Date("2026-01-15T10:00:00Z"),
        to: new Date("2026-01-15T10:05:00Z"),
      });
      return `n=${String(rows[0]?.n)}`;
    });
    await r.check("QUALIFY ROW_NUMBER() OVER (PARTITION BY event_id ...) = 1", async () => {
      await table.insert([{ insertId: "dup-1", json: row(1, "e1") }], { raw: true });
      const rows = await q(
        `SELECT event_id FROM ${T} WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY event_time DESC) = 1`,
      );
      return `${rows.length} distinct event_ids`;
    });
    await r.check("TIMESTAMP_TRUNC(event_time, MINUTE)", async () => {
      const rows = await q(
        `SELECT TIMESTAMP_TRUNC(event_time, MINUTE) AS m, COUNT(*) AS n FROM ${T} GROUP BY m ORDER BY m LIMIT 2`,
      );
      return `first=${describeValue(rows[0]?.m)}`;
    });
    await r.check("SUM(NUMERIC) exact: ten times 0.1 = 1", async () => {
      const rows = await q(
        `SELECT SUM(x) AS s, SUM(x) = 1 AS exact FROM UNNEST(ARRAY<NUMERIC>[0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1]) AS x`,
      );
      expect(rows[0]?.exact === true, `SUM = ${describeValue(rows[0]?.s)}, exact=${String(rows[0]?.exact)}`);
      return `s=${describeValue(rows[0]?.s)}`;
    });
    await r.check("SUM(NUMERIC column) on table rows (0.1 x distinct rows)", async () => {
      const rows = await q(`SELECT SUM(amount) AS s, COUNT(*) AS n FROM ${T}`);
      return `s=${String(rows[0]?.s)} n=${String(rows[0]?.n)}`;
    });
    await r.check("NUMERIC 123456789012.123456789 x3 sum exact", async () => {
      const rows = await q(
        "SELECT SUM(x) AS s FROM UNNEST(ARRAY<NUMERIC>[NUMERIC '123456789012.123456789', NUMERIC '123456789012.123456789', NUMERIC '123456789012.123456789']) AS x",
      );
      const s = String(rows[0]?.s);
      expect(s === "370370367036.370370367", `got ${s}`);
      return s;
    });
    await r.check("NUMERIC column: insert 123456789012.123456789 x3 and SUM exact", async () => {
      await ds.createTable("nums", { schema: { fields: [{ name: "v", type: "NUMERIC" }] } });
      const v = "123456789012.123456789";
      await ds.table("nums").insert([{ v }, { v }, { v }]);
      const rows = await q(`SELECT SUM(v) AS s, MAX(v) AS m FROM \`${projectId}.${DATASET}.nums\``);
      const s = String(rows[0]?.s);
      expect(s === "370370367036.370370367", `SUM got ${s}, MAX got ${String(rows[0]?.m)}`);
      return s;
    });
    await r.check("BIGNUMERIC column (create table + round trip)", async () => {
      await ds.createTable("bignums", { schema: { fields: [{ name: "v", type: "BIGNUMERIC" }] } });
      await ds.table("bignums").insert([{ v: "123456789012.123456789" }]);
      const rows = await q(`SELECT v FROM \`${projectId}.${DATASET}.bignums\``);
      return describeValue(rows[0]?.v);
    });
    await r.check("how NUMERIC/TIMESTAMP/DATE/JSON/INT64 come back to Node", async () => {
      const rows = await q(
        `SELECT amount, event_time, event_date, payload, quantity, items FROM ${T} LIMIT 1`,
      );
      const x = rows[0] ?? {};
      return `NUMERIC: ${describeValue(x.amount)}; TIMESTAMP: ${describeValue(x.event_time)}; DATE: ${describeValue(
        x.event_date,
      )}; JSON: ${describeValue(x.payload)}; INT64: ${describeValue(x.quantity)}; items[0]: ${describeValue(
        (x.items as unknown[] | undefined)?.[0],
      )}`;
    });
    await r.check("COUNT(DISTINCT event_id)", async () => {
      const rows = await q(`SELECT COUNT(DISTINCT event_id) AS n FROM ${T}`);
      return `n=${String(rows[0]?.n)}`;
    });
    await r.check("UNNEST(items)", async () => {
      const rows = await q(
        `SELECT i.sku, SUM(i.qty) AS qty, SUM(i.price * i.qty) AS revenue FROM ${T}, UNNEST(items) AS i GROUP BY i.sku ORDER BY qty DESC LIMIT 1`,
      );
      return JSON.stringify(rows[0]);
    });
    await r.check("JSON_VALUE(payload, '$.nested.currency')", async () => {
      const rows = await q(`SELECT JSON_VALUE(payload, '$.nested.currency') AS c FROM ${T} LIMIT 1`);
      expect(rows[0]?.c === "EUR", `got ${describeValue(rows[0]?.c)}`);
      return "EUR";
    });
    await r.check("SAFE_CAST('x' AS INT64) IS NULL", async () => {
      const rows = await q("SELECT SAFE_CAST('x' AS INT64) AS a, SAFE_CAST('12' AS NUMERIC) AS b");
      expect(rows[0]?.a === null, `got ${describeValue(rows[0]?.a)}`);
      return `b=${describeValue(rows[0]?.b)}`;
    });
    await r.check("FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M', ts, 'UTC')", async () => {
      const rows = await q(
        "SELECT FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M', TIMESTAMP '2026-01-15 10:07:30+00', 'UTC') AS f",
      );
      expect(rows[0]?.f === "2026-01-15T10:07", `got ${describeValue(rows[0]?.f)}`);
      return String(rows[0]?.f);
    });
    await r.check("DELETE ... WHERE (on rows just streamed)", async () => {
      const [job] = await bq.createQueryJob({ query: `DELETE FROM ${T} WHERE event_id = 'e9'` });
      await job.getQueryResults();
      const [meta] = await job.getMetadata();
      return `numDmlAffectedRows=${String(meta.statistics?.query?.numDmlAffectedRows)}`;
    });
    await r.check("CREATE TABLE IF NOT EXISTS (DDL, PARTITION BY DATE(event_time) CLUSTER BY)", async () => {
      await q(
        `CREATE TABLE IF NOT EXISTS \`${projectId}.${DATASET}.agg\` (minute TIMESTAMP, event_id STRING, revenue NUMERIC, n INT64) PARTITION BY DATE(minute) CLUSTER BY event_id`,
      );
      await q(
        `CREATE TABLE IF NOT EXISTS \`${projectId}.${DATASET}.agg\` (minute TIMESTAMP, event_id STRING, revenue NUMERIC, n INT64) PARTITION BY DATE(minute) CLUSTER BY event_id`,
      );
      const [meta] = await ds.table("agg").getMetadata();
      return `second run no error; timePartitioning=${JSON.stringify(meta.timePartitioning)}`;
    });
    await r.check("INSERT INTO ... SELECT", async () => {
      await q(
        `INSERT INTO \`${projectId}.${DATASET}.agg\` (minute, event_id, revenue, n) SELECT TIMESTAMP_TRUNC(event_time, MINUTE), event_id, SUM(amount), COUNT(*) FROM ${T} GROUP BY 1, 2`,
      );
      const rows = await q(`SELECT COUNT(*) AS n FROM \`${projectId}.${DATASET}.agg\``);
      return `agg rows=${String(rows[0]?.n)}`;
    });
    await r.check("MERGE (upsert)", async () => {
      await q(
        `MERGE \`${projectId}.${DATASET}.agg\` t USING (SELECT TIMESTAMP_TRUNC(event_time, MINUTE) AS minute, event_id, SUM(amount) AS revenue, COUNT(*) AS n FROM ${T} GROUP BY 1, 2 UNION ALL SELECT TIMESTAMP '2030-01-01', 'new', 1, 1) s
         ON t.minute = s.minute AND t.event_id = s.event_id
         WHEN MATCHED THEN UPDATE SET revenue = s.revenue * 2, n = s.n
         WHEN NOT MATCHED THEN INSERT (minute, event_id, revenue, n) VALUES (s.minute, s.event_id, s.revenue, s.n)`,
      );
      const rows = await q(
        `SELECT COUNT(*) AS n, COUNTIF(event_id = 'new') AS inserted, MAX(revenue) AS max_rev FROM \`${projectId}.${DATASET}.agg\``,
      );
      expect(Number(rows[0]?.inserted) === 1, `inserted=${String(rows[0]?.inserted)}`);
      return `n=${String(rows[0]?.n)} max_rev=${String(rows[0]?.max_rev)}`;
    });
    await r.check("multi-statement script (DECLARE + SET + SELECT)", async () => {
      const rows = await q(`DECLARE cutoff TIMESTAMP DEFAULT TIMESTAMP '2026-01-15 10:03:00+00';
SET cutoff = TIMESTAMP_ADD(cutoff, INTERVAL 1 MINUTE);
SELECT COUNT(*) AS n FROM ${T} WHERE event_time < cutoff;`);
      return `last statement result n=${String(rows[0]?.n)}`;
    });
    await r.check("multi-statement script (BEGIN ... END; with DELETE + INSERT)", async () => {
      const rows = await q(`BEGIN
  DELETE FROM \`${projectId}.${DATASET}.agg\` WHERE event_id = 'new';
  INSERT INTO \`${projectId}.${DATASET}.agg\` (minute, event_id, revenue, n) VALUES (TIMESTAMP '2030-01-02', 'new2', 2, 2);
END;
SELECT COUNT(*) AS n FROM \`${projectId}.${DATASET}.agg\` WHERE event_id LIKE 'new%';`);
      return `n=${String(rows[0]?.n)}`;
    });
    await r.check("BEGIN TRANSACTION ... COMMIT TRANSACTION", async () => {
      await q(`BEGIN TRANSACTION;
DELETE FROM \`${projectId}.${DATASET}.agg\` WHERE event_id = 'new2';
COMMIT TRANSACTION;`);
      return undefined;
    });
    await r.check("CREATE OR REPLACE VIEW (dedup by QUALIFY) + query it", async () => {
      await q(
        `CREATE OR REPLACE VIEW \`${projectId}.${DATASET}.events_dedup\` AS SELECT * FROM ${T} WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY event_time DESC) = 1`,
      );
      const rows = await q(`SELECT COUNT(*) AS n FROM \`${projectId}.${DATASET}.events_dedup\``);
      return `n=${String(rows[0]?.n)}`;
    });
    await r.check("CREATE MATERIALIZED VIEW (aggregate) + query it + freshness after insert", async () => {
      await q(
        `CREATE MATERIALIZED VIEW \`${projectId}.${DATASET}.mv_minute\` AS SELECT TIMESTAMP_TRUNC(event_time, MINUTE) AS minute, SUM(amount) AS revenue, COUNT(*) AS n FROM ${T} GROUP BY 1`,
      );
      const before = await q(`SELECT SUM(n) AS n FROM \`${projectId}.${DATASET}.mv_minute\``);
      await table.insert([{ insertId: "mv-1", json: row(59, "mv-new") }], { raw: true });
      const after = await q(`SELECT SUM(n) AS n FROM \`${projectId}.${DATASET}.mv_minute\``);
      return `n before=${String(before[0]?.n)} after insert=${String(after[0]?.n)}`;
    });
    await r.check("dry run (query validation)", async () => {
      const [job] = await bq.createQueryJob({ query: `SELECT COUNT(*) FROM ${T}`, dryRun: true });
      return `totalBytesProcessed=${String(job.metadata?.statistics?.totalBytesProcessed)}`;
    });
    await r.check("query error surfaces as an ApiError (bad column)", async () => {
      try {
        await q(`SELECT no_such_column FROM ${T}`);
      } catch (err) {
        const e = err as { code?: number; message?: string };
        return `code=${String(e.code)} message=${(e.message ?? "").slice(0, 120)}`;
      }
      throw new Error("no error for an unknown column");
    });
    await r.check("insert of a row violating the schema -> PartialFailureError", async () => {
      try {
        await table.insert(
          [{ insertId: "bad-1", json: { event_id: "bad", event_time: "not a time", quantity: "x" } }],
          {
            raw: true,
          },
        );
      } catch (err) {
        const e = err as {
          name?: string;
          message?: string;
          errors?: { errors?: { reason?: string; message?: string }[] }[];
        };
        const first = e.errors?.[0]?.errors?.[0];
        expect(
          e.name === "PartialFailureError",
          `not a PartialFailureError (per-row insertErrors) but ${e.name}: ${(e.message ?? "").slice(0, 120)}`,
        );
        return `${e.name}: ${first ? JSON.stringify(first) : (e.message ?? "").slice(0, 160)}`;
      }
      throw new Error("accepted an invalid row");
    });

    // ---------- timings
    await r.check("timing: simple query (median of 5)", async () => {
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = Date.now();
        await q(`SELECT COUNT(*) AS n FROM ${T}`);
        ms.push(Date.now() - t0);
      }
      ms.sort((a, b) => a - b);
      return `${ms[2]} ms (all: ${ms.join(", ")})`;
    });
    await r.check("timing: insert 1,000 rows in one insertAll", async () => {
      const rows = Array.from({ length: 1000 }, (_, i) => ({
        insertId: `bulk-${i}`,
        json: row(i, `bulk-${i}`),
      }));
      const t0 = Date.now();
      await table.insert(rows, { raw: true });
      return `${Date.now() - t0} ms`;
    });
    await r.check("timing: aggregate query over ~1,000 rows", async () => {
      const t0 = Date.now();
      await q(
        `SELECT TIMESTAMP_TRUNC(event_time, MINUTE) AS m, COUNT(DISTINCT event_id) AS n, SUM(amount) AS s FROM ${T} GROUP BY m`,
      );
      return `${Date.now() - t0} ms`;
    });
  } finally {
    console.log(r.summary());
    await ds.delete({ force: true }).catch(() => {});
    process.env.FAST_QUERY_PATH = fastPath;
    await stack?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
