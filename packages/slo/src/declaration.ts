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

/**
 * Share of windows whose value lies in [min, max] (windows-based SLI). `aggregate` is what Cloud
 * Monitoring can express: `mean` = metric_mean_in_range (the window's values averaged across series),
 * `sum` = metric_sum_in_range (summed across series); the gate reads the same (ALIGN_MEAN+REDUCE_MEAN or
 * ALIGN_SUM+REDUCE_SUM), so Terraform and the gate agree.
 */
export interface WindowsInRangeSli {
  kind: "windows-in-range";
  metric: MetricSelector;
  aggregate: "mean" | "sum";
  windowSeconds: number;
  range: { min: number; max: number };
  /** Locally: one sample of a gauge. */
  local?: { gauge: LocalGauge };
}

/**
 * Request-based SLI over a DISTRIBUTION metric (Cloud Monitoring distribution_cut): good = events whose
 * value lies in [min, max], total = all events. Used for per-event latency.
 */
export interface DistributionCutSli {
  kind: "distribution-cut";
  metric: MetricSelector;
  range: { min: number; max: number };
  /** Locally: share of events whose publish -> stored latency falls in a bucket inside range (the same bucket rule as the cloud metric, so 10.000 s is outside a 10 s range). */
  local?: { latencyInRangeBuckets: true };
}

/**
 * A minute is good when every component is up in it: good/total of each component within the minute is at
 * least minuteThreshold. A minute in which one component saw traffic and another has no data is bad (a
 * silent pipeline is not available); a minute in which no component has data is not counted.
 */
export interface CompositeSli {
  kind: "composite";
  components: string[];
  windowSeconds: number;
  minuteThreshold: number;
  /** Boolean per-window verdict written by the SLI exporter, read by the Cloud Monitoring SLO. */
  metric: MetricSelector;
}

export type Sli = RatioSli | WindowsInRangeSli | DistributionCutSli | CompositeSli;

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
  /**
   * What the gate does when the SLO has no data at all over its rolling period (its source is not
   * deployed or its writer never ran): `exclude` shows it as NOT MEASURED and leaves it out of the verdict;
   * `fail` blocks (the promotion needs this evidence). Data that stops arriving once it has arrived is
   * not "never measured": those minutes are bad.
   */
  neverMeasured: "exclude" | "fail";
  /**
   * How long after a minute ends its inputs are all visible in Cloud Monitoring (the largest documented
   * delay of the SLI's metrics, src/builtin-metrics.ts and src/custom-metrics.ts). Every evaluation ends
   * at now minus this, so metrics still being ingested never count as missing or bad.
   */
  visibilityDelaySeconds: number;
  /** Declaration file, relative to the repository root (for messages). */
  file: string;
}

/** The error-budget policy (policies/slo/error-budget-policy.yaml). */
export interface ErrorBudgetPolicy {
  burnRateAlerts: BurnRateAlert[];
  gate: {
    failBudgetRemaining: number;
    warnBudgetRemaining: number;
    /** Below this share of the rolling period observed, the verdict is "insufficient history". */
    minCoverage: number;
    insufficientHistory: "pass" | "warn" | "fail";
    /** A request-based window with fewer events has no burn rate (one failure in 3 events is noise). */
    minEvents: number;
    /** Release-aware criteria over the candidate's own time in the source environment. */
    release: {
      /** Absolute: the burn rate since the deploy must not exceed this. */
      maxBurnRate: number;
      /** Relative: nor this many times the burn rate over the same span before the deploy (when > 1x). */
      relativeFactor: number;
    };
  };
  audit: {
    tooLooseBudgetConsumed: number;
    minCoverage: number;
    trendWindowSeconds: number;
    /** A suggested tighter goal shrinks the error budget by at most this factor per audit (10 = one nine). */
    maxTighteningFactor: number;
  };
}

/** Everything in policies/slo. */
export interface SloCatalog {
  policy: ErrorBudgetPolicy;
  slos: SloDefinition[];
}
