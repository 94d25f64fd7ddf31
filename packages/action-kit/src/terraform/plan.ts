/**
 * Parsing and summarising `terraform show -json` / `tofu show -json` output (format_version 1.x): pure
 * functions, no I/O.
 */

/** One entry of `resource_changes` as Terraform writes it (fields this action reads). */
export interface ResourceChangeJson {
  address: string;
  module_address?: string;
  mode?: "managed" | "data";
  type: string;
  name: string;
  index?: string | number;
  provider_name?: string;
  action_reason?: string;
  change: {
    actions: string[];
    before?: unknown;
    after?: unknown;
    after_unknown?: unknown;
    before_sensitive?: unknown;
    after_sensitive?: unknown;
    replace_paths?: unknown[][];
    importing?: unknown;
  };
}

/** The subset of the plan JSON document this action reads. */
export interface PlanJson {
  format_version: string;
  terraform_version?: string;
  resource_changes?: ResourceChangeJson[];
  output_changes?: Record<string, { actions: string[] }>;
  errored?: boolean;
  applyable?: boolean;
  complete?: boolean;
}

/** What happens to one resource, as one word. */
export type Action = "create" | "update" | "replace" | "delete" | "forget" | "import" | "no-op" | "read";

/** A resource change reduced to what the comment, the labels and the policies need. */
export interface Change {
  address: string;
  module: string;
  type: string;
  action: Action;
  stateful: boolean;
  /** Attribute paths forcing a replacement, e.g. `location`, `schema[0].name`. */
  replaceReasons: string[];
  raw: ResourceChangeJson;
}

/** Counts shown in the summary line. */
export interface Counts {
  create: number;
  update: number;
  replace: number;
  delete: number;
  import: number;
  forget: number;
}

/** The whole plan, summarised. */
export interface PlanSummary {
  terraformVersion: string;
  changes: Change[];
  counts: Counts;
  /** Changes of stateful resources that lose data (delete or replace). */
  statefulLosses: Change[];
  outputChanges: number;
  hasChanges: boolean;
}

/** Root module label used when a resource has no module_address. */
export const ROOT_MODULE = "(root)";

/**
 * Parses the JSON text of a plan and checks it is a plan document, with an error that says what to run.
 * @throws Error when the text is not JSON or not a plan of a supported format.
 */
export function parsePlanJson(text: string): PlanJson {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `plan JSON is not valid JSON (${(error as Error).message}); produce it with \`terraform show -json <planfile>\``,
    );
  }
  if (!doc || typeof doc !== "object" || typeof (doc as PlanJson).format_version !== "string") {
    throw new Error("plan JSON has no format_version; produce it with `terraform show -json <planfile>`");
  }
  const plan = doc as PlanJson;
  const major = plan.format_version.split(".")[0];
  if (major !== "1") {
    throw new Error(`unsupported plan format_version ${plan.format_version} (this action reads 1.x)`);
  }
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes)) {
    throw new Error("plan JSON resource_changes is not an array");
  }
  return plan;
}

/** Maps Terraform's `change.actions` list to one action word. */
export function classify(rc: ResourceChangeJson): Action {
  const actions = rc.change.actions;
  const key = actions.join(",");
  switch (key) {
    case "create":
      return "create";
    case "update":
      return "update";
    case "delete":
      return "delete";
    case "delete,create":
    case "create,delete":
      return "replace";
    case "forget":
      return "forget";
    case "read":
      return "read";
    case "no-op":
      return rc.change.importing ? "import" : "no-op";
    default:
      if (actions.includes("delete") && actions.includes("create")) return "replace";
      return "no-op";
  }
}

function pathToString(path: unknown[]): string {
  let out = "";
  for (const step of path) {
    if (typeof step === "number") out += `[${step}]`;
    else out += out ? `.${String(step)}` : String(step);
  }
  return out;
}

/**
 * Summarises a plan: one {@link Change} per managed resource that changes, counts, and the stateful losses.
 * @param statefulTypes resource types whose destroy or replace loses data
 */
export function summarize(plan: PlanJson, statefulTypes: readonly string[]): PlanSummary {
  const stateful = new Set(statefulTypes);
  const changes: Change[] = [];
  const counts: Counts = { create: 0, update: 0, replace: 0, delete: 0, import: 0, forget: 0 };
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === "data") continue;
    const action = classify(rc);
    if (action === "no-op" || action === "read") continue;
    counts[action] += 1;
    changes.push({
      address: rc.address,
      module: rc.module_address ?? ROOT_MODULE,
      type: rc.type,
      action,
      stateful: stateful.has(rc.type),
      replaceReasons: (rc.change.replace_paths ?? []).map(pathToString),
      raw: rc,
    });
  }
  const outputChanges = Object.values(plan.output_changes ?? {}).filter(
    (o) => !o.actions.every((a) => a === "no-op"),
  ).length;
  const statefulLosses = changes.filter(
    (c) => c.stateful && (c.action === "delete" || c.action === "replace"),
  );
  return {
    terraformVersion: plan.terraform_version ?? "unknown",
    changes,
    counts,
    statefulLosses,
    outputChanges,
    hasChanges: changes.length > 0 || outputChanges > 0,
  };
}

/** Changes grouped by module address, modules sorted with the root first. */
export function groupByModule(changes: readonly Change[]): Map<string, Change[]> {
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const list = groups.get(change.module);
    if (list) list.push(change);
    else groups.set(change.module, [change]);
  }
  const keys = [...groups.keys()].sort((a, b) =>
    a === ROOT_MODULE ? -1 : b === ROOT_MODULE ? 1 : a.localeCompare(b),
  );
  return new Map(keys.map((k) => [k, groups.get(k)!]));
}

/** Terraform-style sentence: "Plan: 3 to add, 1 to change, 1 to replace, 2 to destroy." */
export function summaryLine(counts: Counts): string {
  const parts = [
    `${counts.create} to create`,
    `${counts.update} to update`,
    `${counts.replace} to replace`,
    `${counts.delete} to destroy`,
  ];
  if (counts.import) parts.push(`${counts.import} to import`);
  if (counts.forget) parts.push(`${counts.forget} to forget`);
  return parts.join(", ");
}
