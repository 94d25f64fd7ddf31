/**
 * MongoDB side of ingestion: the raw-events sink (unordered insertMany keyed by _id, so a redelivered
 * or republished event is a duplicate-key no-op), the dead-letter sink, and idempotent provisioning.
 */
import type { DeadLetterRecord, DeadLetterSink, Sink, WriteOutcome } from "@shopstream/worker";
import { type Collection, type Db, type Document, MongoBulkWriteError, type MongoClient } from "mongodb";

const DUPLICATE_KEY = 11000;

export class RawEventSink implements Sink<Document> {
  readonly description: string;

  constructor(private readonly collection: Collection<Document>) {
    this.description = `mongodb ${collection.dbName}.${collection.collectionName}`;
  }

  async write(documents: Document[]): Promise<WriteOutcome[]> {
    const outcomes: WriteOutcome[] = documents.map(() => ({ status: "stored" }));
    try {
      await this.collection.insertMany(documents, { ordered: false });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error; // unreachable store etc.: the loop retries
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      // A write concern error or a bulk error without per-document detail: retry the batch (idempotent).
      if (writeErrors.length === 0) throw error;
      for (const writeError of writeErrors) {
        outcomes[writeError.index] =
          writeError.code === DUPLICATE_KEY
            ? { status: "duplicate" }
            : {
                status: "rejected",
                reason: `mongodb error ${writeError.code}: ${writeError.errmsg ?? "unknown"}`,
              };
      }
    }
    return outcomes;
  }
}

/** A dead-letter record as stored: keyed by subscription/message so a redelivery is recorded once. */
export type DeadLetterDocument = Omit<DeadLetterRecord, "publish_time" | "dead_lettered_at"> & {
  _id: string;
  publish_time: Date | null;
  dead_lettered_at: Date;
};

export class MongoDeadLetterSink implements DeadLetterSink {
  readonly description: string;

  constructor(private readonly collection: Collection<DeadLetterDocument>) {
    this.description = `mongodb ${collection.dbName}.${collection.collectionName}`;
  }

  async write(records: DeadLetterRecord[]): Promise<void> {
    const documents = records.map(
      (record): DeadLetterDocument => ({
        _id: `${record.subscription}/${record.message_id}`,
        ...record,
        publish_time: record.publish_time ? new Date(record.publish_time) : null,
        dead_lettered_at: new Date(record.dead_lettered_at),
      }),
    );
    try {
      await this.collection.insertMany(documents, { ordered: false });
    } catch (error) {
      // A redelivered poison message is already recorded: only duplicate keys are acceptable here.
      if (error instanceof MongoBulkWriteError) {
        const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
        if (writeErrors.length > 0 && writeErrors.every((e) => e.code === DUPLICATE_KEY)) return;
      }
      throw error;
    }
  }
}

export interface RawStoreNames {
  database: string;
  collection: string;
  deadLetterCollection: string;
}

/** Creates the collections and their indexes if missing; safe to run on every start. */
export async function ensureRawStore(client: MongoClient, names: RawStoreNames): Promise<Db> {
  const db = client.db(names.database);
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of [names.collection, names.deadLetterCollection]) {
    if (!existing.has(name)) await db.createCollection(name);
  }
  await db.collection(names.collection).createIndex({ event_ts: 1 }, { name: "event_ts" });
  await db
    .collection(names.collection)
    .createIndex({ event_type: 1, event_ts: 1 }, { name: "event_type_event_ts" });
  // the latency SLI reads each minute of processing (apps/reconciler export-slis)
  await db.collection(names.collection).createIndex({ processed_at: 1 }, { name: "processed_at" });
  await db
    .collection(names.deadLetterCollection)
    .createIndex({ dead_lettered_at: 1 }, { name: "dead_lettered_at" });
  return db;
}
