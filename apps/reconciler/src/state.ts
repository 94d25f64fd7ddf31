/**
 * The reconciliation's memory: an append-only BigQuery table with one row per reconciled window and
 * deployment. The watermark is the latest window end; re-running a window appends the same values again
 * (harmless: readers take the latest row per window), and the table doubles as the audit trail an
 * operator queries to see what was missing when. BigQuery rather than MongoDB: the job needs no write
 * access to the store it checks, and DML INSERT (not streaming) keeps the rows immediately consistent.
 */
import type { BigQuery, TableField } from "@google-cloud/bigquery";
import stateSchema from "../state-schema.json";
import type { Window } from "./windows";

/** The state table's schema, read by Terraform too (terraform/modules/jobs, `state_table_schema_json`). */
export const STATE_TABLE_SCHEMA: TableField[] = stateSchema as TableField[];

export interface WindowResult {
  window: Window;
  missing: { mongodb: number; bigquery: number };
  deadLettered: { mongodb: number; bigquery: number };
  /** event_ids for replay: missing in MongoDB (bounded), missing in BigQuery (bounded). */
  sample: { mongodb: string[]; bigquery: string[] };
}

function timestampMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const raw =
    typeof value === "object" && "value" in (value as object) ? (value as { value: unknown }).value : value;
  const ms = raw instanceof Date ? raw.getTime() : Date.parse(String(raw));
  if (!Number.isFinite(ms))
    throw new Error(`the state table returned an unreadable timestamp ${String(raw)}`);
  return ms;
}

/** The state table of one deployment. `qualifiedTable` is `dataset.table` or `project.dataset.table`. */
export class ReconciliationState {
  constructor(
    private readonly bigquery: BigQuery,
    private readonly qualifiedTable: string,
    private readonly deployment: string,
  ) {}

  /** Creates the table when it does not exist (local runs; in Google Cloud Terraform creates it). */
  async ensure(): Promise<void> {
    const parts = this.qualifiedTable.split(".");
    const [datasetId, tableId] = parts.slice(-2) as [string, string];
    const dataset = this.bigquery.dataset(datasetId);
    try {
      const [exists] = await dataset.table(tableId).exists();
      if (!exists) await dataset.createTable(tableId, { schema: { fields: STATE_TABLE_SCHEMA } });
    } catch (error) {
      throw new Error(`creating the state table ${this.qualifiedTable} failed: ${String(error)}`);
    }
  }

  /** End of the last reconciled window, or null when this deployment never ran. */
  async watermark(): Promise<number | null> {
    const [[row]] = await this.bigquery
      .query({
        query: `SELECT MAX(window_end) AS watermark FROM \`${this.qualifiedTable}\` WHERE deployment = @deployment`,
        params: { deployment: this.deployment },
      })
      .catch((error: unknown) => {
        throw new Error(
          `reading the watermark of ${this.deployment} from ${this.qualifiedTable} failed (does the table exist, ` +
            `and may this identity read it?): ${String(error)}`,
        );
      });
    return timestampMs((row as { watermark?: unknown } | undefined)?.watermark);
  }

  /** Appends one window's result (DML INSERT: visible to the next run at once, unlike streaming). */
  async record(result: WindowResult, nowMs: number): Promise<void> {
    await this.bigquery.query({
      query:
        `INSERT INTO \`${this.qualifiedTable}\` (deployment, window_start, window_end, missing_mongodb, ` +
        "missing_bigquery, dead_lettered_mongodb, dead_lettered_bigquery, missing_sample, reconciled_at) " +
        "VALUES (@deployment, @start, @end, @missing_mongodb, @missing_bigquery, @dead_mongodb, @dead_bigquery, " +
        "@sample, @now)",
      params: {
        deployment: this.deployment,
        start: new Date(result.window.startMs),
        end: new Date(result.window.endMs),
        missing_mongodb: result.missing.mongodb,
        missing_bigquery: result.missing.bigquery,
        dead_mongodb: result.deadLettered.mongodb,
        dead_bigquery: result.deadLettered.bigquery,
        sample: JSON.stringify(result.sample),
        now: new Date(nowMs),
      },
    });
  }
}
