/**
 * The worker loop: messages -> batches -> transform -> store -> dead letters -> ack.
 *
 * Guarantees (each one has a test):
 *  - a message is acked only after the store acknowledged its write (or its dead-letter record);
 *  - every message ends stored, dead-lettered with a reason, or unacked for redelivery: none is dropped;
 *  - a store outage stalls the loop (batches retry with backoff, leases are extended by the client),
 *    it never turns valid events into dead letters;
 *  - stop() drains: intake stops, buffered and in-flight batches finish, then it resolves.
 */
import { type Logger, type StageMetrics, stampLatencyMs } from "@shopstream/telemetry";
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy, sleep } from "./retry";
import type { DeadLetterRecord, DeadLetterSink, InboundMessage, Sink } from "./types";

export interface LoopOptions<T> {
  /** Subscription name, recorded in dead letters. */
  subscription: string;
  /** The pure transform (the UDF's body): payload text -> output text; throws the dead-letter reason. */
  transform(payload: string, nowMs: number): string;
  /** Output text -> what the sink writes (EJSON.parse for MongoDB, JSON.parse for BigQuery). */
  decode(output: string): T;
  /**
   * The stored item's published_at (epoch ms; null when the publisher did not stamp it): with it, every
   * event stored records processed_at - published_at in `metrics.sliLatency`, the latency SLI's definition
   * (processed_at = the clock the transform was given).
   */
  publishedAtMs?(item: T): number | null;
  sink: Sink<T>;
  deadLetters: DeadLetterSink;
  metrics: StageMetrics;
  logger: Logger;
  batchSize: number;
  batchWaitMs: number;
  maxConcurrentBatches: number;
  retry?: RetryPolicy;
  /** How long stop() keeps retrying an unreachable store before nacking what is left. */
  drainTimeoutMs: number;
  clock?: () => number;
}

interface Prepared<T> {
  /** The clock given to the transform: the items' processed_at. */
  processedAt: number;
  valid: { message: InboundMessage; item: T }[];
  refused: { message: InboundMessage; reason: string }[];
}

