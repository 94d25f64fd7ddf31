import { createLogger, StageMetrics } from "@shopstream/telemetry";
import { type DeadLetterRecord, type InboundMessage, type Sink, WorkerLoop, type WriteOutcome } from "../src";

process.env.LOG_LEVEL = "error";

interface FakeMessage extends InboundMessage {
  acked: number;
  nacked: number;
}

function message(id: string, payload: string | Buffer): FakeMessage {
  const m: FakeMessage = {
    id,
    data: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
    attributes: { event_type: "test" },
    publishTime: new Date(Date.now() - 50),
    acked: 0,
    nacked: 0,
    ack() {
      m.acked++;
    },
    nack() {
      m.nacked++;
    },
  };
  return m;
}

class MemorySink implements Sink<{ id: string }> {
  description = "memory";
  stored: string[] = [];
  failuresLeft = 0;
  refuse = new Set<string>();
  async write(items: { id: string }[]): Promise<WriteOutcome[]> {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error("store unavailable");
    }
    return items.map((item) => {
      if (this.refuse.has(item.id)) return { status: "rejected", reason: "too big" };
      if (this.stored.includes(item.id)) return { status: "duplicate" };
      this.stored.push(item.id);
      return { status: "stored" };
    });
  }
}

function setup(overrides: Partial<ConstructorParameters<typeof WorkerLoop<{ id: string }>>[0]> = {}) {
  const sink = new MemorySink();
  const deadLetters: DeadLetterRecord[] = [];
  const metrics = new StageMetrics("test");
  const loop = new WorkerLoop<{ id: string }>({
    subscription: "sub",
    transform: (payload) => {
      if (payload.startsWith("bad")) throw new Error(`refused: ${payload}`);
      return JSON.stringify({ id: payload });
    },
    decode: (output) => JSON.parse(output),
    sink,
    deadLetters: { description: "dl", write: async (records) => void deadLetters.push(...records) },
    metrics,
    logger: createLogger("test"),
    batchSize: 3,
    batchWaitMs: 10,
    maxConcurrentBatches: 2,
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    drainTimeoutMs: 1000,
    ...overrides,
  });
  return { sink, deadLetters, metrics, loop };
}

describe("WorkerLoop", () => {
  it("stores valid events, dead-letters refused ones with reasons, and acks each exactly once", async () => {
    const { sink, deadLetters, metrics, loop } = setup();
    const messages = [
      message("1", "a"),
      message("2", "bad-1"),
      message("3", "b"),
      message("4", Buffer.from([0xff, 0xfe, 0x41])),
      message("5", "a"),
    ];
    for (const m of messages) loop.accept(m);
    await loop.stop();
    expect(sink.stored).toEqual(["a", "b"]);
    expect(deadLetters.map((d) => [d.message_id, d.reason, d.payload_encoding])).toEqual([
      ["2", "refused: bad-1", "utf8"],
      ["4", "payload: not valid UTF-8", "base64"],
    ]);
    expect(deadLetters[1]?.payload).toBe(Buffer.from([0xff, 0xfe, 0x41]).toString("base64"));
    expect(deadLetters[0]?.attributes).toBe('{"event_type":"test"}');
    expect(messages.map((m) => [m.acked, m.nacked])).toEqual(messages.map(() => [1, 0]));
    expect(metrics.counters).toMatchObject({
      received: 5,
      stored: 2,
      duplicates: 1,
      dead_lettered: 2,
      acked: 5,
    });
    expect(metrics.latency.count).toBe(3);
  });

  it("records the latency SLI of each fresh write as processed_at - published_at, with the transform's clock", async () => {
    type Stamped = { id: string; published: number | null };
    const { sink, metrics, loop } = setup({
      clock: () => 100_000,
      // payload "id@publishedMs" ("id@-" for an event without published_at)
      transform: (payload, nowMs) => {
        const [id, published] = payload.split("@");
        return JSON.stringify({ id, published: published === "-" ? null : Number(published), nowMs });
      },
      publishedAtMs: (item) => (item as Stamped).published,
    });
    for (const [i, payload] of ["a@97500", "b@-", "a@97500", "c@101500", "d@100400"].entries())
      loop.accept(message(String(i), payload));
    await loop.stop();
    expect(sink.stored).toEqual(["a", "b", "c", "d"]);
    // a: 2.5 s; the duplicate of a is not measured again (the store keeps the first write's stamps);
    // b: no published_at; c: published 1.5 s after processing (invalid); d: 0.4 s ahead, within the skew (0 s)
    expect(metrics.sliLatency.count).toBe(2);
    expect(metrics.sliLatency.fractionAtOrBelow(0)).toBe(0.5);
    expect(metrics.sliLatency.fractionAtOrBelow(2000)).toBe(0.5);
    expect(metrics.sliLatency.fractionAtOrBelow(2600)).toBe(1);
    expect(metrics.counters).toMatchObject({ latency_unmeasured: 1, latency_invalid: 1, duplicates: 1 });
  });

  it("hands a byte-order mark to the transform, as the Dataflow templates do", async () => {
    const { sink, loop } = setup();
    loop.accept(message("1", Buffer.from("\ufeffa", "utf8")));
    await loop.stop();
    expect(sink.stored).toEqual(["\ufeffa"]);
  });

  it("retries a store outage and acks only after the write succeeded", async () => {
    const { sink, loop, metrics } = setup();
    sink.failuresLeft = 4;
    const m = message("1", "a");
    loop.accept(m);
    await new Promise((r) => setTimeout(r, 5));
    expect(m.acked).toBe(0);
    await loop.stop();
    expect(sink.stored).toEqual(["a"]);
    expect(m.acked).toBe(1);
    expect(metrics.get("write_retries")).toBe(4);
  });

  it("dead-letters items the store refuses, keeping the store's reason", async () => {
    const { sink, loop, deadLetters } = setup();
    sink.refuse.add("huge");
    loop.accept(message("1", "huge"));
    loop.accept(message("2", "ok"));
    await loop.stop();
    expect(sink.stored).toEqual(["ok"]);
    expect(deadLetters.map((d) => d.reason)).toEqual(["store refused: too big"]);
  });

  it("nacks, never drops, when the store is still down at the drain deadline", async () => {
    const { sink, loop, metrics } = setup({ drainTimeoutMs: 30 });
    sink.failuresLeft = Number.POSITIVE_INFINITY;
    const messages = [message("1", "a"), message("2", "b")];
    for (const m of messages) loop.accept(m);
    await loop.stop();
    expect(messages.map((m) => [m.acked, m.nacked])).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(metrics.get("nacked")).toBe(2);
  });

  it("nacks messages that arrive after stop began", async () => {
    const { loop } = setup();
    const stopping = loop.stop();
    const late = message("9", "a");
    loop.accept(late);
    await stopping;
    expect([late.acked, late.nacked]).toEqual([0, 1]);
  });
});
