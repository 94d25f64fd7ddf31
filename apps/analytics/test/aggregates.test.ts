import {
  alignWindow,
  composeAggregateQuery,
  loadAggregates,
  loadStages,
  parseAggregate,
  parseStage,
} from "../src";

describe("aggregate definitions", () => {
  const aggregates = loadAggregates();

  it("loads every SQL file with its declared table", () => {
    expect(aggregates.map((a) => a.name)).toEqual([
      "active_users_minute",
      "events_by_type_minute",
      "funnel_daily",
      "orders_by_currency_minute",
      "product_revenue_minute",
    ]);
    for (const aggregate of aggregates) {
      expect(`${aggregate.name}.sql`).toBe(aggregate.file);
      expect(aggregate.select).toMatch(/^SELECT/);
      // Every declared column is produced by the SELECT, in order.
      const aliases = aggregate.columns.map((c) => c.name);
      const positions = aliases.map((alias) =>
        aggregate.select.search(new RegExp(`AS ${alias}\\b|^\\s+${alias},?$`, "m")),
      );
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
  });

  it("resolves the stage the funnel reads, and recomputes it inline in the whole-window query", () => {
    const funnel = aggregates.find((a) => a.name === "funnel_daily");
    expect(funnel?.reads).toBe("session_stages_daily");
    expect(funnel?.stage?.key).toEqual(["day", "session_id"]);
    expect(loadStages().map((s) => s.name)).toEqual(["session_stages_daily"]);
    const query = composeAggregateQuery(funnel as NonNullable<typeof funnel>, "ds");
    expect(query).toMatch(
      /^WITH events AS \([\s\S]*\),\nsession_stages_daily AS \(\nSELECT[\s\S]*FROM events\n[\s\S]*\)\nSELECT[\s\S]*FROM session_stages_daily/,
    );
    for (const aggregate of aggregates.filter((a) => a !== funnel)) expect(aggregate.reads).toBe("events");
  });

  it("refuses a stage without a MAX-combinable key, and an aggregate reading an unknown stage", () => {
    const stage = (extra: string) =>
      `-- stage: s\n-- description: d\n-- grain: day\n-- window_column: day\n-- columns: day TIMESTAMP, k STRING, f INT64\n${extra}SELECT 1`;
    expect(() => parseStage(stage("-- key: k\n-- combine: max\n"), "s.sql")).toThrow(
      /s.sql: key must include day/,
    );
    expect(() => parseStage(stage("-- key: day, k\n-- combine: sum\n"), "s.sql")).toThrow(
      /combine must be max/,
    );
    expect(parseStage(stage("-- key: day, k\n-- combine: max\n"), "s.sql").key).toEqual(["day", "k"]);
  });

  it("reads events only through the deduplicated window", () => {
    for (const aggregate of aggregates) {
      expect(aggregate.select).not.toMatch(/\$\{dataset\}/);
      const query = composeAggregateQuery(aggregate, "ds");
      expect(query).toMatch(/^WITH events AS \(/);
      expect(query).toMatch(/FROM `ds\.events` AS e/);
      expect(query).toMatch(/PARTITION BY e\.event_id/);
    }
  });

  it("refuses malformed headers with the file name", () => {
    expect(() => parseAggregate("SELECT 1", "x.sql")).toThrow(/x.sql: missing "-- grain/);
    expect(() =>
      parseAggregate(
        "-- aggregate: a\n-- description: d\n-- grain: hour\n-- window_column: m\n-- columns: m TIMESTAMP\nSELECT 1",
        "y.sql",
      ),
    ).toThrow(/grain must be minute or day/);
  });

  it("aligns windows to whole minutes and days", () => {
    const t = Date.parse("2026-11-26T10:15:42Z");
    expect(alignWindow(t, t, "minute")).toEqual({
      start: new Date("2026-11-26T10:15:00Z"),
      end: new Date("2026-11-26T10:16:00Z"),
    });
    expect(alignWindow(t - 86400000, t, "day")).toEqual({
      start: new Date("2026-11-25T00:00:00Z"),
      end: new Date("2026-11-27T00:00:00Z"),
    });
  });
});
