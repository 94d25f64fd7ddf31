/**
 * The promotion policy around the per-SLO scores (Google's error-budget policy, Keptn's quality gates):
 *  - release-aware: the candidate's own time in the source environment since its deploy, with an
 *    absolute criterion (burn rate since the deploy <= gate.release.maxBurnRate -> else fail) and a
 *    relative one (<= relativeFactor x the same span before the deploy when above 1x -> else warn), so a
 *    fresh regression is caught before the 1 h / 6 h windows see it;
 *  - the target's own budget: an exhausted budget in the target stops changes to it, except fixes
 *    approved in slo-override;
 *  - the override: recorded, never silent (the workflow requires its own protected-environment approval).
 */
import type { SloCatalog } from "./declaration";
import { formatDuration } from "./duration";
import {
  evaluateWindow,
  evaluationEnd,
  type GateReport,
  isRequestBased,
  type Score,
  sloMinutes,
  type WindowResult,
  worst,
} from "./evaluate";
import type { MinuteCounts } from "./math";

/** One SLO judged over the candidate release's time in the source environment. */
export interface ReleaseRow {
  name: string;
  sinceDeploy: WindowResult | null;
  beforeDeploy: WindowResult | null;
  score: Score;
  reasons: string[];
}

/** The release-aware verdict. */
export interface ReleaseVerdict {
  deployedAt: string;
  score: Score;
  rows: ReleaseRow[];
}

/**
 * Scores the candidate's own time in the source environment: from `deployedAtMs` (its deploy marker) to
 * each SLO's visibility horizon, against the same span before the deploy. SLOs left out of the gate
 * (never measured and excluded) are left out here too.
 */
export function evaluateRelease(
  catalog: SloCatalog,
  data: Map<string, MinuteCounts>,
  evaluationMs: number,
  deployedAtMs: number,
  gate: GateReport,
): ReleaseVerdict {
  const { maxBurnRate, relativeFactor } = catalog.policy.gate.release;
  const rows: ReleaseRow[] = [];
  for (const slo of catalog.slos) {
    const counted = gate.evaluations.find((e) => e.slo.name === slo.name);
    if (!counted || counted.status === "not-measured") continue;
    const end = evaluationEnd(slo, evaluationMs);
    const spanSeconds = Math.floor((end - deployedAtMs) / 60_000) * 60;
    if (spanSeconds < 60) {
      rows.push({
        name: slo.name,
        sinceDeploy: null,
        beforeDeploy: null,
        score: "warn",
        reasons: [
          `release too fresh to judge: deployed ${formatDuration(Math.max(1, Math.round((evaluationMs - deployedAtMs) / 1000)))} ago, metrics visible only up to ${slo.visibilityDelaySeconds} s ago`,
        ],
      });
      continue;
    }
    const minutes = sloMinutes(slo, data, catalog, end);
    const minEvents = isRequestBased(slo) ? catalog.policy.gate.minEvents : 1;
    const since = evaluateWindow(minutes, end, spanSeconds, slo.goal, minEvents);
    const before = evaluateWindow(minutes, end - spanSeconds * 1000, spanSeconds, slo.goal, minEvents);
    const reasons: string[] = [];
    const scores: Score[] = [];
    const b = since.burnRate;
    if (b === null) {
      reasons.push(
        since.lowVolume
          ? `${since.total} events since the deploy (fewer than gate.minEvents = ${minEvents}): no release verdict`
          : "no data since the deploy",
      );
    } else {
      if (b > maxBurnRate) {
        scores.push("fail");
        reasons.push(
          `since the deploy (${since.label}) the budget burns ${b.toFixed(1)}x (absolute limit ${maxBurnRate}x)`,
        );
      }
      if (b > 1 && before.burnRate !== null && b > relativeFactor * before.burnRate) {
        scores.push("warn");
        reasons.push(
          `regression: ${b.toFixed(1)}x since the deploy against ${before.burnRate.toFixed(1)}x over the ${since.label} before it (relative limit ${relativeFactor}x)`,
        );
      }
    }
    rows.push({ name: slo.name, sinceDeploy: since, beforeDeploy: before, score: worst(scores), reasons });
  }
  return { deployedAt: new Date(deployedAtMs).toISOString(), score: worst(rows.map((r) => r.score)), rows };
}

/**
 * A young environment (issue 12): an SLO observed over less than gate.minCoverage of its rolling period
 * stays "insufficient history", reported loudly, and is scored `gate.insufficientHistory` (warn, which
 * blocks prod's fail-on-warn promotions) UNLESS the candidate release's own time in the source
 * environment decides it: the release has been live there at least as long as the longest page-severity
 * window (so the fast-burn rules have seen it), that span has enough events for a burn rate
 * (gate.minEvents), and it passes the release criteria. Then the SLO scores what its other rules (budget,
 * burn-rate windows) say, and the report says what decided it. Without a deploy marker, or with too short
 * or too quiet a span since it, the history rule stands: nothing vouches for the release.
 */
