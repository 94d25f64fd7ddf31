/** @shopstream/ingestion — Pub/Sub -> MongoDB raw events. */

export { toRawDocument } from "@shopstream/transforms";
export { ensureRawStore, MongoDeadLetterSink, RawEventSink, type RawStoreNames } from "./mongo";
export { type IngestionWorkerOptions, startIngestionWorker } from "./worker";
