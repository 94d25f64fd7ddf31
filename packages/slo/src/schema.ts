/**
 * The schema of policies/slo/*.yaml (zod 4). One schema serves two readers: `load.ts` validates with it
 * (every issue carries its field path and one of the messages below), and `scripts/generate.ts` writes
 * it as JSON Schema for editors (`policies/slo/generated/slo-declaration.schema.json`, `z.toJSONSchema`).
 * Rules that need more than one field (short window below long window, min below max, bucket bounds)
 * are refinements on the smallest object holding those fields, so they are reported together with the
 * other problems; rules across files (composites, alerts against the policy) stay in `load.ts`.
 */
import { z } from "zod";
import { builtinMetric } from "./builtin-metrics";
import { CUSTOM_METRICS } from "./custom-metrics";
import { LOCAL_COUNTERS, LOCAL_GAUGES, type MetricSelector } from "./declaration";
import { parseDuration } from "./duration";

export const API_VERSION = "shopstream.dev/v1";
/** Cloud Monitoring accepts rolling periods of 1 to 30 days. */
export const MAX_ROLLING_DAYS = 30;

/** An editor's tooltip for a field (the JSON Schema `description`); the loader ignores it. */
const doc = <S extends z.ZodType>(schema: S, description: string): S => schema.meta({ description }) as S;

/** `must be <rule>, got <value>`: the one message of every number check, naming what was written. */
const numberRule = (rule: string) => (issue: { input?: unknown }) =>
  `must be ${rule}, got ${JSON.stringify(issue.input)}`;

const mapping = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.object(shape, { error: "must be a mapping" });

/** A non-empty string (trimmed), optionally matching `pattern`. */
const text = (pattern?: RegExp) => {
  const nonEmpty = z
    .string({ error: "must be a non-empty string" })
    .trim()
    .min(1, { error: "must be a non-empty string", abort: true });
  return pattern
    ? nonEmpty.regex(pattern, { error: (issue) => `must match ${pattern}, got "${String(issue.input)}"` })
    : nonEmpty;
};

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (issue) => `must be one of ${values.join(", ")}, got ${JSON.stringify(issue.input)}`,
  });

const notADuration = (input: unknown) => `"${String(input)}" is not a duration like 30s, 5m, 1h or 3d`;
/** `30s`, `5m`, `1h`, `3d` (src/duration.ts), read as seconds. */
const duration = () =>
  z
    .string({ error: (issue) => notADuration(issue.input) })
    .regex(/^\d+[smhd]$/, { error: (issue) => notADuration(issue.input), abort: true })
    .refine((t) => !/^0+[smhd]$/.test(t), {
      error: (issue) => `"${String(issue.input)}" must be longer than zero`,
    })
    .transform(parseDuration)
    .meta({ description: "A duration with one unit: 30s, 5m, 1h or 3d." });

const fraction = () =>
  z
    .number({ error: numberRule("a fraction from 0 to 1") })
    .min(0, { error: numberRule("a fraction from 0 to 1"), abort: true })
    .max(1, { error: numberRule("a fraction from 0 to 1") });
const positive = () =>
  z.number({ error: numberRule("a positive number") }).gt(0, { error: numberRule("a positive number") });

