/**
 * The BigQuery Storage Write API ceiling on the stand-in (bqemulator serves it over gRPC at the REST port
 * + 10): a COMMITTED stream with explicit offsets (the exactly-once mode the production template uses),
 * 500 rows per append, through `@google-cloud/bigquery-storage`'s JSONWriter.
 *
 * bqemulator 1.4.0 cannot take the `events` table through it: its Storage Write servicer builds the target
 * Arrow schema without the sub-fields of RECORD columns (grpc_api/write_servicer.py, _table_arrow_schema),
 * so the repeated `items` record fails with DuckDB's "Attempted to convert a STRUCT with no fields". The
 * ceiling is therefore measured on the `events` columns without `items`, and says so.
 */

import type { BigQuery, TableField } from "@google-cloud/bigquery";
import { adapt, managedwriter } from "@google-cloud/bigquery-storage";
import { credentials } from "@grpc/grpc-js";
import { buildEventsTableSchema } from "@shopstream/events";

export const STORAGE_WRITE_NOTE =
  "events columns without the repeated `items` record: bqemulator 1.4.0's Storage Write servicer drops RECORD sub-fields";

export interface StorageWriteTarget {
  bigquery: BigQuery;
  projectId: string;
  grpcHost: string;
  grpcPort: number;
  dataset: string;
}

/** Appends `rows` (warehouse rows) in batches of 500 with offsets; returns rows per second. */
export async function measureStorageWrite(
  target: StorageWriteTarget,
  rows: Record<string, unknown>[],
): Promise<{ seconds: number; rows: number }> {
  const fields = (buildEventsTableSchema() as TableField[]).filter((f) => f.name !== "items");
  const table = "events_storage_write";
  await target.bigquery.dataset(target.dataset).createTable(table, { schema: { fields } });
  const client = new managedwriter.WriterClient({
    apiEndpoint: target.grpcHost,
    port: target.grpcPort,
    sslCreds: credentials.createInsecure(),
    projectId: target.projectId,
  });
  const storageSchema = adapt.convertBigQuerySchemaToStorageTableSchema({ fields });
  const protoDescriptor = adapt.convertStorageSchemaToProto2Descriptor(storageSchema, "root");
  const destinationTable = `projects/${target.projectId}/datasets/${target.dataset}/tables/${table}`;
  const streamId = await client.createWriteStream({
    streamType: managedwriter.CommittedStream,
    destinationTable,
  });
  const connection = await client.createStreamConnection({ streamId });
  const writer = new managedwriter.JSONWriter({ connection, protoDescriptor });
  // The JSONWriter encodes a TIMESTAMP from a Date (or epoch micros), not from the RFC 3339 text the row
  // carries: a string there reaches Long.fromString and fails ("interior hyphen").
  const timestamps = fields.filter((f) => f.type === "TIMESTAMP").map((f) => f.name as string);
  const encoded = rows.map(({ items: _items, ...row }) => {
    const out: Record<string, unknown> = { ...row };
    for (const name of timestamps)
      if (typeof out[name] === "string") out[name] = new Date(out[name] as string);
    return out;
  });
  const started = process.hrtime.bigint();
  try {
    for (let offset = 0; offset < encoded.length; offset += 500) {
      const result = await writer
        .appendRows(
          encoded.slice(offset, offset + 500) as Parameters<managedwriter.JSONWriter["appendRows"]>[0],
          offset,
        )
        .getResult();
      if (result.error || (result.rowErrors?.length ?? 0) > 0)
        throw new Error(
          `Storage Write append at offset ${offset} failed: ${JSON.stringify(result.error ?? result.rowErrors).slice(0, 500)}`,
        );
    }
  } finally {
    writer.close();
    client.close();
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rows: encoded.length };
}
