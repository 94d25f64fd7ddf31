/**
 * The text diff of a plan, rendered from the plan JSON (not from `terraform show`), with every sensitive value
 * masked: values Terraform marks in `before_sensitive` / `after_sensitive`, attributes whose name looks like a
 * secret, and any value matching a caller-supplied pattern. Lines use the GitHub `diff` highlighting prefixes:
 * `+` create, `-` destroy, `!` update, `-/+` replace.
 */
import { ALWAYS_MASKED, type Change, SECRET_ATTRIBUTE } from "@shopstream/action-kit/terraform";
import { MAX_VALUE_CHARS } from "./defaults";

/** Placeholders printed instead of values. */
export const SENSITIVE = "(sensitive value)";
export const UNKNOWN = "(known after apply)";

/** Options of {@link renderDiff}. */
export interface DiffOptions {
  /** Extra patterns; any string value matching one is masked. */
  maskPatterns?: readonly RegExp[];
  /** Longest printed value. */
  maxValueChars?: number;
}

type Leaf = { path: string; value: unknown; sensitive: boolean; unknown: boolean };

function child(mark: unknown, key: string | number): unknown {
  if (mark === true) return true;
  if (mark && typeof mark === "object") return (mark as Record<string, unknown>)[key as string];
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Flattens a value into leaves with dotted paths, carrying the sensitive / unknown marks down. */
export function flatten(value: unknown, sensitive: unknown, unknown: unknown, prefix = ""): Leaf[] {
  const out: Leaf[] = [];
  const walk = (v: unknown, s: unknown, u: unknown, path: string, name: string): void => {
    const secretName = SECRET_ATTRIBUTE.test(name);
    if (s === true || u === true || secretName) {
      out.push({ path, value: v, sensitive: s === true || secretName, unknown: u === true });
      return;
    }
    if (Array.isArray(v) || isObject(v)) {
      const entries: [string | number, unknown][] = Array.isArray(v)
        ? v.map((x, i) => [i, x])
        : Object.entries(v);
      const unknownKeys = isObject(u)
        ? Object.keys(u).filter((k) => u[k] === true && !(k in (v as object)))
        : [];
      if (entries.length === 0 && unknownKeys.length === 0) {
        out.push({ path, value: v, sensitive: false, unknown: false });
        return;
      }
      for (const [k, x] of entries) {
        const p = typeof k === "number" ? `${path}[${k}]` : path ? `${path}.${k}` : k;
        walk(x, child(s, k), child(u, k), p, typeof k === "number" ? name : k);
      }
      for (const k of unknownKeys)
        out.push({ path: path ? `${path}.${k}` : k, value: null, sensitive: false, unknown: true });
      return;
    }
    out.push({ path, value: v, sensitive: false, unknown: false });
  };
  walk(value, sensitive, unknown, prefix, prefix);
  return out;
}

function format(leaf: Leaf | undefined, options: DiffOptions): string {
  if (!leaf) return "null";
  if (leaf.unknown) return UNKNOWN;
  if (leaf.sensitive) return SENSITIVE;
  const v = leaf.value;
  if (typeof v === "string") {
    if (ALWAYS_MASKED.some((re) => re.test(v)) || options.maskPatterns?.some((re) => re.test(v)))
      return SENSITIVE;
    const max = options.maxValueChars ?? MAX_VALUE_CHARS;
    const text = JSON.stringify(v);
    return text.length > max ? `${text.slice(0, max)}…" (${v.length} chars)` : text;
  }
  if (Array.isArray(v)) return "[]";
  if (isObject(v)) return "{}";
  return JSON.stringify(v);
}

const HEADER: Record<string, [string, string]> = {
  create: ["+", "will be created"],
  delete: ["-", "will be destroyed"],
  update: ["!", "will be updated in-place"],
  replace: ["-/+", "must be replaced"],
  import: ["!", "will be imported"],
  forget: ["-", "will be removed from state (not destroyed)"],
};

/** Renders the diff lines of one resource change. */
export function renderChange(change: Change, options: DiffOptions = {}): string[] {
  const [sign, verb] = HEADER[change.action] ?? ["!", change.action];
  const reason = change.replaceReasons.length ? ` (forced by ${change.replaceReasons.join(", ")})` : "";
  const lines = [`${sign} ${change.address} ${verb}${reason}`];
  const c = change.raw.change;
  if (change.action === "delete" || change.action === "forget") return lines;
  const before = change.action === "create" ? [] : flatten(c.before ?? null, c.before_sensitive, undefined);
  const after = flatten(c.after ?? null, c.after_sensitive, c.after_unknown);
  const beforeByPath = new Map(before.map((l) => [l.path, l]));
  const seen = new Set<string>();
  for (const leaf of after) {
    seen.add(leaf.path);
    const old = beforeByPath.get(leaf.path);
    if (change.action === "create") {
      if (leaf.value === null && !leaf.unknown) continue;
      lines.push(`+     ${leaf.path} = ${format(leaf, options)}`);
      continue;
    }
    const oldText = format(old, options);
    const newText = format(leaf, options);
    const same =
      old &&
      !leaf.unknown &&
      JSON.stringify(old.value) === JSON.stringify(leaf.value) &&
      old.sensitive === leaf.sensitive;
    if (same) continue;
    if (old && oldText === newText && !leaf.unknown) {
      lines.push(`!     ${leaf.path} = ${SENSITIVE} (changed)`);
      continue;
    }
    const forces = change.replaceReasons.some(
      (r) => leaf.path === r || leaf.path.startsWith(`${r}.`) || leaf.path.startsWith(`${r}[`),
    );
    const prefix = !old || old.value === null ? "+" : "!";
    lines.push(
      `${prefix}     ${leaf.path} = ${old && old.value !== null ? `${oldText} -> ` : ""}${newText}${forces ? " # forces replacement" : ""}`,
    );
  }
  for (const leaf of before) {
    if (seen.has(leaf.path) || leaf.value === null) continue;
    lines.push(`-     ${leaf.path} = ${format(leaf, options)} -> null`);
  }
  return lines;
}

/** Renders the whole diff as text (one block per changed resource). */
export function renderDiff(changes: readonly Change[], options: DiffOptions = {}): string {
  return changes.map((c) => renderChange(c, options).join("\n")).join("\n\n");
}
