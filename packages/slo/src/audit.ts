/**
 * The daily SLO audit (continuous improvement): per SLO, the budget left, the burn trend (this trend
 * window against the previous one), and whether the objective looks too tight (budget exhausted) or too
 * loose (almost none of it used over a well-observed period), with a suggested goal.
 */
import type { SloCatalog } from "./declaration";
import { formatDuration } from "./duration";
import { evaluateCatalog, type SloEvaluation, sloMinutes } from "./evaluate";
import { burnRate, type MinuteCounts, sli, windowCounts } from "./math";

export type AuditVerdict = "too-tight" | "too-loose" | "ok" | "no-data";

/** The audit's finding for one SLO. */
export interface AuditFinding {
  evaluation: SloEvaluation;
  verdict: AuditVerdict;
  trend: {
    window: string;
    current: number | null;
    previous: number | null;
    direction: "rising" | "falling" | "steady" | "unknown";
  };
  /** A goal the SLO could move to (too loose: tighter; too tight: what it actually achieved). */
  suggestedGoal?: number;
  advice: string;
}

/** The audit over the catalog. */
export interface AuditReport {
  evaluatedAt: string;
  findings: AuditFinding[];
}

/** Rounds a goal down to 4 decimals (0.99987 -> 0.9998) so a suggestion is never above what was achieved. */
const floorGoal = (g: number) => Math.floor(g * 10000) / 10000;

/** Runs the audit over per-minute data ending at `endMs` (same inputs as the gate). */
export function auditCatalog(
  catalog: SloCatalog,
  data: Map<string, MinuteCounts>,
  endMs: number,
): AuditReport {
  const gate = evaluateCatalog(catalog, data, endMs);
  const { audit } = catalog.policy;
  const findings = gate.evaluations.map((evaluation): AuditFinding => {
    const { slo } = evaluation;
    const minutes = sloMinutes(slo, data, catalog, evaluation.endMs);
    const w = audit.trendWindowSeconds;
    const cur = windowCounts(minutes, evaluation.endMs, w);
    const prev = windowCounts(minutes, evaluation.endMs - w * 1000, w);
    const current = burnRate(sli(cur.good, cur.total), slo.goal);
    const previous = burnRate(sli(prev.good, prev.total), slo.goal);
    const direction =
      current === null || previous === null
        ? "unknown"
        : current > previous * 1.25 + 0.01
          ? "rising"
          : current < previous * 0.8 - 0.01
            ? "falling"
            : "steady";
    const trend = { window: formatDuration(w), current, previous, direction } as const;
    const achieved = evaluation.period.sli;
    const remaining = evaluation.budgetRemaining;
    if (achieved === null || remaining === null)
      return {
        evaluation,
        verdict: "no-data",
        trend,
        advice: "No data over the rolling period: check the SLI's metrics exist.",
      };
    if (remaining <= 0) {
      const suggestedGoal = floorGoal(achieved);
      return {
        evaluation,
        verdict: "too-tight",
        trend,
        suggestedGoal,
        advice: `Budget exhausted (achieved ${(achieved * 100).toFixed(3)}% against ${(slo.goal * 100).toFixed(3)}%): prioritise reliability work, or loosen the goal toward ${suggestedGoal} if users were not hurt.`,
      };
    }
    const consumed = 1 - remaining;
    if (consumed < audit.tooLooseBudgetConsumed && evaluation.coverage >= audit.minCoverage) {
      // Tighten so the achieved error rate would use about half of the new budget, but shrink the budget by
      // at most maxTighteningFactor per audit (one clean month is not evidence for 0.9999).
      const candidate = floorGoal(1 - 2 * (1 - achieved));
      const cap = floorGoal(1 - (1 - slo.goal) / audit.maxTighteningFactor);
      const suggestedGoal = Math.min(0.9999, candidate, cap);
      if (suggestedGoal > slo.goal)
        return {
          evaluation,
          verdict: "too-loose",
          trend,
          suggestedGoal,
          advice: `Only ${(consumed * 100).toFixed(1)}% of the budget used: the objective could tighten to ${suggestedGoal}.`,
        };
    }
    return { evaluation, verdict: "ok", trend, advice: "Within budget." };
  });
  return { evaluatedAt: gate.evaluatedAt, findings };
}
