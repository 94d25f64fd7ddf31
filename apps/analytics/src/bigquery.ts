/**
 * BigQuery side of analytics: the events sink (insertAll with insertId = event_id; best-effort dedup
 * there, exact dedup in the aggregate SQL), the dead-letter sink and idempotent provisioning of the
 * dataset, the events table (from the contract's generated schema) and the aggregate tables.
 */
import { BigQuery, type Table, type TableField } from "@google-cloud/bigquery";
import { buildDeadLetterTableSchema, buildEventsTableSchema, type WarehouseRow } from "@shopstream/events";
import type { DeadLetterRecord, DeadLetterSink, Sink, WriteOutcome } from "@shopstream/worker";
import type { AggregateDefinition } from "./aggregates";

export const EVENTS_TABLE = "events";
export const DEAD_LETTER_TABLE = "events_deadletter";
/** Local refresher state: the dirty minutes of the refresh under way (refresher.ts). */
export const DIRTY_MINUTES_TABLE = "refresh_dirty_minutes";

export interface BigQueryConnection {
  projectId: string;
  /**
   * The emulator's REST base, as in BIGQUERY_EMULATOR_HOST (http://127.0.0.1:9050/bigquery/v2, or
   * without the /bigquery/v2 suffix); undefined for Google's API.
   */
  emulatorHost?: string;
  location: string;
}

export function createBigQuery(connection: BigQueryConnection): BigQuery {
  if (!connection.emulatorHost)
    return new BigQuery({ projectId: connection.projectId, location: connection.location });
  // A custom endpoint makes the client skip google-auth-library entirely: no credentials are needed.
  return new BigQuery({
    projectId: connection.projectId,
    location: connection.location,
    apiEndpoint: connection.emulatorHost.replace(/\/bigquery\/v2\/?$/, ""),
  });
}

/** One caller's batch waiting for (or riding in) a merged insertAll request. */
interface PendingWrite {
  rows: WarehouseRow[];
  resolve(outcomes: WriteOutcome[]): void;
  reject(error: unknown): void;
}

/** Largest merged insertAll request (rows): see EventsTableSink. */
export const DEFAULT_MAX_ROWS_PER_INSERT = 2000;

export class EventsTableSink implements Sink<WarehouseRow> {
  readonly description: string;
  private readonly queue: PendingWrite[] = [];
  private sending = false;

  /**
   * Batches handed over while an insert is in flight wait and go together in the next request, up to
   * `maxRowsPerInsert` rows (whole batches; a batch alone may exceed it). The stand-in pays a fixed cost
   * per request (it rewrites its catalog and records a snapshot after every insertAll, and serves one
   * request at a time), so under load fewer, bigger requests leave it more time for rows; when the worker
   * keeps up, a batch goes alone at once (no added latency). BigQuery documents a 10 MB request limit
   * and recommends about 500 rows per request ("Quotas and limits", streaming inserts): 2,000 warehouse
   * rows are about 3 MB.
   */
  constructor(
    private readonly bigquery: BigQuery,
    private readonly dataset: string,
    private readonly onStored?: (rows: WarehouseRow[]) => void,
    private readonly maxRowsPerInsert = DEFAULT_MAX_ROWS_PER_INSERT,
  ) {
    this.description = `bigquery ${dataset}.${EVENTS_TABLE}`;
  }

  write(rows: WarehouseRow[]): Promise<WriteOutcome[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      void this.sendQueued();
    });
  }

  /** Sends the queued batches, merged, one request at a time, until the queue is empty. */
  private async sendQueued(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const merged: PendingWrite[] = [];
        let count = 0;
        while (this.queue.length > 0) {
          const next = this.queue[0] as PendingWrite;
          if (merged.length > 0 && count + next.rows.length > this.maxRowsPerInsert) break;
          merged.push(next);
          count += next.rows.length;
          this.queue.shift();
        }
        const rows = merged.length === 1 ? (merged[0] as PendingWrite).rows : merged.flatMap((w) => w.rows);
        try {
          const outcomes = await this.insert(rows);
          let offset = 0;
          for (const write of merged) {
            write.resolve(outcomes.slice(offset, offset + write.rows.length));
            offset += write.rows.length;
          }
        } catch (error) {
          // Each caller retries its own batch (the worker loop's policy); the retries merge again.
          for (const write of merged) write.reject(error);
        }
      }
    } finally {
      this.sending = false;
    }
  }

  /**
   * One insertAll without skipInvalidRows first: the rows were validated by the transform, so a batch is
   * almost always all valid, and the flag is expensive on the stand-in (bqemulator 1.4.0 converts every
   * row on its own to find the invalid ones, then the whole batch again: 40% of its CPU under `npm run
   * bench`). Without the flag BigQuery fails the whole request if any row is invalid and stores none
   * (tabledata.insertAll reference, `skipInvalidRows`), so a refused request is simply sent again with
   * the flag, which stores the valid rows and names the invalid ones.
   */
  private async insert(rows: WarehouseRow[]): Promise<WriteOutcome[]> {
    const request = rows.map((row) => ({ insertId: row.event_id, json: row }));
    const table = this.bigquery.dataset(this.dataset).table(EVENTS_TABLE);
    // Only a refusal of rows (insertErrors in the response) is resent, with the flag, to find which
    // rows. Anything else (the warehouse unreachable, 5xx) throws to the worker's retry policy at once,
    // so outages are counted and backed off there (write_retries), not hidden in a resend.
    if ((await postInsertAll(table, request, false)).length === 0) {
      this.onStored?.(rows);
      return rows.map(() => ({ status: "stored" }));
    }
    const outcomes: WriteOutcome[] = rows.map(() => ({ status: "stored" }));
    for (const failure of await postInsertAll(table, request, true)) {
      if (!Number.isInteger(failure.index) || failure.index < 0 || failure.index >= rows.length)
        throw new Error(
          `bigquery ${this.dataset}.${EVENTS_TABLE} insertAll named row ${failure.index} of ${rows.length}: cannot tell which row was refused`,
        );
      const reason = (failure.errors ?? [])
        .map((e) => `${e.reason ?? "error"}: ${e.message ?? ""}`)
        .join("; ");
      outcomes[failure.index] = { status: "rejected", reason: `bigquery ${reason}` };
    }
    this.onStored?.(rows.filter((_, i) => outcomes[i]?.status === "stored"));
    return outcomes;
  }
}

