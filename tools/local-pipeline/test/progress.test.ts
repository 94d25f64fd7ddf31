/** The progress line and the totals the drain and the summary use, from the supervisor's counters. */
import { LatencyHistogram, type StageSnapshot } from "@shopstream/telemetry";
import { heldBy, progressLine, totals } from "../src/progress";

const histogram = (...values: number[]) => {
  const h = new LatencyHistogram();
  for (const v of values) h.record(v);
  return h;
};

/** The three things totals() reads from a supervisor. */
function fakeSupervisor(
  counters: Record<string, Record<string, number>>,
  latencies: Record<string, number[]> = {},
  restarts: Record<string, number> = {},
) {
  return {
    counters: (name: string) => counters[name] ?? {},
    latency: (name: string) => histogram(...(latencies[name] ?? [])),
    restarts: (name: string) => restarts[name] ?? 0,
  };
}

describe("totals", () => {
  test("backlog per subscription = published - acked by that worker", () => {
    const t = totals(
      fakeSupervisor({
        producer: { published: 1000, malformed: 10, duplicates: 20, late: 5 },
        ingestion: { acked: 900, stored: 870, duplicates: 20, dead_lettered: 10 },
        analytics: { acked: 1000, stored: 980, dead_lettered: 10 },
      }),
    );
    expect(t).toMatchObject({
      published: 1000,
      malformed: 10,
      duplicates: 20,
      late: 5,
      rawStored: 870,
      rawDuplicates: 20,
      warehouseStored: 980,
      deadLetteredIngestion: 10,
      deadLetteredAnalytics: 10,
      backlogIngestion: 100,
      backlogAnalytics: 0,
    });
  });

  test("a worker that acked more than the producer reported (its report arrived first) has no negative backlog", () => {
    const t = totals(
      fakeSupervisor({ producer: { published: 10 }, ingestion: { acked: 12 }, analytics: {} }),
    );
    expect(t.backlogIngestion).toBe(0);
    expect(t.backlogAnalytics).toBe(10);
  });

  test("end-to-end latency merges both workers; restarts count both workers", () => {
    const t = totals(
      fakeSupervisor(
        {},
        { ingestion: [100, 100, 100], analytics: [1000] },
        { ingestion: 1, analytics: 2, producer: 9 },
      ),
    );
    expect(t.latency.count).toBe(4);
    expect(t.mongoExactLatency.count).toBe(3); // ingestion only: the store the SLI reads
    expect(t.p50).toBeGreaterThan(95);
    expect(t.p50).toBeLessThan(105);
    expect(t.restarts).toBe(3);
  });

  test("nothing reported yet: zeros, and no latency", () => {
    const t = totals(fakeSupervisor({}));
    expect(t.published).toBe(0);
    expect(t.backlogIngestion).toBe(0);
    expect(Number.isNaN(t.p95)).toBe(true);
  });
});

test("the progress line says what a person watching the run wants to see", () => {
  const t = totals(
    fakeSupervisor(
      {
        producer: { published: 12345, malformed: 3, duplicates: 40, late: 7 },
        ingestion: { acked: 12000, stored: 11900, dead_lettered: 3 },
        analytics: { acked: 12345, stored: 12300, dead_lettered: 3 },
      },
      { ingestion: [200] },
    ),
  );
  expect(progressLine(62_400, t)).toMatch(
    /^\[ {2}62s\] published 12,345 \(dup 40, late 7, malformed 3\) \| raw 11,900 \| warehouse 12,300 \| dead-lettered 3\/3 \| backlog 345\/0 \| e2e p50 \d+ ms p95 \d+ ms$/,
  );
  expect(progressLine(0, totals(fakeSupervisor({})))).toContain("e2e p50 - p95 -");
});

describe("heldBy", () => {
  const supervisor = (running: boolean, counters?: Record<string, number>) => ({
    isRunning: () => running,
    snapshot: () =>
      counters === undefined ? undefined : ({ counters } as Pick<StageSnapshot, "counters"> as StageSnapshot),
  });

  test("received and neither acked nor nacked by the running process: redeliveries do not hide it", () => {
    // 4,000 received, of which 300 were redeliveries already acked once: acked alone would say nothing is held.
    expect(heldBy(supervisor(true, { received: 4000, acked: 2500, nacked: 100 }), "analytics")).toBe(1400);
    expect(heldBy(supervisor(true, { received: 10, acked: 10 }), "ingestion")).toBe(0);
  });

  test("a running worker that has not reported holds nothing yet; a worker not running is not idle", () => {
    expect(heldBy(supervisor(true), "ingestion")).toBe(0);
    expect(heldBy(supervisor(false, { received: 5, acked: 5 }), "ingestion")).toBe(1);
  });
});
