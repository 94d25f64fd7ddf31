/**
 * Keeps the aggregate tables current locally. Every stored row marks its event-time minute dirty; every
 * interval the dirty minutes (and only those) are recomputed from the deduplicated events (copied once
 * per refresh into REFRESH_EVENTS_TABLE), one MERGE per table, each statement its own request:
 * - a minute aggregate replaces its rows of the dirty minutes (MERGE ... ON FALSE: delete the window's
 *   rows and insert the recomputed ones in one statement, so a reader sees the old or the new rows);
 * - a stage (sql/stages/) merges the dirty minutes' partial result on its key with MAX, which is exact
 *   because its columns only go up (a session that reached checkout stays there);
 * - a day aggregate reading a stage replaces its rows of the dirty days from the stage, never rescanning
 *   the day's events.
 * Recomputing instead of incrementing is what makes duplicates count once and late events (up to 24 h,
 * any amount) land exactly. Dirty minutes are journalled before the rows are acknowledged, so a killed
 * worker recomputes them when it starts again (journal.ts).
 */
import type { BigQuery } from "@google-cloud/bigquery";
import { WAREHOUSE_COLUMNS } from "@shopstream/events";
import type { Logger, StageMetrics } from "@shopstream/telemetry";
import { type AggregateDefinition, fillDataset, loadDedupedEvents, type StageDefinition } from "./aggregates";
import { DIRTY_MINUTES_TABLE, EVENTS_TABLE } from "./bigquery";
import type { DirtyJournal } from "./journal";

export const MINUTE_MS = 60000;

export interface RefresherOptions {
  bigquery: BigQuery;
  dataset: string;
  aggregates: AggregateDefinition[];
  intervalMs: number;
  logger: Logger;
  metrics: StageMetrics;
  /** Where dirty minutes survive a crash; without one they live only in memory. */
  journal?: DirtyJournal;
  clock?: () => number;
}

/** Contiguous runs of units (sorted, unique start times) as [start, end) ranges. */
export function groupRanges(units: number[], unitMs: number): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  for (const unit of units) {
    const last = ranges[ranges.length - 1];
    if (last && last.end === unit) last.end = unit + unitMs;
    else ranges.push({ start: unit, end: unit + unitMs });
  }
  return ranges;
}

/*
 * The dirty minutes of one refresh are streamed into DIRTY_MINUTES_TABLE (insertAll, no SQL) and the
 * statements read them from there: the stand-in spends most of a statement's time parsing its SQL text
 * (sqlglot), so a list of literals repeated in every statement made a refresh cost grow with the minutes.
 * Every bound derives from that table, so rows left by a refresh that failed half-way are recomputed too.
 */
function dirtyUnits(dataset: string, grain: "minute" | "day"): string {
  const minutes = `\`${dataset}.${DIRTY_MINUTES_TABLE}\``;
  return grain === "minute"
    ? `(SELECT minute FROM ${minutes})`
    : `(SELECT DISTINCT TIMESTAMP_TRUNC(minute, DAY) FROM ${minutes})`;
}

function dirtySpan(dataset: string, grain: "minute" | "day"): { start: string; end: string } {
  const minutes = `\`${dataset}.${DIRTY_MINUTES_TABLE}\``;
  return grain === "minute"
    ? {
        start: `(SELECT MIN(minute) FROM ${minutes})`,
        end: `(SELECT TIMESTAMP_ADD(MAX(minute), INTERVAL 1 MINUTE) FROM ${minutes})`,
      }
    : {
        start: `(SELECT TIMESTAMP_TRUNC(MIN(minute), DAY) FROM ${minutes})`,
        end: `(SELECT TIMESTAMP_ADD(TIMESTAMP_TRUNC(MAX(minute), DAY), INTERVAL 1 DAY) FROM ${minutes})`,
      };
}

/**
 * The `events` columns the minute-grain statements read (any column name the SQL mentions), plus the two
 * the deduplication needs. Copying only these into the refresh's temporary table instead of every column
 * (the raw `payload` alone is most of a row) cut the stand-in's CPU for that copy about threefold.
 */
export function columnsRead(selects: string[]): string[] {
  const sql = selects.join("\n");
  return WAREHOUSE_COLUMNS.map((c) => c.name).filter(
    (name) => name === "event_id" || name === "event_time" || new RegExp(`\\b${name}\\b`).test(sql),
  );
}

/**
 * The dirty minutes' events of the refresh under way, deduplicated (a scratch table the worker replaces
 * at every refresh; a temporary table would live only as long as one script, see the statements below).
 */
export const REFRESH_EVENTS_TABLE = "refresh_events";

