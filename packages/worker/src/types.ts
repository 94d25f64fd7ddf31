/** What a worker plugs into the shared loop: a store for valid events and one for refused ones. */
import type { DeadLetterRecord } from "@shopstream/events";

/** Per-item result of a store write. */
export type WriteOutcome =
  | { status: "stored" }
  | { status: "duplicate" }
  | { status: "rejected"; reason: string };

export interface Sink<T> {
  /** Human-readable target for logs, e.g. "mongodb shopstream.events". */
  readonly description: string;
  /**
   * Writes a batch. Resolves with one outcome per item, in order. Rejects only when the store could not
   * be reached or refused the whole batch: the loop then retries the batch with backoff.
   */
  write(items: T[]): Promise<WriteOutcome[]>;
}

/** A refused message, kept whole; the shape is the contract's (`@shopstream/events`, beside its columns). */
export type { DeadLetterRecord };

export interface DeadLetterSink {
  readonly description: string;
  /** Idempotent per (subscription, message_id): a redelivered poison message is recorded once. */
  write(records: DeadLetterRecord[]): Promise<void>;
}

/** The slice of a Pub/Sub message the loop needs (lets tests drive it without an emulator). */
export interface InboundMessage {
  id: string;
  data: Buffer;
  attributes: Record<string, string>;
  publishTime: Date;
  ack(): void;
  nack(): void;
}
