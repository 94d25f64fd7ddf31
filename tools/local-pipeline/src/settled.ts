/**
 * The drain's ground truth: how many messages each worker has settled, counted in its stores, where a
 * Pub/Sub redelivery cannot count twice. Ingestion: raw documents (one per event_id) plus its dead letters
 * (one per message); analytics: distinct event_ids in the warehouse (its insertAll rows repeat on
 * redelivery) plus distinct dead-lettered messages. A run counts from a baseline taken just before the
 * worker starts, so events from earlier runs kept in the stores do not count.
 */
import { createBigQuery, DEAD_LETTER_TABLE, EVENTS_TABLE } from "@shopstream/analytics";
import { MongoClient } from "mongodb";
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
      db.collection(this.names.MONGODB_COLLECTION).countDocuments(),
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
