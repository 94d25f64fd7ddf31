/**
 * Multi-window evaluation and gate scoring. Input: per-minute good/total counts per SLO (from Cloud
 * Monitoring via cloud.ts, or anything else); output: SLI, budget and burn rates per window and a
 * Keptn-style pass / warn / fail score per SLO and overall.
 *
 * Rules (docs/slos.md): each SLO is evaluated up to now minus its metrics' visibility delay; an SLO never
 * measured is excluded (shown loudly) or fails, as its declaration says; below gate.minCoverage of the
 * rolling period the verdict is "insufficient history"; a request-based window with fewer than
 * gate.minEvents events has no burn rate; burn-rate rules are scored whatever the period result is.
 */
import type { BurnRateAlert, ErrorBudgetPolicy, SloCatalog, SloDefinition } from "./declaration";
import { formatDuration } from "./duration";
import { budgetRemaining, burnRate, type MinuteCounts, sli, validCounts, windowCounts } from "./math";

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
  /** Minutes left out because their counts were NaN, infinite or negative. */
  invalid: number;
  sli: number | null;
  burnRate: number | null;
  /** True when the window had data but too few events for a burn rate (gate.minEvents). */
  lowVolume: boolean;
}

/** One burn-rate rule evaluated: firing when both windows burn faster than the threshold. */
export interface AlertResult {
  alert: BurnRateAlert;
  long: WindowResult;
  short: WindowResult;
  firing: boolean;
}

/** measured; never measured (no data at all); or measured over too little of the rolling period. */
export type SloStatus = "measured" | "not-measured" | "insufficient-history";

/** Everything the gate and the audit know about one SLO. */
export interface SloEvaluation {
  slo: SloDefinition;
  status: SloStatus;
  /** Where this SLO's evaluation ends: the evaluation time minus its visibility delay, to the minute. */
  endMs: number;
  period: WindowResult;
  /** History: from the first minute with data to the end, as a share of the rolling period. */
  coverage: number;
  budgetRemaining: number | null;
  alerts: AlertResult[];
  score: Score;
  /**
   * The score from every rule except insufficient history (budget, burn rates): what the SLO scores once
   * something else (the release since its deploy, see gate-policy.ts decideYoungHistory) vouches for the
   * missing history.
   */
  scoreWithoutHistory: Score;
  /** False when the SLO is left out of the overall verdict (never measured, `neverMeasured: exclude`). */
  counted: boolean;
  reasons: string[];
}

/** The gate's verdict over the catalog. */
export interface GateReport {
  evaluatedAt: string;
  score: Score;
  evaluations: SloEvaluation[];
}

/** The minute an SLO's evaluation ends at: `evaluationMs` minus its visibility delay, floored to a minute. */
export function evaluationEnd(slo: SloDefinition, evaluationMs: number): number {
  return Math.floor((evaluationMs - slo.visibilityDelaySeconds * 1000) / 60_000) * 60_000;
}

/** Request-based SLIs count events; windows-based ones count minutes (one event per minute). */
export const isRequestBased = (slo: SloDefinition): boolean =>
  slo.sli.kind === "ratio" || slo.sli.kind === "distribution-cut";

