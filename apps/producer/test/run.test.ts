import { StageMetrics } from "@shopstream/telemetry";
import { type EventPublisher, NO_FAULTS, runProducer, ShopSimulator } from "../src";

/** A publisher that only counts: the pacing is what is under test. */
function countingPublisher() {
  const stats = { published: 0, failed: 0, outstanding: 0 };
  const publisher = {
    stats,
    publish: async () => {
      stats.published++;
    },
    publishRaw: async () => {
      stats.published++;
    },
    flush: async () => stats,
  } as unknown as EventPublisher;
  return publisher;
}

describe("runProducer pacing", () => {
  afterEach(() => jest.useRealTimers());

  it("emits at the rate asked, sleeping once per 10 ms tick rather than once per event", async () => {
    jest.useFakeTimers({ now: Date.parse("2026-11-30T00:00:00Z") });
    const sleeps: number[] = [];
    const realSetTimeout = global.setTimeout;
    jest.spyOn(global, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
      sleeps.push(ms ?? 0);
      return realSetTimeout(fn, ms);
    }) as typeof setTimeout);
    const metrics = new StageMetrics("producer");
    const run = runProducer({
      simulator: new ShopSimulator({ seed: 1, faults: NO_FAULTS }),
      publisher: countingPublisher(),
      metrics,
      rate: 1000,
      durationMs: 1000,
    });
    await jest.advanceTimersByTimeAsync(1000);
    await run;
    // 1,000 events/s for one second: all of them, in about 100 bursts (one sleep per 10 ms tick).
    expect(metrics.get("emitted")).toBeGreaterThanOrEqual(990);
    expect(metrics.get("emitted")).toBeLessThanOrEqual(1001); // the event due at the deadline itself
    expect(sleeps.length).toBeLessThanOrEqual(101);
    expect(Math.min(...sleeps)).toBeGreaterThanOrEqual(10);
  });
});
