/**
 * The SLO declaration: policies/slo/*.yaml, one `kind: SLO` per file plus one `kind: ErrorBudgetPolicy`.
 * The format borrows OpenSLO's envelope (apiVersion/kind/metadata/spec) and slo-generator's objective and
 * error-budget policy; docs/slos.md documents every field. These are the validated, normalized types.
 */

/** A Cloud Monitoring time series selector; `{name_prefix}` in a label value is the environment's prefix. */
export interface MetricSelector {
  metricType: string;
  resourceType: string;
  resourceLabels: Record<string, string>;
  metricLabels: Record<string, string>;
}

/** Counters the local pipeline reports (tools/local-pipeline), usable in a ratio SLI's `local`. */
export const LOCAL_COUNTERS = ["validPublished", "validStored", "published", "deadLettered"] as const;
export type LocalCounter = (typeof LOCAL_COUNTERS)[number];

/** Gauges the local pipeline reports, usable in a windows SLI's `local`. */
export const LOCAL_GAUGES = ["mongodbConnections"] as const;
export type LocalGauge = (typeof LOCAL_GAUGES)[number];

/** good / total events (request-based SLI). */
export interface RatioSli {
  kind: "ratio";
  good: MetricSelector;
  total: MetricSelector;
  local?: { good: LocalCounter; total: LocalCounter };
}

/** Share of windows whose aligned value lies in [min, max] (windows-based SLI, metric mean in range). */
export interface WindowsInRangeSli {
  kind: "windows-in-range";
  metric: MetricSelector;
  /** Per-series aligner within a window. */
  aligner: "mean" | "max";
  /** How series (several jobs, several hosts) are combined into one value per window. */
  reducer: "mean" | "max" | "sum";
  windowSeconds: number;
  range: { min: number; max: number };
  /** Locally: share of events whose latency is at most range.max seconds, or one sample of a gauge. */
  local?: { latencyAtOrBelowSeconds: true } | { gauge: LocalGauge };
}

/**
 * A window is good when every component SLO with data in it is up in it: good/total of the component
 * within the window is at least minuteThreshold (a windows component's minute is 1 or 0).
 */
export interface CompositeSli {
  kind: "composite";
  components: string[];
  windowSeconds: number;
  minuteThreshold: number;
  /** Boolean per-window verdict written by the SLI exporter, read by the Cloud Monitoring SLO. */
  metric: MetricSelector;
}

export type Sli = RatioSli | WindowsInRangeSli | CompositeSli;

/** One multi-window burn-rate alert (and gate) rule. */
export interface BurnRateAlert {
  name: string;
  severity: "page" | "ticket";
  longWindowSeconds: number;
  shortWindowSeconds: number;
  burnRate: number;
}

/** One SLO, as declared in policies/slo/<name>.yaml. */
export interface SloDefinition {
  name: string;
  displayName: string;
  description: string;
  goal: number;
  rollingPeriodSeconds: number;
  sli: Sli;
  alerts: BurnRateAlert[];
  /** Repository-relative path of the runbook (docs/runbooks/...). */
  runbook: string;
  /** Declaration file, relative to the repository root (for messages). */
  file: string;
}

/** The error-budget policy (policies/slo/error-budget-policy.yaml). */
export interface ErrorBudgetPolicy {
  burnRateAlerts: BurnRateAlert[];
  gate: {
    failBudgetRemaining: number;
    warnBudgetRemaining: number;
    missingData: "pass" | "warn" | "fail";
  };
  audit: {
    tooLooseBudgetConsumed: number;
    minCoverage: number;
    trendWindowSeconds: number;
  };
}

/** Everything in policies/slo. */
export interface SloCatalog {
  policy: ErrorBudgetPolicy;
  slos: SloDefinition[];
}