/** Evaluates one window of per-minute counts ending at `endMs`; `minEvents` below which no burn rate. */
export function evaluateWindow(
  minutes: MinuteCounts,
  endMs: number,
  seconds: number,
  goal: number,
  minEvents = 1,
): WindowResult {
  const c = windowCounts(minutes, endMs, seconds);
  const lowVolume = c.total > 0 && c.total < minEvents;
  const value = lowVolume ? null : sli(c.good, c.total);
  return {
    seconds,
    label: formatDuration(seconds),
    ...c,
    sli: value,
    burnRate: burnRate(value, goal),
    lowVolume,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Share of the rolling period the data covers: from the first minute with usable data to `endMs`. Quiet
 * minutes inside that span count as observed: Pub/Sub writes no point for a minute without traffic, so
 * counting only minutes with traffic would keep an environment that is busy one hour a day (staging)
 * "insufficient" forever. Too few events is `gate.minEvents`'s business, not coverage's.
 */
function history(minutes: MinuteCounts, endMs: number, periodSeconds: number): number {
  const startMs = endMs - periodSeconds * 1000;
  let first = Number.POSITIVE_INFINITY;
  for (const [at, c] of minutes)
    if (at > startMs && at <= endMs && at < first && c.total > 0 && validCounts(c)) first = at;
  if (!Number.isFinite(first)) return 0;
  return Math.min(1, (endMs - first + 60_000) / (periodSeconds * 1000));
}

/** True when any minute up to `endMs` has usable data. */
function everMeasured(minutes: MinuteCounts, endMs: number): boolean {
  for (const [at, c] of minutes) if (at <= endMs && c.total > 0 && validCounts(c)) return true;
  return false;
}

/**
 * How long past an SLO's visibility delay the source's release must have been live before "never
 * measured" means broken (`neverMeasured: fail`): one run of a once-a-minute writer (the SLI exporter),
 * its start-up, and ingestion jitter, with room to spare.
 */
export const NEVER_MEASURED_MARGIN_SECONDS = 600;

/** What the gate knows about the source environment's deploy. */
export interface SourceDeploy {
  /** When the release now live in the source was deployed (its deploy marker); undefined when none is recorded. */
  deployedAtMs?: number;
}

/**
 * How "never measured" scores an SLO declared `neverMeasured: fail`: fail when the source's release has
 * been live for longer than the SLO's visibility delay + NEVER_MEASURED_MARGIN_SECONDS (its writers had
 * time to deliver); warn ("insufficient history") for a younger recorded release, so prod's fail-on-warn
 * does not let a promotion slip through in the minutes after a deploy; pass, shown loudly as NOT MEASURED
 * and not scored, only for a first deploy (no recorded release): otherwise the deploy that starts the
 * measuring, e.g. a fresh fork's first promote dev -> dev, could never pass.
 */
export function neverMeasuredFails(
  slo: SloDefinition,
  evaluationMs: number,
  source: SourceDeploy | undefined,
): { score: Score; why: string } {
  if (slo.neverMeasured !== "fail")
    return { score: "pass", why: "not scored until its source is deployed (neverMeasured: exclude)" };
  const needSeconds = slo.visibilityDelaySeconds + NEVER_MEASURED_MARGIN_SECONDS;
  const deployedAtMs = source?.deployedAtMs;
  if (deployedAtMs === undefined)
    return {
      score: "pass",
      why: "not scored: the source has no recorded release (deployed-at), so its writers may not be deployed yet; once a release has been live for its visibility delay + margin, no data fails (neverMeasured: fail)",
    };
  const liveSeconds = Math.floor((evaluationMs - deployedAtMs) / 1000);
  if (liveSeconds < needSeconds)
    return {
      // warn, not pass: nothing vouches for this source yet, so a promotion out of it (prod: fail-on-warn)
      // waits for its first data instead of slipping through in the minutes after a deploy.
      score: "warn",
      why: `insufficient history: the source's release has been live ${formatDuration(Math.max(0, liveSeconds))}, less than the ${formatDuration(needSeconds)} its first data needs to become visible (visibility delay + ${formatDuration(NEVER_MEASURED_MARGIN_SECONDS)} margin); after that, no data fails (neverMeasured: fail)`,
    };
  return {
    score: "fail",
    why: `the source's release has been live ${formatDuration(liveSeconds)} (more than the ${formatDuration(needSeconds)} its first data needs) and nothing arrived: its writer or its stamps are broken (neverMeasured: fail)`,
  };
}

/**
 * Evaluates one SLO at `endMs` (already shifted by its visibility delay; see evaluationEnd). `source`
 * decides whether never measured fails (neverMeasuredFails); `evaluationMs` defaults to `endMs`.
 */
export function evaluateSlo(
  slo: SloDefinition,
  minutes: MinuteCounts,
  policy: ErrorBudgetPolicy,
  endMs: number,
  source?: SourceDeploy,
  evaluationMs = endMs,
): SloEvaluation {
  const minEvents = isRequestBased(slo) ? policy.gate.minEvents : 1;
  const period = evaluateWindow(minutes, endMs, slo.rollingPeriodSeconds, slo.goal, minEvents);
  const coverage = history(minutes, endMs, slo.rollingPeriodSeconds);
  const remaining = budgetRemaining(period.sli, slo.goal);
  const alerts = slo.alerts.map((alert) => {
    const long = evaluateWindow(minutes, endMs, alert.longWindowSeconds, slo.goal, minEvents);
    const short = evaluateWindow(minutes, endMs, alert.shortWindowSeconds, slo.goal, minEvents);
    const firing =
      long.burnRate !== null &&
      short.burnRate !== null &&
      long.burnRate > alert.burnRate &&
      short.burnRate > alert.burnRate;
    return { alert, long, short, firing };
  });
  const reasons: string[] = [];
  const scores: Score[] = [];
  const base = { slo, endMs, period, coverage, budgetRemaining: remaining, alerts };

  if (!everMeasured(minutes, endMs)) {
    const { score, why } = neverMeasuredFails(slo, evaluationMs, source);
    reasons.push(`NOT MEASURED: no data over ${period.label}; ${why}`);
    return {
      ...base,
      status: "not-measured",
      score,
      scoreWithoutHistory: score,
      counted: score !== "pass",
      reasons,
    };
  }

  // Burn-rate rules first, independently of the period result (a NaN or missing period must not hide a
  // page-level burn).
  for (const a of alerts.filter((x) => x.firing)) {
    scores.push(a.alert.severity === "page" ? "fail" : "warn");
    reasons.push(
      `${a.alert.name}: burning ${a.long.burnRate?.toFixed(1)}x over ${a.long.label} and ${a.short.burnRate?.toFixed(1)}x over ${a.short.label} (> ${a.alert.burnRate}x)`,
    );
  }
  if (remaining === null) {
    scores.push("warn");
    reasons.push(
      period.lowVolume
        ? `only ${period.total} events over ${period.label} (fewer than gate.minEvents = ${minEvents}): no SLI`
        : `no usable data over ${period.label}`,
    );
  } else if (remaining <= policy.gate.failBudgetRemaining) {
    scores.push("fail");
    reasons.push(`error budget ${remaining <= 0 ? "exhausted" : "nearly exhausted"}: ${pct(remaining)} left`);
  } else if (remaining < policy.gate.warnBudgetRemaining) {
    scores.push("warn");
    reasons.push(
      `only ${pct(remaining)} of the error budget left (warn below ${pct(policy.gate.warnBudgetRemaining)})`,
    );
  }
  if (period.invalid > 0)
    reasons.push(`${period.invalid} minute(s) with NaN, infinite or negative counts left out`);
  let status: SloStatus = "measured";
  const scoreWithoutHistory = worst(scores);
  if (coverage < policy.gate.minCoverage) {
    status = "insufficient-history";
    scores.push(policy.gate.insufficientHistory);
    reasons.push(
      `insufficient history: ${pct(coverage)} of ${period.label} observed (gate.minCoverage ${pct(policy.gate.minCoverage)})`,
    );
  }
  return { ...base, status, score: worst(scores), scoreWithoutHistory, counted: true, reasons };
}

/**
 * The first minute (up to `endMs`) in which a component's writer had delivered a usable point: valid
 * counts that are not `incomplete` (a zero-count point is usable: the writer is alive, nothing happened).
 * Undefined when it never has.
 */
function arrivedAt(minutes: MinuteCounts, endMs: number): number | undefined {
  let first: number | undefined;
  for (const [at, c] of minutes)
    if (at <= endMs && validCounts(c) && (first === undefined || at < first)) first = at;
  return first;
}

/**
 * Per-minute verdicts of a composite SLO. A minute counts 1 good of 1 when every component has data in
 * it and each component's good/total reaches the composite's minuteThreshold; 0 of 1 when one falls short
 * or when one component saw traffic and another has no data (a silent pipeline is not available); it is
 * absent when no component has data. "Once arrived", as windows SLIs (cloud.ts): a minute before any
 * component's first usable point is not measured, not bad (a component whose writer shipped later, e.g.
 * event_latency after 30 days of publishes, does not exhaust the budget for the 30 days before it); a
 * component that never delivered a point leaves the composite never measured. Minutes after `endMs` (not
 * yet visible for every component) are left out.
 */
export function compositeMinutes(
  slo: SloDefinition,
  data: Map<string, MinuteCounts>,
  _catalog: SloCatalog,
  endMs = Number.POSITIVE_INFINITY,
): MinuteCounts {
  if (slo.sli.kind !== "composite") throw new Error(`${slo.name} is not composite`);
  const threshold = slo.sli.minuteThreshold;
  const parts = slo.sli.components.map(
    (name) => data.get(name) ?? new Map<number, { good: number; total: number }>(),
  );
  const out: MinuteCounts = new Map();
  let measuredFrom = Number.NEGATIVE_INFINITY;
  for (const minutes of parts) {
    const first = arrivedAt(minutes, endMs);
    if (first === undefined) return out;
    measuredFrom = Math.max(measuredFrom, first);
  }
  const at = new Set<number>();
  for (const minutes of parts) for (const m of minutes.keys()) if (m <= endMs && m >= measuredFrom) at.add(m);
  for (const m of at) {
    const counts = parts.map((minutes) => minutes.get(m));
    const traffic = counts.some((c) => c !== undefined && c.total > 0);
    if (!traffic) continue;
    const good = counts.every(
      (c) => c !== undefined && validCounts(c) && c.total > 0 && c.good / c.total >= threshold,
    );
    out.set(m, { good: good ? 1 : 0, total: 1 });
  }
  return out;
}

/** Per-minute counts an SLO is evaluated over (composites are computed from their components). */
export function sloMinutes(
  slo: SloDefinition,
  data: Map<string, MinuteCounts>,
  catalog: SloCatalog,
  endMs: number,
): MinuteCounts {
  return slo.sli.kind === "composite"
    ? compositeMinutes(slo, data, catalog, endMs)
    : (data.get(slo.name) ?? new Map());
}

/**
 * Evaluates every SLO of the catalog at `evaluationMs` (each ends at its own visibility horizon). `data`
 * holds per-minute counts of the non-composite SLOs (an SLO missing from it has no data); `source`, the
 * source environment's deploy, decides whether an SLO never measured fails (neverMeasuredFails).
 */
export function evaluateCatalog(
  catalog: SloCatalog,
  data: Map<string, MinuteCounts>,
  evaluationMs: number,
  source?: SourceDeploy,
): GateReport {
  const evaluations = catalog.slos.map((slo) => {
    const endMs = evaluationEnd(slo, evaluationMs);
    return evaluateSlo(
      slo,
      sloMinutes(slo, data, catalog, endMs),
      catalog.policy,
      endMs,
      source,
      evaluationMs,
    );
  });
  return {
    evaluatedAt: new Date(evaluationMs).toISOString(),
    score: worst(evaluations.filter((e) => e.counted).map((e) => e.score)),
    evaluations,
  };
}
