/**
 * The aggregates, defined once as SQL in apps/analytics/sql/. Each file is one SELECT over `events`
 * (the deduplicated window from deduped_events.sql) with a header that declares its table: name,
 * window column, grain and columns. The local worker recomputes dirty windows with it; Terraform
 * builds the production scheduled query from the same files.
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
  description: string;
  windowColumn: string;
  grain: "minute" | "day";
  columns: AggregateColumn[];
  /** The aggregate's own SELECT (reads `events`). */
  select: string;
  file: string;
}

const COLUMN_TYPES = new Set(["TIMESTAMP", "STRING", "INT64", "NUMERIC"]);

function header(text: string, key: string, file: string): string {
  const match = new RegExp(`^-- ${key}: (.+)$`, "m").exec(text);
  if (!match?.[1]) throw new Error(`${file}: missing "-- ${key}: ..." header line`);
  return match[1].trim();
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
    description: header(text, "description", file),
    windowColumn,
    grain,
    columns,
    select,
    file,
  };
}

export function loadAggregates(dir = SQL_DIR): AggregateDefinition[] {
  return readdirSync(join(dir, "aggregates"))
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => parseAggregate(readFileSync(join(dir, "aggregates", file), "utf8"), file));
}

export function loadDedupedEvents(dir = SQL_DIR): string {
  return readFileSync(join(dir, "deduped_events.sql"), "utf8")
    .split("\n")
    .filter((line) => !line.startsWith("--"))
    .join("\n")
    .trim();
}

/** The full SELECT of an aggregate for a dataset: WITH events AS (deduped window) <select>. */
export function composeAggregateQuery(
  aggregate: AggregateDefinition,
  dataset: string,
  dedupedEvents = loadDedupedEvents(),
): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: ${dataset} is the SQL files' placeholder (Terraform templatefile syntax)
  return `WITH events AS (\n${dedupedEvents}\n)\n${aggregate.select}`.split("${dataset}").join(dataset);
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
