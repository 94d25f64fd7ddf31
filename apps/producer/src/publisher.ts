/**
 * The publish library a shop backend imports: validates against the contract before publishing,
 * stamps `published_at` (the start of the per-event latency SLI), sets the routing attributes, batches through the Pub/Sub client and bounds what is outstanding so a
 * slow topic applies backpressure instead of growing memory.
 */
import type { PubSub, Topic } from "@google-cloud/pubsub";
import { ATTRIBUTES, formatUtc, SCHEMA_VERSION, type ShopEvent, validateEvent } from "@shopstream/events";

export interface PublisherOptions {
  pubsub: PubSub;
  topic: string;
  /** Client batching (defaults tuned for throughput; Google's defaults are 100 msgs / 1 MiB / 10 ms). */
  batching?: { maxMessages?: number; maxBytes?: number; maxMilliseconds?: number };
  /** Publishes awaiting acknowledgement before publish() waits. */
  maxOutstandingMessages?: number;
  maxOutstandingBytes?: number;
  /** Refuse events that break the contract before they leave the process (default true). */
  validate?: boolean;
  /** Milliseconds since the epoch: the validation clock and the `published_at` stamp (default Date.now). */
  clock?: () => number;
}

export class ContractViolation extends Error {
  constructor(
    readonly eventId: unknown,
    readonly reason: string,
  ) {
    super(`event ${String(eventId)} breaks the event contract: ${reason}`);
    this.name = "ContractViolation";
  }
}

export interface PublishStats {
  published: number;
  failed: number;
  outstanding: number;
}

export class EventPublisher {
  private readonly topic: Topic;
  private outstanding = 0;
  private outstandingBytes = 0;
  private waiters: (() => void)[] = [];
  private readonly maxMessages: number;
  private readonly maxBytes: number;
  readonly stats: PublishStats = { published: 0, failed: 0, outstanding: 0 };
  /** Failures are kept (bounded) with the event they belong to, so nothing is lost silently. */
  readonly failures: { eventId: string; error: string }[] = [];

  constructor(private readonly options: PublisherOptions) {
    this.topic = options.pubsub.topic(options.topic, {
      batching: { maxMessages: 500, maxBytes: 4 * 1024 * 1024, maxMilliseconds: 20, ...options.batching },
    });
    this.maxMessages = options.maxOutstandingMessages ?? 5000;
    this.maxBytes = options.maxOutstandingBytes ?? 64 * 1024 * 1024;
  }

  /**
   * Stamps `published_at` (now, unless the event already carries one: a replay keeps its first publish
   * time, so the delay it suffered counts), validates and publishes one event; resolves once it is handed
   * to the client's batcher. The caller's object is not changed.
   */
  async publish(event: ShopEvent): Promise<void> {
    const nowMs = (this.options.clock ?? Date.now)();
    const stamped: ShopEvent =
      typeof event.published_at === "string" ? event : { ...event, published_at: formatUtc(nowMs) };
    if (this.options.validate !== false) {
      const result = validateEvent(stamped, nowMs);
      if (!result.ok) throw new ContractViolation(event.event_id, result.reason);
    }
    await this.publishRaw(
      Buffer.from(JSON.stringify(stamped)),
      {
        [ATTRIBUTES.eventType]: event.event_type,
        [ATTRIBUTES.schemaVersion]: SCHEMA_VERSION,
      },
      event.event_id,
    );
  }

  /** Publishes bytes as they are (fault injection, replays). */
  async publishRaw(data: Buffer, attributes: Record<string, string>, label = "raw"): Promise<void> {
    // Pub/Sub refuses a message with neither data nor attributes, and with it the whole client batch:
    // refuse it here, alone, instead of failing the events batched beside it.
    if (data.length === 0 && Object.keys(attributes).length === 0) {
      throw new Error(`${label}: a Pub/Sub message needs data or at least one attribute`);
    }
    while (this.outstanding >= this.maxMessages || this.outstandingBytes + data.length > this.maxBytes) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.outstanding++;
    this.outstandingBytes += data.length;
    this.stats.outstanding = this.outstanding;
    this.topic.publishMessage({ data, attributes }).then(
      () => {
        this.stats.published++;
        this.release(data.length);
      },
      (error: Error) => {
        this.stats.failed++;
        if (this.failures.length < 1000) this.failures.push({ eventId: label, error: error.message });
        this.release(data.length);
      },
    );
  }

  private release(bytes: number): void {
    this.outstanding--;
    this.outstandingBytes -= bytes;
    this.stats.outstanding = this.outstanding;
    this.waiters.shift()?.();
  }

  /** Sends what is batched and waits until every publish is acknowledged or failed. */
  async flush(): Promise<PublishStats> {
    // A failed batch rejects flush() too, but each of its messages is already counted in `failures`
    // through its own publish promise: report, don't throw, so the caller sees exactly what was lost.
    await this.topic.flush().catch(() => undefined);
    while (this.outstanding > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    return { ...this.stats };
  }
}
