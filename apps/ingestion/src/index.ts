/** @shopstream/ingestion — Pub/Sub -> MongoDB raw events. */
export { ensureRawStore, MongoDeadLetterSink, RawEventSink, type RawStoreNames } from "./mongo";
export { toRawDocument } from "@shopstream/transforms";
export { type IngestionWorkerOptions, startIngestionWorker } from "./worker";
