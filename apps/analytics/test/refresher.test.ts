import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BigQuery } from "@google-cloud/bigquery";
import { createLogger, StageMetrics } from "@shopstream/telemetry";
import {
  AggregateRefresher,
  buildRefreshStatements,
  columnsRead,
  DirtyJournal,
  groupRanges,
  loadAggregates,
} from "../src";

const NOW = Date.parse("2026-11-26T12:00:30Z");
const minute = (iso: string) => Date.parse(iso);

/** A BigQuery that records what the refresher sends: dirty-minute inserts and refresh statements. */
function fakeBigQuery(failures = 0) {
  const inserted: string[][] = [];
  const queries: string[] = [];
  let failuresLeft = failures;
  const bigquery = {
    dataset: () => ({
      table: (table: string) => ({
        insert: async (rows: { minute: string }[]) => {
          expect(table).toBe("refresh_dirty_minutes");
          inserted.push(rows.map((r) => r.minute));
        },
      }),
    }),
    query: async (request: { query: string }) => {
      if (failuresLeft-- > 0) throw new Error("emulator down");
      queries.push(request.query);
      return [[]];
    },
  } as unknown as BigQuery;
  return { bigquery, inserted, queries };
}

function setup(options: { failures?: number; journal?: DirtyJournal; clock?: () => number } = {}) {
  const fake = fakeBigQuery(options.failures);
  const metrics = new StageMetrics("analytics");
  const refresher = new AggregateRefresher({
    bigquery: fake.bigquery,
    dataset: "ds",
    aggregates: loadAggregates(),
    intervalMs: 1000,
    logger: createLogger("test", { LOG_LEVEL: "error" }),
    metrics,
    journal: options.journal,
    clock: options.clock ?? (() => NOW),
  });
  return { ...fake, refresher, metrics };
}

const journalIn = () =>
  new DirtyJournal(join(mkdtempSync(join(tmpdir(), "refresher-")), "state", "dirty.log"));

describe("AggregateRefresher", () => {
  it("recomputes exactly the dirty minutes, however far apart (no min..max range)", async () => {
    const { refresher, inserted, queries } = setup();
    refresher.markDirty([NOW - 1000, NOW - 70000, minute("2026-11-26T01:02:03Z"), NOW - 500]);
    expect(groupRanges(refresher.dirtyMinutes, 60000).map((r) => new Date(r.start).toISOString())).toEqual([
      "2026-11-26T01:02:00.000Z",
      "2026-11-26T11:59:00.000Z",
    ]);
    await refresher.refreshNow();
    expect(inserted).toEqual([
      ["2026-11-26T01:02:00.000Z", "2026-11-26T11:59:00.000Z", "2026-11-26T12:00:00.000Z"],
    ]);
    // One request per statement (the stand-in serves no insert while it runs a request), in order.
    expect(queries).toEqual(buildRefreshStatements(loadAggregates(), "ds"));
    expect(refresher.pending).toBe(false);
    await refresher.refreshNow(); // nothing dirty: no query at all
    expect(queries).toHaveLength(buildRefreshStatements(loadAggregates(), "ds").length);
  });

  it("keeps the minutes of a refresh that failed, for the next one", async () => {
    const { refresher, inserted, queries } = setup({ failures: 1 });
    refresher.markDirty([NOW]);
    await expect(refresher.refreshNow()).rejects.toThrow("emulator down");
    expect(refresher.dirtyMinutes).toEqual([minute("2026-11-26T12:00:00Z")]);
    await refresher.refreshNow();
    expect(inserted.at(-1)).toEqual(["2026-11-26T12:00:00.000Z"]);
    expect(queries).toEqual(buildRefreshStatements(loadAggregates(), "ds"));
  });

  it("journals dirty minutes before acknowledging and recomputes them after a crash", async () => {
    const journal = journalIn();
    const first = setup({ journal });
    first.refresher.markDirty([NOW, NOW + 5000, minute("2026-11-26T03:04:05Z")]);
    expect(journal.load()).toEqual([minute("2026-11-26T03:04:00Z"), minute("2026-11-26T12:00:00Z")]);
    // Killed before refreshing: a new worker on the same journal starts with those minutes dirty.
    const second = setup({ journal });
    expect(second.refresher.dirtyMinutes).toEqual(journal.load());
    await second.refresher.refreshNow();
    expect(second.inserted).toEqual([["2026-11-26T03:04:00.000Z", "2026-11-26T12:00:00.000Z"]]);
    expect(journal.load()).toEqual([]);
    expect(readFileSync(journal.path, "utf8")).toBe("");
  });

  it("ignores a journal line torn by a kill mid-append", () => {
    const journal = journalIn();
    journal.append([minute("2026-11-26T12:00:00Z")]);
    journal.append([1764]);
    expect(journal.load()).toEqual([minute("2026-11-26T12:00:00Z")]);
  });

  it("reports how far the aggregates trailed the oldest dirty minute", async () => {
    let now = NOW;
    const { refresher, metrics } = setup({ clock: () => now });
    refresher.markDirty([NOW]);
    now += 3000;
    refresher.markDirty([NOW - 60000]);
    now += 1500;
    await refresher.refreshNow();
    expect(metrics.get("aggregate_staleness_ms")).toBe(4500);
    expect(metrics.get("aggregate_minutes_refreshed")).toBe(2);
  });
});