// ignoreBOM keeps a leading U+FEFF in the text, as the Dataflow templates do, so a BOM-prefixed payload is
// refused ("not valid JSON") here exactly as in production instead of being silently accepted.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export class WorkerLoop<T> {
  private buffer: InboundMessage[] = [];
  private oldestBufferedAt = 0;
  private active = 0;
  private stopping = false;
  private drainDeadline = Number.POSITIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private readonly retry: RetryPolicy;
  private readonly clock: () => number;

  constructor(private readonly options: LoopOptions<T>) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.clock = options.clock ?? Date.now;
    this.timer = setInterval(() => this.pump(), Math.max(5, Math.floor(options.batchWaitMs / 2)));
    this.timer.unref();
  }

  /** Hand a message to the loop (the subscription's 'message' handler). */
  accept(message: InboundMessage): void {
    this.options.metrics.add("received");
    if (this.stopping) {
      message.nack();
      this.options.metrics.add("nacked");
      return;
    }
    if (this.buffer.length === 0) this.oldestBufferedAt = this.clock();
    this.buffer.push(message);
    if (this.buffer.length >= this.options.batchSize) this.pump();
  }

  get inFlight(): number {
    return this.buffer.length + this.active * this.options.batchSize;
  }

  /** Stop intake, finish buffered and in-flight work (bounded by drainTimeoutMs), then resolve. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.drainDeadline = this.clock() + this.options.drainTimeoutMs;
    this.pump();
    await this.idle();
    if (this.timer) clearInterval(this.timer);
  }

  private idle(): Promise<void> {
    if (this.active === 0 && this.buffer.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    const { batchSize, batchWaitMs, maxConcurrentBatches } = this.options;
    while (this.buffer.length > 0 && this.active < maxConcurrentBatches) {
      const due =
        this.stopping ||
        this.buffer.length >= batchSize ||
        this.clock() - this.oldestBufferedAt >= batchWaitMs;
      if (!due) break;
      const batch = this.buffer.splice(0, batchSize);
      this.oldestBufferedAt = this.clock();
      this.active++;
      this.process(batch)
        .catch((error) => {
          // process() handles its own failures; reaching here is a bug: leave the batch for redelivery.
          this.options.logger.error("batch failed unexpectedly; messages nacked for redelivery", {
            error: String(error),
          });
          for (const message of batch) message.nack();
          this.options.metrics.add("nacked", batch.length);
        })
        .finally(() => {
          this.active--;
          this.pump();
          if (this.active === 0 && this.buffer.length === 0) {
            for (const resolve of this.idleWaiters.splice(0)) resolve();
          }
        });
    }
  }

  private prepare(batch: InboundMessage[]): Prepared<T> {
    const now = this.clock();
    const prepared: Prepared<T> = { processedAt: now, valid: [], refused: [] };
    for (const message of batch) {
      let text: string;
      try {
        text = utf8.decode(message.data);
      } catch {
        prepared.refused.push({ message, reason: "payload: not valid UTF-8" });
        continue;
      }
      try {
        prepared.valid.push({ message, item: this.options.decode(this.options.transform(text, now)) });
      } catch (error) {
        prepared.refused.push({ message, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return prepared;
  }

  private recordSliLatency(item: T, processedAt: number): void {
    const publishedAtMs = this.options.publishedAtMs;
    if (!publishedAtMs) return;
    const ms = stampLatencyMs(publishedAtMs(item), processedAt);
    if (ms === "unmeasured") this.options.metrics.add("latency_unmeasured");
    else if (ms === "invalid") this.options.metrics.add("latency_invalid");
    else this.options.metrics.sliLatency.record(ms);
  }

  /** Runs `call` until it succeeds; gives up (returns false) only while draining past the deadline. */
  private async retrying(what: string, call: () => Promise<void>): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await call();
        return true;
      } catch (error) {
        this.options.metrics.add("write_retries");
        if (this.stopping && this.clock() >= this.drainDeadline) {
          this.options.logger.error(
            `${what} still failing at the drain deadline; batch nacked for redelivery`,
            {
              error: String(error),
            },
          );
          return false;
        }
        const delay = backoffDelay(attempt, this.retry);
        if (attempt === 0 || attempt % 10 === 0) {
          this.options.logger.warn(`${what} failed; retrying (attempt ${attempt + 1}) in ${delay} ms`, {
            error: error instanceof Error ? error.message : String(error),
          });
        }
        await sleep(delay);
      }
    }
  }

  private deadLetterRecord(message: InboundMessage, reason: string): DeadLetterRecord {
    let payload: string;
    let encoding: DeadLetterRecord["payload_encoding"] = "utf8";
    try {
      payload = utf8.decode(message.data);
    } catch {
      payload = message.data.toString("base64");
      encoding = "base64";
    }
    return {
      message_id: message.id,
      subscription: this.options.subscription,
      reason,
      payload,
      payload_encoding: encoding,
      attributes: JSON.stringify(message.attributes ?? {}),
      publish_time: message.publishTime ? message.publishTime.toISOString() : null,
      dead_lettered_at: new Date(this.clock()).toISOString(),
    };
  }

  private async process(batch: InboundMessage[]): Promise<void> {
    const { metrics, sink, deadLetters } = this.options;
    const { valid, refused, processedAt } = this.prepare(batch);
    let stored: InboundMessage[] = [];

    if (valid.length > 0) {
      let outcomes: Awaited<ReturnType<Sink<T>["write"]>> = [];
      const ok = await this.retrying(`write to ${sink.description}`, async () => {
        outcomes = await sink.write(valid.map((v) => v.item));
      });
      if (!ok) {
        for (const message of batch) message.nack();
        metrics.add("nacked", batch.length);
        return;
      }
      stored = [];
      outcomes.forEach((outcome, index) => {
        const entry = valid[index];
        if (!entry) return;
        if (outcome.status === "rejected")
          refused.push({ message: entry.message, reason: `store refused: ${outcome.reason}` });
        else {
          stored.push(entry.message);
          metrics.add(outcome.status === "duplicate" ? "duplicates" : "stored");
          // a duplicate left the first write's stamps in the store: only fresh writes are measured
          if (outcome.status !== "duplicate") this.recordSliLatency(entry.item, processedAt);
        }
      });
    }

    if (refused.length > 0) {
      const records = refused.map((r) => this.deadLetterRecord(r.message, r.reason));
      const ok = await this.retrying(`write to ${deadLetters.description}`, () => deadLetters.write(records));
      if (!ok) {
        // Valid events are stored already: ack those; the refused ones come back and are refused again.
        for (const r of refused) r.message.nack();
        metrics.add("nacked", refused.length);
        refused.length = 0;
      } else {
        metrics.add("dead_lettered", refused.length);
        for (const r of refused) r.message.ack();
      }
    }

    const now = this.clock();
    for (const message of stored) {
      message.ack();
      metrics.latency.record(now - message.publishTime.getTime());
    }
    metrics.add("acked", stored.length + refused.length);
    metrics.add("batches");
  }
}