/** `events` restricted to the dirty grain units, deduplicated by the one definition in deduped_events.sql. */
function dirtyEventsCte(
  dataset: string,
  deduped: string,
  grain: "minute" | "day",
  columns: string[] | undefined = undefined,
): string {
  const span = dirtySpan(dataset, grain);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the SQL files' placeholder
  const table = "`${dataset}.events`";
  if (!deduped.includes(table)) throw new Error(`deduped_events.sql must read ${table}`);
  const window = deduped
    .split(table)
    .join("dirty_events")
    .split("@window_start")
    .join(span.start)
    .split("@window_end")
    .join(span.end);
  return fillDataset(
    [
      "dirty_events AS (",
      `  SELECT ${columns ? columns.join(", ") : "*"} FROM \`${dataset}.${EVENTS_TABLE}\``,
      `  WHERE event_time >= ${span.start} AND event_time < ${span.end}`,
      `  AND TIMESTAMP_TRUNC(event_time, ${grain.toUpperCase()}) IN ${dirtyUnits(dataset, grain)}`,
      "),",
      `events AS (\n${window}\n)`,
    ].join("\n"),
    dataset,
  );
}

function insertClause(table: AggregateDefinition): string {
  const columns = table.columns.map((c) => c.name);
  return `WHEN NOT MATCHED THEN INSERT (${columns.join(", ")}) VALUES (${columns.map((c) => `source.${c}`).join(", ")})`;
}

/** Replaces the rows of the dirty units with the recomputed ones, in one statement. */
function replaceStatement(table: AggregateDefinition, dataset: string, source: string): string {
  return [
    `MERGE \`${dataset}.${table.name}\` AS target`,
    `USING (\n${source}\n) AS source`,
    "ON FALSE",
    `WHEN NOT MATCHED BY SOURCE AND target.${table.windowColumn} IN ${dirtyUnits(dataset, table.grain)} THEN DELETE`,
    insertClause(table),
  ].join("\n");
}

/** Merges a partial recompute into a stage on its key, each other column combined with MAX. */
function stageStatement(stage: StageDefinition, dataset: string, source: string): string {
  const values = stage.columns.filter((c) => !stage.key.includes(c.name)).map((c) => c.name);
  return [
    `MERGE \`${dataset}.${stage.name}\` AS target`,
    `USING (\n${source}\n) AS source`,
    `ON ${stage.key.map((k) => `target.${k} = source.${k}`).join(" AND ")}`,
    `WHEN MATCHED THEN UPDATE SET ${values.map((c) => `${c} = GREATEST(target.${c}, source.${c})`).join(", ")}`,
    insertClause(stage),
  ].join("\n");
}

/**
 * The statements that bring every table up to date for the minutes in DIRTY_MINUTES_TABLE, stages first
 * (their readers follow in the same script), then empty that table.
 */
export function buildRefreshStatements(
  aggregates: AggregateDefinition[],
  dataset: string,
  deduped = loadDedupedEvents(),
): string[] {
  const stages = new Map<string, StageDefinition>();
  for (const aggregate of aggregates) if (aggregate.stage) stages.set(aggregate.stage.name, aggregate.stage);
  // The dirty minutes' deduplicated events are read from `events` once, into a table every minute-grain
  // statement then reads: the stand-in parses each statement's text several times (sqlglot: about 60% of
  // a refresh's CPU) and scanned `events` once per statement before.
  const minuteReaders = [
    ...[...stages.values()].map((stage) => stage.select),
    ...aggregates.filter((a) => !a.stage && a.grain === "minute").map((a) => a.select),
  ];
  const columns = columnsRead(minuteReaders);
  const refreshEvents = `\`${dataset}.${REFRESH_EVENTS_TABLE}\``;
  const statements: string[] = [
    `CREATE OR REPLACE TABLE ${refreshEvents} AS\nWITH ${dirtyEventsCte(dataset, deduped, "minute", columns)}\nSELECT * FROM events`,
  ];
  const fromRefreshEvents = `events AS (SELECT * FROM ${refreshEvents})`;
  for (const stage of stages.values()) {
    const source = `WITH ${fromRefreshEvents}\n${stage.select}`;
    statements.push(stageStatement(stage, dataset, source));
  }
  for (const aggregate of aggregates) {
    let source: string;
    if (aggregate.stage) {
      const stage = aggregate.stage;
      source = [
        `WITH ${stage.name} AS (`,
        `  SELECT * FROM \`${dataset}.${stage.name}\``,
        `  WHERE ${stage.windowColumn} IN ${dirtyUnits(dataset, stage.grain)}`,
        ")",
        aggregate.select,
      ].join("\n");
    } else if (aggregate.grain === "minute") {
      source = `WITH ${fromRefreshEvents}\n${aggregate.select}`;
    } else {
      // A day aggregate over events (none today) has to read its dirty days whole, which is why the
      // funnel reads a stage instead.
      source = `WITH ${dirtyEventsCte(dataset, deduped, aggregate.grain)}\n${aggregate.select}`;
    }
    statements.push(replaceStatement(aggregate, dataset, source));
  }
  statements.push(`DELETE FROM \`${dataset}.${DIRTY_MINUTES_TABLE}\` WHERE TRUE`);
  return statements;
}

