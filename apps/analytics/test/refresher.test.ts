import type { BigQuery } from "@google-cloud/bigquery";
import { createLogger, StageMetrics } from "@shopstream/telemetry";
import { AggregateRefresher, loadAggregates } from "../src";

const NOW = Date.parse("2026-11-26T12:00:30Z");

function setup(failFirst = false) {
  const queries: { query: string; params: { window_start: Date; window_end: Date } }[] = [];
  let failures = failFirst ? 1 : 0;
  const bigquery = {
    query: async (request: (typeof queries)[number]) => {
      if (failures-- > 0) throw new Error("emulator down");
      queries.push(request);
      return [[]];
    },
  } as unknown as BigQuery;
  const aggregates = loadAggregates().filter((a) => a.name === "events_by_type_minute");
  const refresher = new AggregateRefresher({
    bigquery,
    dataset: "ds",
    aggregates,
    intervalMs: 1000,
    logger: createLogger("test", { LOG_LEVEL: "error" }),
    metrics: new StageMetrics("analytics"),
    clock: () => NOW,
  });
  const windows = () =>
    queries
      .filter((q) => q.query.startsWith("DELETE"))
      .map((q) => [q.params.window_start.toISOString(), q.params.window_end.toISOString()]);
  return { refresher, windows };
}

describe("AggregateRefresher", () => {
  it("recomputes the recent and the late range separately, each widened to whole minutes", async () => {
    const { refresher, windows } = setup();
    refresher.markDirty([NOW - 1000, NOW - 70000, Date.parse("2026-11-26T01:02:03Z")]);
    await refresher.refreshNow();
    expect(windows()).toEqual([
      ["2026-11-26T11:59:00.000Z", "2026-11-26T12:01:00.000Z"],
      ["2026-11-26T01:02:00.000Z", "2026-11-26T01:03:00.000Z"],
    ]);
    expect(refresher.pending).toBe(false);
  });

  it("keeps a range whose recompute failed, for the next refresh", async () => {
    const { refresher, windows } = setup(true);
    refresher.markDirty([NOW]);
    await expect(refresher.refreshNow()).rejects.toThrow("emulator down");
    expect(refresher.pending).toBe(true);
    await refresher.refreshNow();
    expect(windows()).toEqual([["2026-11-26T12:00:00.000Z", "2026-11-26T12:01:00.000Z"]]);
  });
});
