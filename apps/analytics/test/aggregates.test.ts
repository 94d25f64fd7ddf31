import { alignWindow, composeAggregateQuery, loadAggregates, parseAggregate } from "../src";

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
