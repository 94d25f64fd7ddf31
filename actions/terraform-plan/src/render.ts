/**
 * Renders the pull-request comment (and the job summary) of one environment's plan: marker, stateful losses
 * first, summary counts, policy verdicts, changes by module, the masked diff collapsed. Keeps the body under a
 * byte budget by degrading in steps: shorter diff, then module lists reduced to counts, then lists capped.
 */
import {
  type Change,
  groupByModule,
  markerLine,
  metaLine,
  type PlanMeta,
  type PlanSummary,
  statusHeading,
  summaryLine,
} from "@shopstream/action-kit/terraform";
import { COMMENT_BUDGET, MAX_POLICY_ROWS } from "./defaults";
import { type DiffOptions, renderChange } from "./diff";
import type { PolicyResult } from "./policy";

/** Everything a comment shows besides the plan itself. */
export interface RenderInput {
  environment: string;
  summary: PlanSummary;
  policy: PolicyResult;
  meta: PlanMeta;
  /** Link to the run and to the uploaded plan artifact, when known. */
  runUrl?: string;
  artifactUrl?: string;
  /** Override label present (stateful losses allowed). */
  destroyAllowed?: boolean;
  diff?: DiffOptions;
  /** Byte budget (defaults to the comment budget). */
  budget?: number;
}

/** What {@link renderComment} had to leave out. */
export interface RenderResult {
  body: string;
  bytes: number;
  /** Resources whose diff is shown in full, of all changed resources. */
  diffShown: number;
  diffTotal: number;
  truncated: boolean;
  /** Module sections reduced to counts only. */
  modulesCompacted: boolean;
}

const ICON: Record<string, string> = {
  create: "🟢 create",
  update: "🟡 update",
  replace: "🟠 replace",
  delete: "🔴 destroy",
  import: "🔵 import",
  forget: "⚪ forget",
};

const bytes = (s: string): number => Buffer.byteLength(s, "utf8");

/** Escapes text for a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;");
}

/** Code-span that survives backticks in the content. */
function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  return `${fence}${text}${fence}`;
}

function shortSha(sha: string): string {
  return sha.slice(0, 12);
}

function statusIcon(input: RenderInput): string {
  if (input.policy.status === "fail") return "❌";
  if (input.summary.statefulLosses.length && !input.destroyAllowed) return "⛔";
  if (input.summary.statefulLosses.length || input.policy.status === "warn") return "⚠️";
  return input.summary.hasChanges ? "📝" : "✅";
}

function header(input: RenderInput): string {
  const { environment, summary, meta } = input;
  const title = summary.hasChanges ? summaryLine(summary.counts) : "no changes";
  const lines = [
    markerLine(environment),
    metaLine(meta),
    statusHeading(statusIcon(input), "Terraform plan", environment, title),
    "",
  ];
  return lines.join("\n");
}

function losses(input: RenderInput, limit: number): string {
  const list = input.summary.statefulLosses;
  if (!list.length) return "";
  const kind = input.destroyAllowed ? "WARNING" : "CAUTION";
  const what = input.destroyAllowed
    ? `allowed by the label ${code(`allow-destroy:${input.environment}`)}`
    : `blocked unless the pull request has the label ${code(`allow-destroy:${input.environment}`)}`;
  const lines = [
    `> [!${kind}]`,
    `> **${list.length} stateful resource${list.length === 1 ? "" : "s"} will lose data** (${what}):`,
  ];
  for (const c of list.slice(0, limit)) {
    const reason = c.replaceReasons.length ? ` — forced by ${c.replaceReasons.map(code).join(", ")}` : "";
    lines.push(`> - ${ICON[c.action]} ${code(c.address)} (${c.type})${reason}`);
  }
  if (list.length > limit) lines.push(`> - … and ${list.length - limit} more (see the plan artifact)`);
  return `${lines.join("\n")}\n\n`;
}

function counts(input: RenderInput): string {
  const s = input.summary;
  if (!s.hasChanges) return "**No changes.** The infrastructure matches the configuration.\n\n";
  const c = s.counts;
  const row = [c.create, c.update, c.replace, c.delete].join(" | ");
  const extra = [
    c.import ? `${c.import} to import` : "",
    c.forget ? `${c.forget} to forget` : "",
    s.outputChanges ? `${s.outputChanges} output${s.outputChanges === 1 ? "" : "s"} changed` : "",
  ].filter(Boolean);
  return [
    "| 🟢 create | 🟡 update | 🟠 replace | 🔴 destroy |",
    "|---:|---:|---:|---:|",
    `| ${row} |`,
    extra.length ? `\n${extra.join(" · ")}` : "",
    "",
    "",
  ].join("\n");
}

function policies(input: RenderInput, limit: number): string {
  const p = input.policy;
  if (p.status === "skipped") return "**Policies:** skipped.\n\n";
  const denies = p.verdicts.filter((v) => v.severity === "deny").length;
  const warns = p.verdicts.length - denies;
  const head =
    p.status === "pass"
      ? "**Policies:** ✅ all passed."
      : `**Policies:** ${denies ? `❌ ${denies} denied` : ""}${denies && warns ? ", " : ""}${warns ? `⚠️ ${warns} warning${warns === 1 ? "" : "s"}` : ""}`;
  if (!p.verdicts.length) return `${head}\n\n`;
  const rows = p.verdicts
    .slice(0, limit)
    .map(
      (v) =>
        `| ${v.severity === "deny" ? "❌ deny" : "⚠️ warn"} | ${code(v.policy)} | ${v.address ? code(v.address) : "—"} | ${cell(v.message)} |`,
    );
  if (p.verdicts.length > limit)
    rows.push(`| | | | … and ${p.verdicts.length - limit} more in the job summary |`);
  return [head, "", "| verdict | policy | resource | message |", "|---|---|---|---|", ...rows, "", ""].join(
    "\n",
  );
}

