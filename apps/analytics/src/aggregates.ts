/**
 * The aggregates, defined once as SQL in apps/analytics/sql/. Each file is one SELECT over `events`
 * (the deduplicated window from deduped_events.sql) or over a stage (sql/stages/, itself a SELECT over
 * `events`), with a header that declares its table: name, window column, grain and columns. The local
 * worker maintains the tables incrementally with them (refresher.ts); Terraform builds the production
 * scheduled query from the same files, recomputing each window whole.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const SQL_DIR = join(__dirname, "..", "sql");

export interface AggregateColumn {
  name: string;
  type: "TIMESTAMP" | "STRING" | "INT64" | "NUMERIC";
}

export interface AggregateDefinition {
  name: string;
  /** What the SELECT reads: `events` (the deduplicated window) or the name of a stage. */
  reads: string;
  /** The stage it reads, when `reads` is not `events`. */
  stage?: StageDefinition;
  description: string;
  windowColumn: string;
  grain: "minute" | "day";
  columns: AggregateColumn[];
  /** The aggregate's own SELECT (reads `events`). */
  select: string;
  file: string;
}

/**
 * An intermediate table an aggregate reads instead of `events`, kept locally by merging partial
 * recomputes on its key: every non-key column combines with MAX, so recomputing only the dirty minutes
 * and merging is exact (a flag, once 1, stays 1). In production it is a CTE of the aggregate's query.
 */
export interface StageDefinition extends AggregateDefinition {
  key: string[];
  combine: "max";
}

const COLUMN_TYPES = new Set(["TIMESTAMP", "STRING", "INT64", "NUMERIC"]);

function header(text: string, key: string, file: string): string {
  const value = optionalHeader(text, key);
  if (value === undefined) throw new Error(`${file}: missing "-- ${key}: ..." header line`);
  return value;
}

function optionalHeader(text: string, key: string): string | undefined {
  return new RegExp(`^-- ${key}: (.+)$`, "m").exec(text)?.[1]?.trim();
}

export function parseAggregate(text: string, file: string): AggregateDefinition {
  const grain = header(text, "grain", file);
  if (grain !== "minute" && grain !== "day")
    throw new Error(`${file}: grain must be minute or day, got ${grain}`);
  const columns = header(text, "columns", file)
    .split(",")
    .map((part) => {
      const [name, type] = part.trim().split(/\s+/);
      if (!name || !type || !COLUMN_TYPES.has(type))
        throw new Error(`${file}: bad column declaration "${part.trim()}"`);
      return { name, type: type as AggregateColumn["type"] };
    });
  const windowColumn = header(text, "window_column", file);
  if (!columns.some((c) => c.name === windowColumn && c.type === "TIMESTAMP")) {
    throw new Error(`${file}: window_column ${windowColumn} must be a declared TIMESTAMP column`);
  }
  const select = text
    .split("\n")
    .filter((line) => !line.startsWith("--"))
    .join("\n")
    .trim();
  return {
    name: header(text, "aggregate", file),
    reads: (optionalHeader(text, "reads") ?? "events").split(/\s/)[0] as string,
    description: header(text, "description", file),
    windowColumn,
    grain,
    columns,
    select,
    file,
  };
}

export function parseStage(text: string, file: string): StageDefinition {
  const stage = parseAggregate(text.replace(/^-- stage: /m, "-- aggregate: "), file);
  const key = header(text, "key", file)
    .split(",")
    .map((name) => name.trim());
  for (const name of key)
    if (!stage.columns.some((c) => c.name === name))
      throw new Error(`${file}: key column ${name} is not declared`);
  if (!key.includes(stage.windowColumn)) throw new Error(`${file}: key must include ${stage.windowColumn}`);
  const combine = header(text, "combine", file);
  if (combine !== "max") throw new Error(`${file}: combine must be max, got ${combine}`);
  if (stage.reads !== "events") throw new Error(`${file}: a stage reads events, not ${stage.reads}`);
  return { ...stage, key, combine };
}

function sqlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((file) => file.endsWith(".sql"))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

export function loadStages(dir = SQL_DIR): StageDefinition[] {
  return sqlFiles(join(dir, "stages")).map((file) =>
    parseStage(readFileSync(join(dir, "stages", file), "utf8"), file),
  );
}

export function loadAggregates(dir = SQL_DIR): AggregateDefinition[] {
  const stages = new Map(loadStages(dir).map((stage) => [stage.name, stage]));
  return sqlFiles(join(dir, "aggregates")).map((file) => {
    const aggregate = parseAggregate(readFileSync(join(dir, "aggregates", file), "utf8"), file);
    if (aggregate.reads === "events") return aggregate;
    const stage = stages.get(aggregate.reads);
    if (!stage)
      throw new Error(
        `${file}: reads ${aggregate.reads}, which is neither events nor a stage in sql/stages/`,
      );
    if (stage.grain !== aggregate.grain)
      throw new Error(`${file}: grain ${aggregate.grain} differs from its stage's (${stage.grain})`);
    return { ...aggregate, stage };
  });
}

export function loadDedupedEvents(dir = SQL_DIR): string {
  return readFileSync(join(dir, "deduped_events.sql"), "utf8")
    .split("\n")
    .filter((line) => !line.startsWith("--"))
    .join("\n")
    .trim();
}

/**
 * The full SELECT of an aggregate over the window @window_start..@window_end, recomputed whole:
 * WITH events AS (deduped window)[, <stage> AS (<stage select>)] <select>. Terraform composes the same.
 */
export function composeAggregateQuery(
  aggregate: AggregateDefinition,
  dataset: string,
  dedupedEvents = loadDedupedEvents(),
): string {
  const stage = aggregate.stage ? `,\n${aggregate.stage.name} AS (\n${aggregate.stage.select}\n)` : "";
  return fillDataset(`WITH events AS (\n${dedupedEvents}\n)${stage}\n${aggregate.select}`, dataset);
}

export function fillDataset(sql: string, dataset: string): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: ${dataset} is the SQL files' placeholder (Terraform templatefile syntax)
  return sql.split("${dataset}").join(dataset);
}

/** Widens [from, to) to whole grain units (aggregates are recomputed per whole minute or day). */
export function alignWindow(
  fromMs: number,
  toMs: number,
  grain: "minute" | "day",
): { start: Date; end: Date } {
  const unit = grain === "minute" ? 60000 : 86400000;
  const start = Math.floor(fromMs / unit) * unit;
  const end = Math.max(start + unit, Math.ceil((toMs + 1) / unit) * unit);
  return { start: new Date(start), end: new Date(end) };
}