const labels = z
  .record(
    z.string().regex(/^[a-z_][a-z0-9_]*$/),
    z
      .string({ error: "must be a string without double quotes" })
      .regex(/^[^"]*$/, { error: "must be a string without double quotes" }),
    {
      error: (issue) =>
        issue.code === "invalid_key"
          ? "is not a valid label name"
          : "must be a mapping of label name to value",
    },
  )
  .default({})
  .meta({ description: "Label name to value; `{name_prefix}` in a value is the environment's prefix." });

const selector = () =>
  mapping({
    metricType: text(/^[a-z0-9.]+\.(googleapis\.com|com|io)\/[A-Za-z0-9_/.]+$/),
    resourceType: text(/^[a-z_]+$/),
    resourceLabels: labels,
    metricLabels: labels,
  }).meta({ description: "A Cloud Monitoring time series selector." });

const range = () =>
  mapping({
    min: z.number({ error: numberRule("a number") }),
    max: z.number({ error: numberRule("a number") }),
  }).refine((r) => r.min < r.max, { error: "min must be below max" });

/** The documented visibility delay of one metric, or a problem when it is neither recorded nor catalogued. */
export function metricDelay(type: string): number | string {
  const builtin = builtinMetric(type);
  if (builtin) return builtin.visibilityDelaySeconds;
  const custom = CUSTOM_METRICS.find((m) => m.type === type);
  if (custom) return custom.ingestDelaySeconds;
  return `${type} is neither a recorded built-in metric (packages/slo/src/builtin-metrics.ts) nor in the custom-metric catalogue (packages/slo/src/custom-metrics.ts): record it with its documented visibility delay`;
}

/** Every metric an SLI reads must have a documented visibility delay (reported at `spec.sli`). */
function recordedMetrics(selectors: MetricSelector[], ctx: z.RefinementCtx): void {
  for (const s of selectors) {
    const delay = metricDelay(s.metricType);
    if (typeof delay === "string")
      ctx.addIssue({ code: "custom", message: delay, path: [], input: s.metricType });
  }
}

const ratioSli = mapping({
  kind: doc(z.literal("ratio"), "good / total events (request-based SLI)."),
  good: doc(selector(), "The good events' counter."),
  total: doc(selector(), "All events' counter."),
  local: doc(
    mapping({ good: oneOf(LOCAL_COUNTERS), total: oneOf(LOCAL_COUNTERS) }).optional(),
    "The local pipeline's counters for the same ratio (npm start summary).",
  ),
}).superRefine((sli, ctx) => recordedMetrics([sli.good, sli.total], ctx));

// Cloud Monitoring's windows-based SLIs average (metric_mean_in_range) or sum (metric_sum_in_range) across
// series; nothing else can be expressed, so nothing else is accepted (the gate would compute an SLI that
// the Terraform SLO does not).
const noAlignerOrReducer = z
  .never({
    error:
      "is not supported: use aggregate: mean (metric_mean_in_range) or aggregate: sum (metric_sum_in_range), the two windows-based SLIs Cloud Monitoring can express",
  })
  .optional();

const windowsSli = mapping({
  kind: doc(z.literal("windows-in-range"), "Share of windows whose value lies in range (windows-based SLI)."),
  metric: selector(),
  aligner: noAlignerOrReducer,
  reducer: noAlignerOrReducer,
  aggregate: doc(
    oneOf(["mean", "sum"]),
    "Across series: mean (metric_mean_in_range) or sum (metric_sum_in_range).",
  ),
  window: doc(
    duration().refine((s) => s % 60 === 0, { error: "must be whole minutes" }),
    "Window length, whole minutes.",
  ),
  range: range(),
  local: mapping({ gauge: oneOf(LOCAL_GAUGES) }).optional(),
}).superRefine((sli, ctx) => recordedMetrics([sli.metric], ctx));

const distributionCutSli = mapping({
  kind: doc(
    z.literal("distribution-cut"),
    "Events of a DISTRIBUTION metric whose value lies in range (request-based SLI).",
  ),
  metric: selector(),
  range: doc(range(), "Inclusive; min and max must be bucket bounds of the metric (or min 0)."),
  local: z
    .object(
      {
        latencyInRangeBuckets: z.literal(true, {
          error:
            "must be { latencyInRangeBuckets: true } for a distribution-cut SLI (the key was latencyAtOrBelowSeconds before 2026-11-30)",
        }),
      },
      {
        error:
          "must be { latencyInRangeBuckets: true } for a distribution-cut SLI (the key was latencyAtOrBelowSeconds before 2026-11-30)",
      },
    )
    .optional(),
}).superRefine((sli, ctx) => {
  recordedMetrics([sli.metric], ctx);
  // Cloud Monitoring estimates the events inside the range, interpolating inside a bucket the range cuts
  // (DistributionCut: "the estimated count of values in the Distribution that fall within the specified
  // min and max"); the gate counts whole buckets. They agree only on bucket bounds.
  const bounds = CUSTOM_METRICS.find((m) => m.type === sli.metric.metricType)?.bucketBounds;
  for (const key of ["min", "max"] as const) {
    const value = sli.range[key];
    if (bounds && !(key === "min" && value === 0) && !bounds.includes(value))
      ctx.addIssue({
        code: "custom",
        path: ["range", key],
        input: value,
        message: `must be a bucket bound of ${sli.metric.metricType} (${bounds.join(", ")}${key === "min" ? ", or 0" : ""}): Cloud Monitoring interpolates inside a bucket, the gate cannot`,
      });
  }
});

const compositeSli = mapping({
  kind: doc(z.literal("composite"), "A minute is good when every component is up in it."),
  components: z
    .array(z.string({ error: "must be an SLO name" }), { error: "must be a non-empty list of SLO names" })
    .min(1, { error: "must be a non-empty list of SLO names" }),
  window: duration().refine((s) => s === 60, { error: "must be 1m (components are evaluated per minute)" }),
  metric: selector(),
  minuteThreshold: doc(
    z
      .number({ error: numberRule("a fraction in (0, 1]") })
      .gt(0, { error: numberRule("a fraction in (0, 1]"), abort: true })
      .max(1, { error: numberRule("a fraction in (0, 1]") }),
    "A component is up in a minute when its good/total in that minute is at least this.",
  ),
});

const SLI_KINDS = ["ratio", "windows-in-range", "distribution-cut", "composite"] as const;
const sli = z.discriminatedUnion("kind", [ratioSli, windowsSli, distributionCutSli, compositeSli], {
  error: (issue) =>
    issue.code === "invalid_union"
      ? `must be one of ${SLI_KINDS.join(", ")}, got ${JSON.stringify((issue.input as { kind?: unknown } | undefined)?.kind)}`
      : "must be a mapping",
});

const alert = mapping({
  name: text(/^[a-z][a-z0-9-]*$/),
  severity: oneOf(["page", "ticket"]),
  longWindow: duration(),
  shortWindow: duration(),
  burnRate: positive(),
}).refine((a) => a.shortWindow < a.longWindow, {
  error: "must be shorter than longWindow",
  path: ["shortWindow"],
});

const alerts = () =>
  z
    .array(alert, { error: "must be a non-empty list" })
    .min(1, { error: "must be a non-empty list" })
    .refine((list) => new Set(list.map((a) => a.name)).size === list.length, {
      error: "names must be unique",
    })
    .meta({ description: "Multi-window burn-rate alerts (and gate rules)." });

/** `metadata.name`: the SLO's (or policy's) identifier. */
const name = text(/^[a-z][a-z0-9-]{0,60}$/);

/** What every document has, read first: a document without it is not read further. */
export const envelopeSchema = z.object({
  apiVersion: z.literal(API_VERSION, {
    error: (issue) => `must be "${API_VERSION}", got ${JSON.stringify(issue.input)}`,
  }),
  kind: oneOf(["SLO", "ErrorBudgetPolicy"]),
  metadata: mapping({ name: doc(name, "Lower-case; becomes the Cloud Monitoring SLO ID.") }).loose(),
  spec: mapping({}).loose(),
});

export const sloSpecSchema = mapping({
  description: z.string({ error: "must be a string" }).trim().default(""),
  objective: mapping({
    goal: doc(
      z
        .number({ error: numberRule("a number strictly between 0 and 1") })
        .gt(0, { error: numberRule("a number strictly between 0 and 1"), abort: true })
        .lt(1, { error: numberRule("a number strictly between 0 and 1") }),
      "Share of good events (or minutes), strictly between 0 and 1, e.g. 0.999.",
    ),
    rollingPeriod: duration().refine((s) => s % 86400 === 0 && s <= MAX_ROLLING_DAYS * 86400, {
      error: `must be whole days from 1d to ${MAX_ROLLING_DAYS}d (Cloud Monitoring's limit)`,
    }),
  }),
  sli,
  alerts: alerts().optional().meta({ description: "Overrides the policy's burnRateAlerts for this SLO." }),
  runbook: doc(
    text(/^docs\/runbooks\/[a-z0-9-]+\.md$/),
    "Repository path of the runbook the alerts link to.",
  ),
  neverMeasured: oneOf(["exclude", "fail"]).meta({
    description:
      "No data at all over the rolling period: exclude (NOT MEASURED, left out of the verdict) or fail (blocks).",
  }),
});

/** The rest of an SLO document once its envelope is read. */
export const sloBodySchema = z.object({ metadata: z.object({ displayName: text() }), spec: sloSpecSchema });

export const policySpecSchema = mapping({
  burnRateAlerts: alerts(),
  gate: mapping({
    failBudgetRemaining: fraction(),
    warnBudgetRemaining: fraction(),
    minCoverage: fraction(),
    insufficientHistory: oneOf(["pass", "warn", "fail"]),
    minEvents: z
      .number({ error: numberRule("an integer >= 1") })
      .int({ error: numberRule("an integer >= 1"), abort: true })
      .min(1, { error: numberRule("an integer >= 1") }),
    release: mapping({
      maxBurnRate: positive(),
      relativeFactor: z
        .number({ error: numberRule("a number >= 1") })
        .min(1, { error: numberRule("a number >= 1") }),
    }),
    missingData: z
      .never({
        error:
          "is replaced by spec.neverMeasured in each SLO file (exclude or fail) and gate.minCoverage (docs/slos.md, Missing data)",
      })
      .optional(),
  }).refine((g) => g.warnBudgetRemaining >= g.failBudgetRemaining, {
    error: "must be at least failBudgetRemaining",
    path: ["warnBudgetRemaining"],
  }),
  audit: mapping({
    tooLooseBudgetConsumed: fraction(),
    minCoverage: fraction(),
    trendWindow: duration(),
    maxTighteningFactor: z
      .number({ error: numberRule("a number > 1") })
      .gt(1, { error: numberRule("a number > 1") }),
  }),
});

/** The rest of an ErrorBudgetPolicy document once its envelope is read. */
export const policyBodySchema = z.object({ spec: policySpecSchema });

/** One whole file, either kind: the JSON Schema editors read. */
export const declarationSchema = z
  .discriminatedUnion("kind", [
    envelopeSchema.extend({
      kind: z.literal("SLO"),
      metadata: mapping({ name, displayName: text() }),
      spec: sloSpecSchema,
    }),
    envelopeSchema.extend({
      kind: z.literal("ErrorBudgetPolicy"),
      metadata: mapping({ name }),
      spec: policySpecSchema,
    }),
  ])
  .meta({
    title: "shopstream SLO declaration (policies/slo/*.yaml)",
    description: "One kind: SLO per file, plus one kind: ErrorBudgetPolicy. Fields: docs/slos.md.",
  });

/** The JSON Schema text of `declarationSchema` (written by scripts/generate.ts). */
export function declarationJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(declarationSchema, { io: "input", unrepresentable: "any" }), null, 2)}\n`;
}

/** `spec.sli.range.max`, `spec.alerts[0].name`: a zod issue path as the messages write it. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`))
    .join("");
}