export class AggregateRefresher {
  /** Dirty minute -> when it was first marked since its last recompute (for the staleness figure). */
  private dirty = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly statements: string[];
  private readonly clock: () => number;

  constructor(private readonly options: RefresherOptions) {
    this.clock = options.clock ?? Date.now;
    this.statements = buildRefreshStatements(options.aggregates, options.dataset, loadDedupedEvents());
    const recovered = options.journal?.load() ?? [];
    if (recovered.length > 0) {
      const now = this.clock();
      for (const minute of recovered) this.dirty.set(minute, now);
      options.logger.info(`recomputing ${recovered.length} minutes stored before the last stop`, {
        minutes: groupRanges(recovered, MINUTE_MS).length,
      });
    }
  }

  /** Records that events with these times were stored (call before acknowledging them). */
  markDirty(eventTimesMs: number[]): void {
    const now = this.clock();
    const added: number[] = [];
    for (const time of eventTimesMs) {
      const minute = Math.floor(time / MINUTE_MS) * MINUTE_MS;
      if (this.dirty.has(minute)) continue;
      this.dirty.set(minute, now);
      added.push(minute);
    }
    if (added.length > 0) this.options.journal?.append(added);
  }

  get pending(): boolean {
    return this.dirty.size > 0;
  }

  /** The dirty minutes, sorted (for logs and tests). */
  get dirtyMinutes(): number[] {
    return [...this.dirty.keys()].sort((a, b) => a - b);
  }

  /**
   * Refreshes every intervalMs, but never spends more than about half the time refreshing: after a
   * refresh that took T ms the next one waits at least T. Under load the aggregates fall a little further
   * behind instead of starving the inserts they are computed from. (It waited 2T while a refresh was one
   * request that held every insert back; with one request per statement the inserts interleave, T counts
   * their time too, and 2T left the aggregates 38 s behind at 600 events/s in `npm run bench`.)
   */
  start(): void {
    const tick = (delayMs: number) => {
      this.timer = setTimeout(async () => {
        const started = this.clock();
        await this.refreshNow().catch((error) =>
          this.options.logger.warn("aggregate refresh failed; will retry", { error: String(error) }),
        );
        if (this.timer) tick(Math.max(this.options.intervalMs, this.clock() - started));
      }, delayMs);
    };
    // Minutes recovered from the journal are recomputed at once: they may have been stale for a while.
    tick(this.dirty.size > 0 ? 0 : this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.refreshNow();
  }

  /** Recomputes every dirty minute now (serialised: one refresh at a time). */
  async refreshNow(): Promise<void> {
    while (this.running) await this.running;
    if (this.dirty.size === 0) return;
    const taken = this.dirty;
    this.dirty = new Map();
    this.running = this.recompute(taken);
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async recompute(taken: Map<number, number>): Promise<void> {
    const { bigquery, dataset, metrics, journal } = this.options;
    const minutes = [...taken.keys()].sort((a, b) => a - b);
    try {
      await bigquery
        .dataset(dataset)
        .table(DIRTY_MINUTES_TABLE)
        .insert(minutes.map((minute) => ({ minute: new Date(minute).toISOString() })));
      // One request per statement, not one script: bqemulator runs a whole request on its event loop,
      // so a script held every insertAll back for the whole refresh (end-to-end p95 ~ a refresh's
      // duration); between statements the inserts get through. Each statement is atomic on its table.
      for (const statement of this.statements) await bigquery.query({ query: statement });
    } catch (error) {
      // Nothing lost: the minutes go back (keeping their first-marked time) and are retried next tick.
      for (const [minute, since] of taken) {
        const later = this.dirty.get(minute);
        this.dirty.set(minute, later === undefined ? since : Math.min(since, later));
      }
      throw error;
    }
    // Only minutes marked during this refresh stay journalled.
    journal?.replace(this.dirtyMinutes);
    const now = this.clock();
    let oldest = now;
    for (const since of taken.values()) oldest = Math.min(oldest, since);
    metrics.add("aggregate_refreshes");
    metrics.add("aggregate_minutes_refreshed", minutes.length);
    // How far the aggregates trailed the stored events at this refresh (the bench reads it).
    metrics.counters.aggregate_staleness_ms = now - oldest;
    metrics.counters.aggregate_staleness_max_ms = Math.max(
      metrics.get("aggregate_staleness_max_ms"),
      now - oldest,
    );
  }
}