function moduleTable(groups: Map<string, Change[]>): string {
  const rows = [...groups].map(([module, list]) => {
    const n = (a: string) => list.filter((c) => c.action === a).length || "";
    return `| ${code(module)} | ${n("create")} | ${n("update")} | ${n("replace")} | ${n("delete")} |`;
  });
  return ["| module | create | update | replace | destroy |", "|---|---:|---:|---:|---:|", ...rows, ""].join(
    "\n",
  );
}

function moduleDetails(groups: Map<string, Change[]>): string {
  const out: string[] = [];
  for (const [module, list] of groups) {
    out.push(`<details><summary>${cell(module)} (${list.length})</summary>`, "");
    for (const c of list) out.push(`- ${ICON[c.action]} ${code(c.address)}`);
    out.push("", "</details>");
  }
  return `${out.join("\n")}\n`;
}

function footer(input: RenderInput, notes: string[]): string {
  const { meta } = input;
  const bits = [
    `Plan SHA-256 ${code(shortSha(meta.sha256))}`,
    `commit ${code(shortSha(meta.commit))}`,
    meta.baseSha ? `base ${code(shortSha(meta.baseSha))}` : "",
    input.artifactUrl ? `[plan artifact](${input.artifactUrl})` : "",
    input.runUrl ? `[run](${input.runUrl})` : "",
    `Terraform ${input.summary.terraformVersion}`,
  ].filter(Boolean);
  return [...notes.map((n) => `> ${n}`), notes.length ? "" : "", `<sub>${bits.join(" · ")}</sub>`, ""].join(
    "\n",
  );
}

/** Fits as many resource diffs as the byte budget allows, in plan order. */
function fitDiff(
  changes: readonly Change[],
  budget: number,
  options: DiffOptions,
): { text: string; shown: number } {
  const open = "<details><summary>Full diff (sensitive values masked)</summary>\n\n```diff\n";
  const close = "\n```\n\n</details>\n";
  let used = bytes(open) + bytes(close);
  const parts: string[] = [];
  for (const c of changes) {
    let block = renderChange(c, options).join("\n").replace(/```/g, "ˋˋˋ");
    if (parts.length) block = `\n\n${block}`;
    const size = bytes(block);
    if (used + size > budget) break;
    parts.push(block);
    used += size;
  }
  if (!parts.length) return { text: "", shown: 0 };
  return { text: `${open}${parts.join("")}${close}`, shown: parts.length };
}

/** Renders the comment body within the byte budget. */
export function renderComment(input: RenderInput): RenderResult {
  const budget = input.budget ?? COMMENT_BUDGET;
  const options = input.diff ?? {};
  const changes = input.summary.changes;
  const groups = groupByModule(changes);
  const reserve = 600; // room for the truncation notes and footer links

  const attempts = [
    [Number.POSITIVE_INFINITY, MAX_POLICY_ROWS, false],
    [Number.POSITIVE_INFINITY, MAX_POLICY_ROWS, true],
    [25, 25, true],
  ] as const;
  for (const [i, [lossLimit, policyLimit, compact]] of attempts.entries()) {
    const top = header(input) + losses(input, lossLimit) + counts(input) + policies(input, policyLimit);
    const modules = changes.length
      ? `**Changes by module**\n\n${moduleTable(groups)}\n${compact ? "" : moduleDetails(groups)}\n`
      : "";
    const fixed = bytes(top) + bytes(modules) + bytes(footer(input, [])) + reserve;
    const room = budget - fixed;
    // Not even the module list fits without the diff: try the next, more compact, attempt.
    if (room < 0 && i < attempts.length - 1) continue;
    const diff = changes.length ? fitDiff(changes, Math.max(room, 0), options) : { text: "", shown: 0 };
    const notes: string[] = [];
    const truncated = diff.shown < changes.length;
    if (truncated) {
      const where = input.artifactUrl
        ? `the [plan artifact](${input.artifactUrl})`
        : "the plan artifact of the run";
      notes.push(
        `✂️ The diff is truncated to fit GitHub's 65,536-character limit: ${diff.shown} of ${changes.length} resources shown. Full masked diff and plan in ${where}.`,
      );
    }
    if (compact && changes.length)
      notes.push("Module sections show counts only (plan too large to list every resource).");
    let body = top + modules + diff.text + footer(input, notes);
    if (bytes(body) > budget) body = hardTruncate(body, budget);
    return {
      body,
      bytes: bytes(body),
      diffShown: diff.shown,
      diffTotal: changes.length,
      truncated,
      modulesCompacted: compact,
    };
  }
  // Unreachable in practice: the last attempt always returns.
  throw new Error("could not render the plan comment");
}

/** Last resort: cut at a line boundary and say so. */
export function hardTruncate(body: string, budget: number): string {
  const note = "\n\n> ✂️ Comment cut to fit GitHub's size limit; see the plan artifact.\n";
  let cut = body;
  while (bytes(cut) + bytes(note) > budget) cut = cut.slice(0, Math.floor(cut.length * 0.9));
  return cut.slice(0, cut.lastIndexOf("\n")) + note;
}
