/**
 * The drain's ground truth: how many messages each worker has settled, counted in its stores, where a
 * Pub/Sub redelivery cannot count twice. Ingestion: raw documents (one per event_id) plus its dead letters
 * (one per message); analytics: distinct event_ids in the warehouse (its insertAll rows repeat on
 * redelivery) plus distinct dead-lettered messages. A run counts from a baseline taken just before the
 * worker starts, so events from earlier runs kept in the stores do not count.
 *
 * The raw collection is counted with `$collStats: { count: {} }`, not `countDocuments()`: on FerretDB's SQLite
 * handler every count form decodes every document (60-65 s at 656,737 raw events after the 10-minute soak,
 * longer than the drain's 30 s target), while `$collStats` sums the cells of the table's leaf pages
 * (`SELECT SUM(ncell) FROM dbstat WHERE name = <table> AND pagetype = 'leaf'`; FerretDB/FerretDB@cda72d4
 * (v1.24.2) internal/handler/msg_aggregate.go processStagesStats -> internal/backends/sqlite/sqlite.go
 * collectionsStats). A collection is one rowid table with one row per document (internal/backends/sqlite/
 * metadata/registry.go, CREATE TABLE ... STRICT), so that sum is the exact document count (overflow pages are
 * not leaf pages; upstream's comment calls it an approximation, but the leaf filter is upstream's own fix for an
 * inexact count, FerretDB/FerretDB#3355 / 8c9b681, whose integration test expects the exact count:
 * integration/commands_administration_test.go TestCommandsAdministrationCollStatsCount) — checked against
 * countDocuments in test/settled.int.test.ts; 200,000 documents: 3.8 s vs
 * 0.15 s. On a real MongoDB the same stage reads the collection's metadata count (fast; it can drift after an
 * unclean shutdown), which is why the local path may use it but nothing in production does.
 */
import { createBigQuery, DEAD_LETTER_TABLE, EVENTS_TABLE } from "@shopstream/analytics";
import { type Collection, type Document, MongoClient } from "mongodb";
import type { Backlog } from "./drain";

export type WorkerName = keyof Backlog;

export interface LedgerNames {
  MONGODB_DATABASE: string;
  MONGODB_COLLECTION: string;
  MONGODB_DEADLETTER_COLLECTION: string;
  BIGQUERY_DATASET: string;
  INGESTION_SUBSCRIPTION: string;
  ANALYTICS_SUBSCRIPTION: string;
}

export interface LedgerConnection {
  MONGODB_URI: string;
  GOOGLE_CLOUD_PROJECT: string;
  BIGQUERY_EMULATOR_HOST?: string;
}

/** A table the worker has not created yet holds nothing; any other failure must not read as a count. */
const isNotFound = (error: unknown) =>
  (error as { code?: unknown }).code === 404 || /not found/i.test(String((error as Error)?.message));

/** MongoDB's NamespaceNotFound: `$collStats` on a collection the worker has not created yet. */
const NAMESPACE_NOT_FOUND = 26;

/** Documents in a collection from its storage statistics (see the header: exact on FerretDB/SQLite, fast). */
export async function collectionCount<T extends Document>(collection: Collection<T>): Promise<number> {
  try {
    const [stats] = await collection
      .aggregate<{ count?: unknown }>([{ $collStats: { count: {} } }])
      .toArray();
    const count = Number(stats?.count);
    if (!Number.isSafeInteger(count) || count < 0)
      throw new Error(
        `$collStats gave no document count for ${collection.namespace}: ${JSON.stringify(stats)}`,
      );
    return count;
  } catch (error) {
    if ((error as { code?: unknown }).code === NAMESPACE_NOT_FOUND) return 0;
    throw error;
  }
}

/** A subscription name inside a SQL string literal: Pub/Sub names never need quoting, so refuse any that would. */
function subscriptionLiteral(name: string): string {
  if (!/^[\w.~+%-]+$/.test(name))
    throw new Error(`subscription name ${JSON.stringify(name)} is not a Pub/Sub name`);
  return name;
}

export class StoreLedger {
  private mongo: MongoClient | undefined;
  private bigquery: ReturnType<typeof createBigQuery> | undefined;
  private readonly baseline: Partial<Backlog> = {};

  constructor(
    private readonly connection: LedgerConnection,
    private readonly names: LedgerNames,
  ) {}

  /** Messages settled by `worker` in the stores, all runs together. */
  async settled(worker: WorkerName): Promise<number> {
    return worker === "ingestion" ? this.settledInMongo() : this.settledInWarehouse();
  }

  /** Call once the worker's store runs and before the worker starts: this run counts from here. */
  async takeBaseline(worker: WorkerName): Promise<void> {
    this.baseline[worker] = await this.settled(worker);
  }

  /**
   * Messages of this run not yet settled per worker: `expected` (every message published but duplicate
   * publishes of an event already published) minus what the stores gained since the baseline. A worker
   * without a baseline (never started) has settled nothing.
   */
  async unsettled(expected: number): Promise<Backlog> {
    const left = async (worker: WorkerName) => {
      const baseline = this.baseline[worker];
      if (baseline === undefined) return expected;
      return Math.max(0, expected - ((await this.settled(worker)) - baseline));
    };
    const [ingestion, analytics] = await Promise.all([left("ingestion"), left("analytics")]);
    return { ingestion, analytics };
  }

  async close(): Promise<void> {
    await this.mongo?.close();
  }

  private async settledInMongo(): Promise<number> {
    this.mongo ??= new MongoClient(this.connection.MONGODB_URI);
    const db = this.mongo.db(this.names.MONGODB_DATABASE);
    const [events, deadLetters] = await Promise.all([
      collectionCount(db.collection(this.names.MONGODB_COLLECTION)),
      db
        .collection(this.names.MONGODB_DEADLETTER_COLLECTION)
        .countDocuments({ subscription: this.names.INGESTION_SUBSCRIPTION }),
    ]);
    return events + deadLetters;
  }

  private async settledInWarehouse(): Promise<number> {
    this.bigquery ??= createBigQuery({
      projectId: this.connection.GOOGLE_CLOUD_PROJECT,
      emulatorHost: this.connection.BIGQUERY_EMULATOR_HOST,
      location: "US",
    });
    const bigquery = this.bigquery;
    const dataset = this.names.BIGQUERY_DATASET;
    const count = (query: string) =>
      bigquery
        .query({ query })
        .then(([rows]) => Number((rows[0] as { n: number }).n))
        .catch((error: unknown) => {
          if (isNotFound(error)) return 0;
          throw error;
        });
    const [events, deadLetters] = await Promise.all([
      count(`SELECT COUNT(DISTINCT event_id) AS n FROM \`${dataset}.${EVENTS_TABLE}\``),
      count(
        `SELECT COUNT(DISTINCT message_id) AS n FROM \`${dataset}.${DEAD_LETTER_TABLE}\` WHERE subscription = '${subscriptionLiteral(this.names.ANALYTICS_SUBSCRIPTION)}'`,
      ),
    ]);
    return events + deadLetters;
  }
}
