/** @shopstream/ingestion — Pub/Sub -> MongoDB raw events. */
export { ensureRawStore, MongoDeadLetterSink, RawEventSink, type RawStoreNames } from "./mongo";
export { toRawDocument } from "./transform";
export { type IngestionWorkerOptions, startIngestionWorker } from "./worker";
