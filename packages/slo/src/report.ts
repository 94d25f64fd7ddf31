/**
 * A compact, JSON-safe view of a gate or audit run: what the slo-gate action writes as its `report`
 * output and what slack-notify renders (so the notifier needs no Monitoring access).
 */
import type { AuditReport } from "./audit";
import type { GateReport, Score, SloStatus } from "./evaluate";

/** One SLO in a report. */
export interface SloReportRow {
  name: string;
  displayName: string;
  goal: number;
  /** SLI over the rolling period; null without data. */
  sli: number | null;
  budgetRemaining: number | null;
  /** Burn rate per evaluated window label (`5m`, `1h`, ...); null without data. */
  burnRates: Record<string, number | null>;
  score: Score;
  /** measured, not-measured (no data at all) or insufficient-history. */
  status?: SloStatus;
  /** False when left out of the overall verdict (never measured, neverMeasured: exclude). */
  counted?: boolean;
  /** Gate: why it scored so. Audit: the advice. */
  notes: string[];
  verdict?: string;
  trend?: string;
  suggestedGoal?: number;
  runbook: string;
}

/** A gate or audit run, compact. */
export interface SloReport {
  kind: "gate" | "audit";
  environment: string;
  evaluatedAt: string;
  /** The verdict (gate: the worst of the SLOs, the release and the target's budget). */
  score: Score;
  rows: SloReportRow[];
  /** Gate: the candidate release over its own time in the source environment (deploy marker). */
  release?: { deployedAt: string; score: Score; notes: string[] };
  /** Gate: the target environment's own budget (an exhausted budget admits only fixes). */
  target?: { environment: string; score: Score; notes: string[] };
  /** Audit: the error budget each release spent while it was live (from deploy markers), per SLO. */
  attribution?: { release: string; deployedAt: string; spent: Record<string, number | null> }[];
  /** Gate: an approved override (P0 or security fix): the promotion went ahead despite `blockedScore`. */
  override?: { reason: string; requestedBy: string; approvedBy?: string[]; blockedScore: Score };
}

function burnRates(e: GateReport["evaluations"][number]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const a of e.alerts) {
    out[a.short.label] = a.short.burnRate;
    out[a.long.label] = a.long.burnRate;
  }
  return out;
}

/** The gate's report. */
export function gateReport(gate: GateReport, environment: string): SloReport {
  return {
    kind: "gate",
    environment,
    evaluatedAt: gate.evaluatedAt,
    score: gate.score,
    rows: gate.evaluations.map((e) => ({
      name: e.slo.name,
      displayName: e.slo.displayName,
      goal: e.slo.goal,
      sli: e.period.sli,
      budgetRemaining: e.budgetRemaining,
      burnRates: burnRates(e),
      score: e.score,
      status: e.status,
      counted: e.counted,
      notes: e.reasons,
      runbook: e.slo.runbook,
    })),
  };
}

/** The audit's report: a finding that needs a decision (too tight/loose, no data) scores warn. */
export function auditReport(audit: AuditReport, environment: string): SloReport {
  const rows = audit.findings.map((f): SloReportRow => {
    const e = f.evaluation;
    const trend =
      f.trend.current === null
        ? `no data over ${f.trend.window}`
        : `${f.trend.direction}: ${f.trend.current.toFixed(2)}x over the last ${f.trend.window}${f.trend.previous === null ? "" : ` (${f.trend.previous.toFixed(2)}x the ${f.trend.window} before)`}`;
    return {
      name: e.slo.name,
      displayName: e.slo.displayName,
      goal: e.slo.goal,
      sli: e.period.sli,
      budgetRemaining: e.budgetRemaining,
      burnRates: burnRates(e),
      status: e.status,
      counted: e.counted,
      score:
        f.verdict === "ok"
          ? "pass"
          : f.verdict === "too-tight" && (e.budgetRemaining ?? 0) <= 0
            ? "fail"
            : "warn",
      notes: [f.advice],
      verdict: f.verdict,
      trend,
      ...(f.suggestedGoal === undefined ? {} : { suggestedGoal: f.suggestedGoal }),
      runbook: e.slo.runbook,
    };
  });
  const score = rows.some((r) => r.score === "fail")
    ? "fail"
    : rows.some((r) => r.score === "warn")
      ? "warn"
      : "pass";
  return { kind: "audit", environment, evaluatedAt: audit.evaluatedAt, score, rows };
}

