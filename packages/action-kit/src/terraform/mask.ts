/**
 * Keeping plan and apply output out of the job log in clear. The runner masks only the values registered with
 * `core.setSecret`, so the actions (1) never stream the plan's own text output to the log (the masked diff goes
 * to the comment and the job summary instead), (2) register every value the plan JSON marks sensitive, and
 * (3) pass every line they do log through {@link maskText} (URLs with passwords and the caller's patterns).
 */
import { ALWAYS_MASKED, SECRET_ATTRIBUTE } from "./defaults";
import type { PlanJson } from "./plan";

/** What a masked match is replaced with (the runner's own mask). */
export const MASK = "***";

/** Shortest string registered as a secret: shorter ones ("true", "1") would mask half the log. */
export const MIN_SECRET_LENGTH = 6;

function global(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
}

/** Replaces URLs with passwords and every match of `patterns` by {@link MASK}. */
export function maskText(text: string, patterns: readonly RegExp[] = []): string {
  let out = text;
  for (const re of [...ALWAYS_MASKED, ...patterns]) out = out.replace(global(re), MASK);
  return out;
}

/** A logger that masks each line before handing it on. */
export function maskedLogger(
  log: (line: string) => void,
  patterns: readonly RegExp[],
): (line: string) => void {
  return (line) => log(maskText(line, patterns));
}

function collect(value: unknown, mark: unknown, name: string, out: Set<string>): void {
  const secret = mark === true || SECRET_ATTRIBUTE.test(name);
  if (typeof value === "string") {
    if (secret && value.length >= MIN_SECRET_LENGTH) out.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      collect(v, secret ? true : Array.isArray(mark) ? mark[i] : undefined, name, out);
    }
    return;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const childMark = secret
        ? true
        : mark && typeof mark === "object"
          ? (mark as Record<string, unknown>)[k]
          : undefined;
      collect(v, childMark, k, out);
    }
  }
}

/** The plan JSON fields {@link sensitiveValues} reads besides those of {@link PlanJson}. */
interface PlanJsonWithVariables extends PlanJson {
  variables?: Record<string, { value?: unknown }>;
  configuration?: { root_module?: { variables?: Record<string, { sensitive?: boolean }> } };
}

/**
 * Every string the plan marks sensitive (resource before/after values, sensitive root variables) or holds under
 * a secret-looking attribute name: the values to register with `core.setSecret` before anything is logged.
 */
export function sensitiveValues(plan: PlanJson): string[] {
  const out = new Set<string>();
  for (const rc of plan.resource_changes ?? []) {
    collect(rc.change.before, rc.change.before_sensitive, "", out);
    collect(rc.change.after, rc.change.after_sensitive, "", out);
  }
  const p = plan as PlanJsonWithVariables;
  const declared = p.configuration?.root_module?.variables ?? {};
  for (const [name, v] of Object.entries(p.variables ?? {})) {
    collect(v.value, declared[name]?.sensitive === true ? true : undefined, name, out);
  }
  return [...out].sort();
}
