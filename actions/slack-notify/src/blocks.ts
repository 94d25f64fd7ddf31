/** Block Kit messages (pure: inputs in, `{ text, blocks }` out), one shape per kind of event. */
import type { SloReport } from "@shopstream/slo";

/** What a message is about. */
export interface MessageInput {
  kind: "deploy" | "gate" | "audit" | "failure";
  status: string;
  environment: string;
  title: string;
  text: string;
  report?: SloReport;
  /** The release a promotion carried (dataflow-template's `release-summary`: ID, commit, pins). */
  release?: string;
  /** Link to the workflow run (GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID). */
  runUrl?: string;
  /** e.g. "acme/shop@1a2b3c4 by octocat". */
  context?: string;
}

/** A Block Kit block (only the fields this action uses). */
export type Block = Record<string, unknown>;

const ICONS: Record<string, string> = {
  success: ":white_check_mark:",
  pass: ":white_check_mark:",
  started: ":hourglass_flowing_sand:",
  warn: ":warning:",
  failure: ":x:",
  fail: ":x:",
  cancelled: ":no_entry_sign:",
};

/** Slack mrkdwn escaping of user text (&, <, >). */
export const escapeMrkdwn = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
const pct = (v: number | null, d = 2) => (v === null ? "n/a" : `${(v * 100).toFixed(d)}%`);

function defaultTitle(m: MessageInput): string {
  const env = m.environment ? ` ${m.environment}` : "";
  if (m.kind === "deploy") return `Deploy to${env}: ${m.status}`;
  if (m.kind === "gate") return `SLO gate${env ? ` for${env}` : ""}: ${m.report?.score ?? m.status}`;
  if (m.kind === "audit") return `Daily SLO audit${env ? ` of${env}` : ""}: ${m.report?.score ?? m.status}`;
  return `Workflow failed${env ? ` in${env}` : ""}`;
}

function reportBlocks(report: SloReport): Block[] {
  const blocks: Block[] = [];
  for (const row of report.rows.slice(0, 20)) {
    const burn = Object.entries(row.burnRates)
      .filter(([, v]) => v !== null)
      .slice(0, 4)
      .map(([w, v]) => `${w} ${(v as number).toFixed(1)}x`)
      .join(", ");
    const lines = [
      `${ICONS[row.score] ?? ""} *${escapeMrkdwn(row.displayName)}* — goal ${pct(row.goal)}, SLI ${pct(row.sli, 3)}, budget left ${pct(row.budgetRemaining, 1)}`,
      report.kind === "audit"
        ? `${row.verdict ?? ""}${row.suggestedGoal === undefined ? "" : ` (suggested goal ${row.suggestedGoal})`} · trend ${row.trend ?? "n/a"}`
        : burn
          ? `burn ${burn}`
          : "",
      ...row.notes.map((n) => `• ${escapeMrkdwn(n)}`),
    ].filter(Boolean);
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(lines.join("\n"), 2900) } });
  }
  if (report.rows.length > 20)
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `…and ${report.rows.length - 20} more` }],
    });
  return blocks;
}

/** The message: a fallback `text` (notifications, screen readers) and the blocks (at most 50). */
export function buildMessage(m: MessageInput): { text: string; blocks: Block[] } {
  const status = m.report?.score ?? m.status;
  const title = clip(m.title || defaultTitle(m), 150);
  const blocks: Block[] = [
    { type: "header", text: { type: "plain_text", text: clip(`${title}`, 150), emoji: true } },
  ];
  const summary = [`${ICONS[status] ?? ":information_source:"} *${escapeMrkdwn(status)}*`];
  if (m.environment) summary.push(`environment *${escapeMrkdwn(m.environment)}*`);
  if (m.report) summary.push(`evaluated ${m.report.evaluatedAt}`);
  blocks.push({ type: "section", text: { type: "mrkdwn", text: summary.join(" · ") } });
  if (m.text) blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(m.text, 2900) } });
  // Which release went where: the one line that tells what now runs in the environment.
  if (m.release)
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: clip(
          `:package: ${m.environment ? `*${escapeMrkdwn(m.environment)}* ← ` : ""}${escapeMrkdwn(m.release)}`,
          2900,
        ),
      },
    });
  // An overridden gate must never read as a plain pass: who, why, and what it would have scored.
  const override = m.report?.override;
  if (override)
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: clip(
          `:rotating_light: *SLO gate OVERRIDDEN* by ${escapeMrkdwn(override.requestedBy)} (approved in the protected override environment); it would have scored *${escapeMrkdwn(override.blockedScore)}*. Reason: ${escapeMrkdwn(override.reason)}`,
          2900,
        ),
      },
    });
  if (m.report) {
    blocks.push({ type: "divider" });
    blocks.push(...reportBlocks(m.report));
  }
  const context = [m.context, m.runUrl ? `<${m.runUrl}|workflow run>` : undefined].filter(
    Boolean,
  ) as string[];
  if (context.length)
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: context.join(" · ") }] });
  return {
    text: `${title}${m.environment && !title.includes(m.environment) ? ` (${m.environment})` : ""}`,
    blocks: blocks.slice(0, 50),
  };
}
