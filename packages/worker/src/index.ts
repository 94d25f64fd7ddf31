/** @shopstream/worker — the streaming loop shared by the ingestion and analytics workers. */
export { type LoopOptions, WorkerLoop } from "./loop";
export { backoffDelay, DEFAULT_RETRY, type RetryPolicy, sleep } from "./retry";
export { drainOnSignals, type RunningWorker, type SubscriberOptions, startSubscriber } from "./subscriber";
export { DEFAULT_TUNING, resolveTuning, type WorkerTuning } from "./tuning";
export type { DeadLetterRecord, DeadLetterSink, InboundMessage, Sink, WriteOutcome } from "./types";