const pct = (v: number | null, digits = 3) => (v === null ? "n/a" : `${(v * 100).toFixed(digits)}%`);
const rate = (v: number | null | undefined) => (v === null || v === undefined ? "n/a" : `${v.toFixed(2)}x`);
const ICON: Record<Score, string> = { pass: "✅ pass", warn: "⚠️ warn", fail: "❌ fail" };

/** The score cell: an SLO left out of the verdict is shown loudly, never as a quiet pass. */
const scoreCell = (r: SloReportRow) =>
  r.counted === false
    ? "🚫 **NOT MEASURED** (not scored)"
    : r.status === "insufficient-history"
      ? `${ICON[r.score]} (insufficient history)`
      : r.status === "not-measured"
        ? `${ICON[r.score]} (**NOT MEASURED**)`
        : ICON[r.score];

/** Markdown for the job summary (GitHub-flavoured tables); runbook links are prefixed with `runbookBaseUrl`. */
export function reportMarkdown(report: SloReport, runbookBaseUrl = ""): string {
  const title =
    report.kind === "gate"
      ? `SLO gate for ${report.environment}: ${ICON[report.score]}`
      : `SLO audit of ${report.environment}: ${ICON[report.score]}`;
  const lines = [`## ${title}`, "", `Evaluated at ${report.evaluatedAt}.`, ""];
  if (report.override)
    lines.push(
      `> [!WARNING]`,
      `> **OVERRIDDEN** by ${report.override.requestedBy} (approved in the protected override environment${report.override.approvedBy?.length ? ` by ${report.override.approvedBy.join(", ")}` : ""}): the gate scored ${ICON[report.override.blockedScore]}. Reason: ${report.override.reason}`,
      "",
    );
  if (report.release)
    lines.push(
      `**Release since its deploy (${report.release.deployedAt}):** ${ICON[report.release.score]}${report.release.notes.length ? ` - ${report.release.notes.join("; ")}` : ""}`,
      "",
    );
  if (report.target)
    lines.push(
      `**Budget of the target (${report.target.environment}):** ${ICON[report.target.score]}${report.target.notes.length ? ` - ${report.target.notes.join("; ")}` : ""}`,
      "",
    );
  const windows = [...new Set(report.rows.flatMap((r) => Object.keys(r.burnRates)))];
  if (report.kind === "gate") {
    lines.push(
      `| SLO | goal | SLI (period) | budget left | ${windows.map((w) => `burn ${w}`).join(" | ")} | score | why |`,
      `|---|---|---|---|${windows.map(() => "---|").join("")}---|---|`,
    );
    for (const r of report.rows)
      lines.push(
        `| ${r.displayName} | ${pct(r.goal, 2)} | ${pct(r.sli)} | ${pct(r.budgetRemaining, 1)} | ${windows.map((w) => rate(r.burnRates[w])).join(" | ")} | ${scoreCell(r)} | ${r.notes.join("; ") || "-"} |`,
      );
  } else {
    lines.push(
      "| SLO | goal | SLI (period) | budget left | burn trend | verdict | suggested goal | advice |",
      "|---|---|---|---|---|---|---|---|",
    );
    for (const r of report.rows)
      lines.push(
        `| ${r.displayName} | ${pct(r.goal, 2)} | ${pct(r.sli)} | ${pct(r.budgetRemaining, 1)} | ${r.trend ?? "-"} | ${r.verdict ?? "-"} | ${r.suggestedGoal ?? "-"} | ${r.notes.join("; ")} |`,
      );
  }
  if (report.attribution && report.attribution.length > 0) {
    const names = report.rows.map((r) => r.name);
    lines.push(
      "",
      "### Error budget spent per release",
      "",
      `| release | deployed | ${names.join(" | ")} |`,
      `|---|---|${names.map(() => "---|").join("")}`,
      ...report.attribution.map(
        (a) =>
          `| ${a.release} | ${a.deployedAt} | ${names.map((n) => pct(a.spent[n] ?? null, 1)).join(" | ")} |`,
      ),
    );
  }
  lines.push(
    "",
    `Runbooks: ${report.rows.map((r) => `[${r.name}](${runbookBaseUrl}${r.runbook})`).join(", ")}`,
    "",
  );
  return lines.join("\n");
}
