/**
 * Multi-window evaluation and gate scoring. Input: per-minute good/total counts per SLO (from Cloud
 * Monitoring via cloud.ts, or anything else); output: SLI, budget and burn rates per window and a
 * Keptn-style pass / warn / fail score per SLO and overall.
 */
import type { BurnRateAlert, ErrorBudgetPolicy, SloCatalog, SloDefinition } from "./declaration";
import { formatDuration } from "./duration";
import { budgetRemaining, burnRate, type MinuteCounts, sli, windowCounts } from "./math";

export type Score = "pass" | "warn" | "fail";

const RANK: Record<Score, number> = { pass: 0, warn: 1, fail: 2 };
/** The worse of the scores (fail > warn > pass); pass for none. */
export const worst = (scores: Score[]): Score =>
  scores.reduce<Score>((a, b) => (RANK[b] > RANK[a] ? b : a), "pass");

/** SLI and burn rate over one window ending at the evaluation time. */
export interface WindowResult {
  seconds: number;
  label: string;
  good: number;
  total: number;
  /** Minutes of the window that had data. */
  minutes: number;
  sli: number | null;
  burnRate: number | null;
}

/** One burn-rate rule evaluated: firing when both windows burn faster than the threshold. */
export interface AlertResult {
  alert: BurnRateAlert;
  long: WindowResult;
  short: WindowResult;
  firing: boolean;
}

/** Everything the gate and the audit know about one SLO. */
export interface SloEvaluation {
  slo: SloDefinition;
  period: WindowResult;
  /** Minutes with data / minutes in the rolling period. */
  coverage: number;
  budgetRemaining: number | null;
  alerts: AlertResult[];
  score: Score;
  reasons: string[];
}

/** The gate's verdict over the catalog. */
export interface GateReport {
  evaluatedAt: string;
  score: Score;
  evaluations: SloEvaluation[];
}

/** Evaluates one window of per-minute counts ending at `endMs`. */
export function evaluateWindow(
  minutes: MinuteCounts,
  endMs: number,
  seconds: number,
  goal: number,
): WindowResult {
  const c = windowCounts(minutes, endMs, seconds);
  const value = sli(c.good, c.total);
  return { seconds, label: formatDuration(seconds), ...c, sli: value, burnRate: burnRate(value, goal) };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Evaluates one SLO: rolling-period SLI and budget, every burn-rate rule, and the gate score. */
export function evaluateSlo(
  slo: SloDefinition,
  minutes: MinuteCounts,
  policy: ErrorBudgetPolicy,
  endMs: number,
): SloEvaluation {
  const period = evaluateWindow(minutes, endMs, slo.rollingPeriodSeconds, slo.goal);
  const coverage = period.minutes / (slo.rollingPeriodSeconds / 60);
  const remaining = budgetRemaining(period.sli, slo.goal);
  const alerts = slo.alerts.map((alert) => {
    const long = evaluateWindow(minutes, endMs, alert.longWindowSeconds, slo.goal);
    const short = evaluateWindow(minutes, endMs, alert.shortWindowSeconds, slo.goal);
    const firing =
      long.burnRate !== null &&
      short.burnRate !== null &&
      long.burnRate > alert.burnRate &&
      short.burnRate > alert.burnRate;
    return { alert, long, short, firing };
  });
  const reasons: string[] = [];
  const scores: Score[] = [];
  if (remaining === null) {
    scores.push(policy.gate.missingData);
    reasons.push(`no data over ${period.label} (missing data scores ${policy.gate.missingData})`);
  } else {
    if (remaining <= policy.gate.failBudgetRemaining) {
      scores.push("fail");
      reasons.push(
        `error budget ${remaining <= 0 ? "exhausted" : "nearly exhausted"}: ${pct(remaining)} left`,
      );
    } else if (remaining < policy.gate.warnBudgetRemaining) {
      scores.push("warn");
      reasons.push(
        `only ${pct(remaining)} of the error budget left (warn below ${pct(policy.gate.warnBudgetRemaining)})`,
      );
    }
    for (const a of alerts.filter((x) => x.firing)) {
      scores.push(a.alert.severity === "page" ? "fail" : "warn");
      reasons.push(
        `${a.alert.name}: burning ${a.long.burnRate?.toFixed(1)}x over ${a.long.label} and ${a.short.burnRate?.toFixed(1)}x over ${a.short.label} (> ${a.alert.burnRate}x)`,
      );
    }
  }
  return { slo, period, coverage, budgetRemaining: remaining, alerts, score: worst(scores), reasons };
}

/**
 * Per-minute verdicts of a composite SLO: a minute counts 1 good of 1 when every component with data in
 * it is up in it (good/total >= the composite's minuteThreshold), 0 of 1 when one is not, and is absent
 * when no component has data.
 */
export function compositeMinutes(
  slo: SloDefinition,
  data: Map<string, MinuteCounts>,
  catalog: SloCatalog,
): MinuteCounts {
  if (slo.sli.kind !== "composite") throw new Error(`${slo.name} is not composite`);
  const threshold = slo.sli.minuteThreshold;
  const out: MinuteCounts = new Map();
  for (const name of slo.sli.components) {
    const component = catalog.slos.find((s) => s.name === name);
    const minutes = data.get(name);
    if (!component || !minutes) continue;
    for (const [at, c] of minutes) {
      if (!(c.total > 0)) continue;
      const good = c.good / c.total >= threshold ? 1 : 0;
      const previous = out.get(at);
      out.set(at, { good: previous ? Math.min(previous.good, good) : good, total: 1 });
    }
  }
  return out;
}

/**
 * Evaluates every SLO of the catalog at `endMs`. `data` holds per-minute counts of the non-composite
 * SLOs (an SLO missing from it has no data); composites are computed from their components.
 */
export function evaluateCatalog(
  catalog: SloCatalog,
  data: Map<string, MinuteCounts>,
  endMs: number,
): GateReport {
  const evaluations = catalog.slos.map((slo) => {
    const minutes =
      slo.sli.kind === "composite" ? compositeMinutes(slo, data, catalog) : (data.get(slo.name) ?? new Map());
    return evaluateSlo(slo, minutes, catalog.policy, endMs);
  });
  return {
    evaluatedAt: new Date(endMs).toISOString(),
    score: worst(evaluations.map((e) => e.score)),
    evaluations,
  };
}
