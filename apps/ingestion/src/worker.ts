/** Assembles the ingestion worker: Pub/Sub subscription -> toRawDocument -> MongoDB raw events. */
import type { PubSub } from "@google-cloud/pubsub";
import { parseRfc3339 } from "@shopstream/events";
import type { Logger, StageMetrics } from "@shopstream/telemetry";
import { toRawDocument } from "@shopstream/transforms";
import { type RunningWorker, resolveTuning, startSubscriber, type WorkerTuning } from "@shopstream/worker";
import { BSON, type MongoClient } from "mongodb";
import {
  type DeadLetterDocument,
  ensureRawStore,
  MongoDeadLetterSink,
  RawEventSink,
  type RawStoreNames,
} from "./mongo";

export interface IngestionWorkerOptions extends RawStoreNames, Partial<WorkerTuning> {
  pubsub: PubSub;
  mongo: MongoClient;
  subscription: string;
  metrics: StageMetrics;
  logger: Logger;
}

export async function startIngestionWorker(options: IngestionWorkerOptions): Promise<RunningWorker> {
  const db = await ensureRawStore(options.mongo, options);
  return startSubscriber({
    pubsub: options.pubsub,
    subscriptionName: options.subscription,
    transform: toRawDocument,
    // Canonical extended JSON -> BSON types (Decimal128, Date), as the Dataflow template does.
    decode: (output) => BSON.EJSON.parse(output, { relaxed: true }) as Record<string, unknown>,
    // kept as sent, any RFC 3339 offset (validated by the transform)
    publishedAtMs: (document) =>
      typeof document.published_at === "string"
        ? (parseRfc3339(document.published_at)?.epochMs ?? Number.NaN)
        : null,
    sink: new RawEventSink(db.collection(options.collection)),
    deadLetters: new MongoDeadLetterSink(db.collection<DeadLetterDocument>(options.deadLetterCollection)),
    metrics: options.metrics,
    logger: options.logger,
    ...resolveTuning(options),
  });
}