/** tabledata.insertAll's answer: the refused rows, by index in the request (REST reference). */
interface InsertAllError {
  index: number;
  errors?: { reason?: string; message?: string }[];
}

/**
 * POST tables/{table}/insertAll with the body serialised once, here. `Table.insert` of the Node client
 * deep-copies every row (`extend(true, ...)` in `Table._insert`) and walks the whole body for
 * `{{projectId}}` tokens before serialising it: a CPU profile of the worker at 1,000 events/s had those
 * two at a fifth of its busy time (ADR 0004). `table.request` is the same authenticated, retried request
 * the client makes, with a text body; the response's `insertErrors` name refused rows by index.
 */
async function postInsertAll(
  table: Table,
  rows: { insertId: string; json: WarehouseRow }[],
  skipInvalidRows: boolean,
): Promise<InsertAllError[]> {
  const body = JSON.stringify(skipInvalidRows ? { skipInvalidRows: true, rows } : { rows });
  const [response] = (await table.request({
    method: "POST",
    uri: "/insertAll",
    body,
    headers: { "Content-Type": "application/json" },
  })) as unknown as [{ insertErrors?: InsertAllError[] } | undefined];
  return response?.insertErrors ?? [];
}

export class BigQueryDeadLetterSink implements DeadLetterSink {
  readonly description: string;

  constructor(
    private readonly bigquery: BigQuery,
    private readonly dataset: string,
  ) {
    this.description = `bigquery ${dataset}.${DEAD_LETTER_TABLE}`;
  }

  async write(records: DeadLetterRecord[]): Promise<void> {
    await this.bigquery
      .dataset(this.dataset)
      .table(DEAD_LETTER_TABLE)
      .insert(
        records.map((record) => ({ insertId: `${record.subscription}/${record.message_id}`, json: record })),
        { raw: true },
      );
  }
}

function aggregateSchema(aggregate: AggregateDefinition): TableField[] {
  return aggregate.columns.map((column) => ({ name: column.name, type: column.type, mode: "NULLABLE" }));
}

/** Creates the dataset and every table if missing; safe to run on every start. */
/**
 * Refuses to start on a table an older version created without columns the contract added since (e.g.
 * published_at / processed_at): every insert would fail. In Google Cloud Terraform adds NULLABLE columns in
 * place; the local stand-in (bqemulator) answers later inserts with "An internal error occurred" after a
 * schema patch (seen here), so a kept local table is named with what to do instead of patched.
 */
async function checkColumns(table: Table, fields: TableField[]): Promise<void> {
  const [metadata] = await table.getMetadata();
  const names = new Set(((metadata.schema?.fields ?? []) as TableField[]).map((f) => f.name));
  const missing = fields.filter((f) => !names.has(f.name as string)).map((f) => f.name);
  if (missing.length)
    throw new Error(
      `BigQuery table ${table.dataset.id}.${table.id} lacks column(s) ${missing.join(", ")} of the current contract ` +
        "(created by an older version): delete the local dataset (or the table) and start again; in Google Cloud, apply Terraform",
    );
}

export async function ensureWarehouse(
  bigquery: BigQuery,
  dataset: string,
  aggregates: AggregateDefinition[],
): Promise<void> {
  const ds = bigquery.dataset(dataset);
  const [exists] = await ds.exists();
  if (!exists) await ds.create().catch(ignoreAlreadyExists);
  const tables: { name: string; fields: TableField[]; partitionBy?: string }[] = [
    { name: EVENTS_TABLE, fields: buildEventsTableSchema() as TableField[], partitionBy: "event_time" },
    {
      name: DEAD_LETTER_TABLE,
      fields: buildDeadLetterTableSchema() as TableField[],
      partitionBy: "dead_lettered_at",
    },
    { name: DIRTY_MINUTES_TABLE, fields: [{ name: "minute", type: "TIMESTAMP", mode: "REQUIRED" }] },
    ...[
      ...new Map(aggregates.flatMap((a) => (a.stage ? [a.stage, a] : [a])).map((t) => [t.name, t])).values(),
    ].map((a) => ({ name: a.name, fields: aggregateSchema(a) })),
  ];
  for (const table of tables) {
    const [tableExists] = await ds.table(table.name).exists();
    if (tableExists) {
      await checkColumns(ds.table(table.name), table.fields);
      continue;
    }
    await ds
      .createTable(table.name, {
        schema: { fields: table.fields },
        ...(table.partitionBy ? { timePartitioning: { type: "DAY", field: table.partitionBy } } : {}),
      })
      .catch(ignoreAlreadyExists);
  }
}

function ignoreAlreadyExists(error: unknown): void {
  if ((error as { code?: number }).code === 409) return;
  throw error;
}