export function decideYoungHistory(
  gate: GateReport,
  release: ReleaseVerdict | undefined,
  catalog: SloCatalog,
): GateReport {
  const evaluations = gate.evaluations.map((e) => {
    if (e.status !== "insufficient-history" || !e.counted) return e;
    const soakSeconds = Math.max(
      0,
      ...e.slo.alerts.filter((a) => a.severity === "page").map((a) => a.longWindowSeconds),
    );
    const row = release?.rows.find((r) => r.name === e.slo.name);
    const since = row?.sinceDeploy ?? null;
    let why: string | undefined;
    if (!release)
      why = "no deploy marker (deployed-at) to judge the candidate's own time in the source environment by";
    else if (!row || !since) why = row?.reasons.join("; ") || "no data since the deploy";
    else if (since.seconds < soakSeconds)
      why = `the release has been live only ${since.label}, less than the ${formatDuration(soakSeconds)} page-severity window`;
    else if (since.burnRate === null) why = row.reasons.join("; ") || "no data since the deploy";
    else if (row.score !== "pass") why = `the release itself fails its criteria (${row.reasons.join("; ")})`;
    if (why)
      return {
        ...e,
        reasons: [...e.reasons, `not decided by the release: ${why}`],
      };
    return {
      ...e,
      score: e.scoreWithoutHistory,
      reasons: [
        ...e.reasons,
        `decided by the release since its deploy instead: ${since?.total} events over ${since?.label}, burning ${since?.burnRate?.toFixed(2)}x (limit ${catalog.policy.gate.release.maxBurnRate}x)`,
      ],
    };
  });
  return { ...gate, evaluations, score: worst(evaluations.filter((e) => e.counted).map((e) => e.score)) };
}

/** The target environment's budget verdict. */
export interface TargetVerdict {
  environment: string;
  score: Score;
  exhausted: string[];
  reasons: string[];
}

/**
 * Google's error-budget policy: while a counted SLO of the target has no budget left, only fixes may be
 * promoted to it. `change-kind: fix` is the promoter's own claim, so it waives this rule only with a second
 * person's word: an approval in the protected slo-override environment (`fixApprovedBy`, the approvers the
 * gate found recorded for this run). A fix without it fails like a change. The source's health and the
 * release criteria still apply to an approved fix; only the override waives everything.
 */
export function evaluateTargetBudget(
  target: GateReport,
  environment: string,
  changeKind: "change" | "fix",
  fixApprovedBy: readonly string[] = [],
): TargetVerdict {
  const exhausted = target.evaluations
    .filter((e) => e.counted && e.budgetRemaining !== null && e.budgetRemaining <= 0)
    .map((e) => e.slo.name);
  if (exhausted.length === 0) return { environment, score: "pass", exhausted, reasons: [] };
  const none = `${environment} has no error budget left (${exhausted.join(", ")})`;
  if (changeKind === "fix" && fixApprovedBy.length > 0)
    return {
      environment,
      score: "pass",
      exhausted,
      reasons: [
        `${none}; allowed because this is a fix approved in slo-override by ${fixApprovedBy.join(", ")}`,
      ],
    };
  if (changeKind === "fix")
    return {
      environment,
      score: "fail",
      exhausted,
      reasons: [
        `${none}: a fix is promoted to it only with an approval in the protected slo-override environment (change-kind: fix is self-declared), and none is recorded for this run`,
      ],
    };
  return {
    environment,
    score: "fail",
    exhausted,
    reasons: [
      `${none}: only fixes may be promoted to it until the budget recovers (change-kind: fix, approved in slo-override), or use the override`,
    ],
  };
}

/** A deploy marker: which release went live in the environment, and when. */
export interface DeployMarker {
  release: string;
  deployedAtMs: number;
}

/** The error budget each release spent while it was live, per SLO. */
export interface ReleaseSpend {
  release: string;
  deployedAt: string;
  /** Share of the rolling period's error budget spent while live (0.25 = a quarter), per SLO; null without data. */
  spent: Record<string, number | null>;
}

/**
 * Attributes the error budget spent over each SLO's rolling period to the releases live at the time (from
 * each marker to the next one, or to the SLO's visibility horizon). Bad events are counted per minute, so
 * the shares of one SLO add up to its budget consumed within the markers' span.
 */
export function attributeBudget(
  catalog: SloCatalog,
  data: Map<string, MinuteCounts>,
  evaluationMs: number,
  markers: DeployMarker[],
): ReleaseSpend[] {
  const sorted = [...markers].sort((a, b) => a.deployedAtMs - b.deployedAtMs);
  const out: ReleaseSpend[] = sorted.map((m) => ({
    release: m.release,
    deployedAt: new Date(m.deployedAtMs).toISOString(),
    spent: {},
  }));
  for (const slo of catalog.slos) {
    const end = evaluationEnd(slo, evaluationMs);
    const start = end - slo.rollingPeriodSeconds * 1000;
    const minutes = sloMinutes(slo, data, catalog, end);
    const period = evaluateWindow(minutes, end, slo.rollingPeriodSeconds, slo.goal);
    const allowedBad = (1 - slo.goal) * period.total;
    sorted.forEach((marker, i) => {
      const from = Math.max(start, marker.deployedAtMs);
      const to = Math.min(end, sorted[i + 1]?.deployedAtMs ?? end);
      const row = out[i] as ReleaseSpend;
      if (!(allowedBad > 0) || to <= from) {
        row.spent[slo.name] = allowedBad > 0 ? 0 : null;
        return;
      }
      const w = evaluateWindow(
        minutes,
        Math.floor(to / 60_000) * 60_000,
        Math.floor((to - from) / 60_000) * 60,
        slo.goal,
      );
      row.spent[slo.name] = (w.total - w.good) / allowedBad;
    });
  }
  return out;
}