describe("buildRefreshStatements", () => {
  const statements = buildRefreshStatements(loadAggregates(), "ds");

  it("copies the dirty events once, merges the stage first, replaces each aggregate's dirty rows in one MERGE, then empties the dirty table", () => {
    expect(statements.map((s) => s.split("\n")[0])).toEqual([
      "CREATE OR REPLACE TABLE `ds.refresh_events` AS",
      "MERGE `ds.session_stages_daily` AS target",
      "MERGE `ds.active_users_minute` AS target",
      "MERGE `ds.events_by_type_minute` AS target",
      "MERGE `ds.funnel_daily` AS target",
      "MERGE `ds.orders_by_currency_minute` AS target",
      "MERGE `ds.product_revenue_minute` AS target",
      "DELETE FROM `ds.refresh_dirty_minutes` WHERE TRUE",
    ]);
  });

  it("reads only the dirty minutes' events, deduplicated, once; minute aggregates and the stage read that copy", () => {
    const [copy = ""] = statements;
    expect(copy).toContain(
      "AND TIMESTAMP_TRUNC(event_time, MINUTE) IN (SELECT minute FROM `ds.refresh_dirty_minutes`)",
    );
    expect(copy).toMatch(/PARTITION BY e\.event_id[\s\S]*FROM dirty_events AS e/);
    expect(statements.filter((s) => s.includes("`ds.events`"))).toEqual([copy]);
    for (const statement of statements.filter((s) => /^MERGE .*(_minute|session_stages)/.test(s))) {
      expect(statement).toContain("WITH events AS (SELECT * FROM `ds.refresh_events`)");
    }
    for (const statement of statements) {
      expect(statement).not.toContain("$" + "{dataset}");
      expect(statement).not.toContain("@window_");
    }
  });

  it("copies only the columns the aggregates read (never the raw payload), and the two deduplication needs", () => {
    const [copy = ""] = statements;
    const columns = copy.match(/SELECT (.*) FROM `ds\.events`/)?.[1]?.split(", ") ?? [];
    expect(columns).toEqual(
      expect.arrayContaining(["event_id", "event_time", "event_type", "user_key", "items"]),
    );
    expect(columns).not.toContain("payload");
    expect(columnsRead(["SELECT currency FROM events"])).toEqual(["event_id", "event_time", "currency"]);
  });

  it("combines the stage with MAX on its key, and the funnel from the stage only (never rescanning events)", () => {
    const stage = statements.find((s) => s.startsWith("MERGE `ds.session_stages_daily`"));
    expect(stage).toContain("ON target.day = source.day AND target.session_id = source.session_id");
    expect(stage).toContain(
      "WHEN MATCHED THEN UPDATE SET product_view = GREATEST(target.product_view, source.product_view)",
    );
    const funnel = statements.find((s) => s.startsWith("MERGE `ds.funnel_daily`")) ?? "";
    expect(funnel).not.toMatch(/events/);
    expect(funnel).toContain(
      "WHERE day IN (SELECT DISTINCT TIMESTAMP_TRUNC(minute, DAY) FROM `ds.refresh_dirty_minutes`)",
    );
    expect(funnel).toContain(
      "WHEN NOT MATCHED BY SOURCE AND target.day IN (SELECT DISTINCT TIMESTAMP_TRUNC(minute, DAY) FROM `ds.refresh_dirty_minutes`) THEN DELETE",
    );
  });
});
