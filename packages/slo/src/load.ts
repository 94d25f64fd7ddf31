/**
 * Loads and validates policies/slo/*.yaml. Every problem is reported at once, each naming its file and
 * field (`policies/slo/processing-success.yaml: spec.objective.goal must be a number strictly between 0
 * and 1, got 1.5`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { builtinMetric } from "./builtin-metrics";
import { COMPOSITE_LAG_SECONDS, CUSTOM_METRICS } from "./custom-metrics";
import type {
  BurnRateAlert,
  ErrorBudgetPolicy,
  LocalCounter,
  LocalGauge,
  MetricSelector,
  Sli,
  SloCatalog,
  SloDefinition,
} from "./declaration";
import { LOCAL_COUNTERS, LOCAL_GAUGES } from "./declaration";
import { parseDuration } from "./duration";

/** Repository root (packages/slo/src -> ../../..). */
export const REPO_ROOT = join(__dirname, "..", "..", "..");
/** Where the declarations live. */
export const DEFAULT_SLO_DIR = join(REPO_ROOT, "policies", "slo");

const API_VERSION = "shopstream.dev/v1";
/** Cloud Monitoring accepts rolling periods of 1 to 30 days. */
const MAX_ROLLING_DAYS = 30;

/** Thrown when the declarations are invalid; `problems` lists every one. */
export class SloDeclarationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid SLO declarations:\n  - ${problems.join("\n  - ")}`);
    this.name = "SloDeclarationError";
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads fields of one YAML document, collecting problems with file and field path. */
class Reader {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {}

  fail(path: string, message: string): undefined {
    this.problems.push(`${this.file}: ${path} ${message}`);
    return undefined;
  }

  obj(parent: Obj, key: string, path: string, optional = false): Obj | undefined {
    const v = parent[key];
    if (v === undefined && optional) return undefined;
    if (!isObj(v)) return this.fail(`${path}${key}`, "must be a mapping");
    return v;
  }

  str(parent: Obj, key: string, path: string, pattern?: RegExp): string | undefined {
    const v = parent[key];
    if (typeof v !== "string" || v.trim() === "")
      return this.fail(`${path}${key}`, "must be a non-empty string");
    if (pattern && !pattern.test(v)) return this.fail(`${path}${key}`, `must match ${pattern}, got "${v}"`);
    return v.trim();
  }

  num(
    parent: Obj,
    key: string,
    path: string,
    check: (n: number) => boolean,
    rule: string,
  ): number | undefined {
    const v = parent[key];
    if (typeof v !== "number" || !Number.isFinite(v) || !check(v))
      return this.fail(`${path}${key}`, `must be ${rule}, got ${JSON.stringify(v)}`);
    return v;
  }

  duration(parent: Obj, key: string, path: string): number | undefined {
    const v = parent[key];
    try {
      if (typeof v !== "string") throw new Error(`"${String(v)}" is not a duration like 30s, 5m, 1h or 3d`);
      return parseDuration(v);
    } catch (error) {
      return this.fail(`${path}${key}`, (error as Error).message);
    }
  }

  oneOf<T extends string>(parent: Obj, key: string, path: string, allowed: readonly T[]): T | undefined {
    const v = parent[key];
    if (typeof v !== "string" || !(allowed as readonly string[]).includes(v))
      return this.fail(`${path}${key}`, `must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`);
    return v as T;
  }

  labels(parent: Obj, key: string, path: string): Record<string, string> | undefined {
    const v = parent[key];
    if (v === undefined) return {};
    if (!isObj(v)) return this.fail(`${path}${key}`, "must be a mapping of label name to value");
    const out: Record<string, string> = {};
    for (const [k, value] of Object.entries(v)) {
      if (!/^[a-z_][a-z0-9_]*$/.test(k)) this.fail(`${path}${key}.${k}`, "is not a valid label name");
      else if (typeof value !== "string" || /"/.test(value))
        this.fail(`${path}${key}.${k}`, "must be a string without double quotes");
      else out[k] = value;
    }
    return out;
  }

  selector(parent: Obj, key: string, path: string): MetricSelector | undefined {
    const o = this.obj(parent, key, path);
    if (!o) return undefined;
    const p = `${path}${key}.`;
    const metricType = this.str(
      o,
      "metricType",
      p,
      /^[a-z0-9.]+\.(googleapis\.com|com|io)\/[A-Za-z0-9_/.]+$/,
    );
    const resourceType = this.str(o, "resourceType", p, /^[a-z_]+$/);
    const resourceLabels = this.labels(o, "resourceLabels", p);
    const metricLabels = this.labels(o, "metricLabels", p);
    if (!metricType || !resourceType || !resourceLabels || !metricLabels) return undefined;
    return { metricType, resourceType, resourceLabels, metricLabels };
  }

  alerts(list: unknown, path: string): BurnRateAlert[] | undefined {
    if (!Array.isArray(list) || list.length === 0) return this.fail(path, "must be a non-empty list");
    const out: BurnRateAlert[] = [];
    for (const [i, item] of list.entries()) {
      const p = `${path}[${i}].`;
      if (!isObj(item)) {
        this.fail(`${path}[${i}]`, "must be a mapping");
        continue;
      }
      const name = this.str(item, "name", p, /^[a-z][a-z0-9-]*$/);
      const severity = this.oneOf(item, "severity", p, ["page", "ticket"] as const);
      const longWindowSeconds = this.duration(item, "longWindow", p);
      const shortWindowSeconds = this.duration(item, "shortWindow", p);
      const burnRate = this.num(item, "burnRate", p, (n) => n > 0, "a positive number");
      if (
        longWindowSeconds !== undefined &&
        shortWindowSeconds !== undefined &&
        shortWindowSeconds >= longWindowSeconds
      )
        this.fail(`${p}shortWindow`, "must be shorter than longWindow");
      if (name && severity && longWindowSeconds && shortWindowSeconds && burnRate)
        out.push({ name, severity, longWindowSeconds, shortWindowSeconds, burnRate });
    }
    const names = out.map((a) => a.name);
    if (new Set(names).size !== names.length) this.fail(path, "names must be unique");
    return out;
  }
}

function envelope(
  r: Reader,
  doc: unknown,
): { kind: string; name: string; metadata: Obj; spec: Obj } | undefined {
  if (!isObj(doc)) return r.fail("(document)", "must be a mapping with apiVersion, kind, metadata and spec");
  if (doc.apiVersion !== API_VERSION)
    r.fail("apiVersion", `must be "${API_VERSION}", got ${JSON.stringify(doc.apiVersion)}`);
  const kind = r.oneOf(doc, "kind", "", ["SLO", "ErrorBudgetPolicy"] as const);
  const metadata = r.obj(doc, "metadata", "");
  const spec = r.obj(doc, "spec", "");
  const name = metadata ? r.str(metadata, "name", "metadata.", /^[a-z][a-z0-9-]{0,60}$/) : undefined;
  if (!kind || !metadata || !spec || !name) return undefined;
  return { kind, name, metadata, spec };
}

function readPolicy(r: Reader, spec: Obj): ErrorBudgetPolicy | undefined {
  const burnRateAlerts = r.alerts(spec.burnRateAlerts, "spec.burnRateAlerts");
  const gate = r.obj(spec, "gate", "spec.");
  const audit = r.obj(spec, "audit", "spec.");
  if (!gate || !audit || !burnRateAlerts) return undefined;
  const fraction = (n: number) => n >= 0 && n <= 1;
  const failBudgetRemaining = r.num(
    gate,
    "failBudgetRemaining",
    "spec.gate.",
    fraction,
    "a fraction from 0 to 1",
  );
  const warnBudgetRemaining = r.num(
    gate,
    "warnBudgetRemaining",
    "spec.gate.",
    fraction,
    "a fraction from 0 to 1",
  );
  const minCoverage = r.num(gate, "minCoverage", "spec.gate.", fraction, "a fraction from 0 to 1");
  const insufficientHistory = r.oneOf(gate, "insufficientHistory", "spec.gate.", [
    "pass",
    "warn",
    "fail",
  ] as const);
  const minEvents = r.num(
    gate,
    "minEvents",
    "spec.gate.",
    (n) => Number.isInteger(n) && n >= 1,
    "an integer >= 1",
  );
  const release = r.obj(gate, "release", "spec.gate.");
  const maxBurnRate = release
    ? r.num(release, "maxBurnRate", "spec.gate.release.", (n) => n > 0, "a positive number")
    : undefined;
  const relativeFactor = release
    ? r.num(release, "relativeFactor", "spec.gate.release.", (n) => n >= 1, "a number >= 1")
    : undefined;
  if (gate.missingData !== undefined)
    r.fail(
      "spec.gate.missingData",
      "is replaced by spec.neverMeasured in each SLO file (exclude or fail) and gate.minCoverage (docs/slos.md, Missing data)",
    );
  const tooLooseBudgetConsumed = r.num(
    audit,
    "tooLooseBudgetConsumed",
    "spec.audit.",
    fraction,
    "a fraction from 0 to 1",
  );
  const auditMinCoverage = r.num(audit, "minCoverage", "spec.audit.", fraction, "a fraction from 0 to 1");
  const trendWindowSeconds = r.duration(audit, "trendWindow", "spec.audit.");
  const maxTighteningFactor = r.num(
    audit,
    "maxTighteningFactor",
    "spec.audit.",
    (n) => n > 1,
    "a number > 1",
  );
  if (
    failBudgetRemaining === undefined ||
    warnBudgetRemaining === undefined ||
    minCoverage === undefined ||
    !insufficientHistory ||
    minEvents === undefined ||
    maxBurnRate === undefined ||
    relativeFactor === undefined ||
    tooLooseBudgetConsumed === undefined ||
    auditMinCoverage === undefined ||
    !trendWindowSeconds ||
    maxTighteningFactor === undefined
  )
    return undefined;
  if (warnBudgetRemaining < failBudgetRemaining)
    return r.fail("spec.gate.warnBudgetRemaining", "must be at least failBudgetRemaining");
  return {
    burnRateAlerts,
    gate: {
      failBudgetRemaining,
      warnBudgetRemaining,
      minCoverage,
      insufficientHistory,
      minEvents,
      release: { maxBurnRate, relativeFactor },
    },
    audit: { tooLooseBudgetConsumed, minCoverage: auditMinCoverage, trendWindowSeconds, maxTighteningFactor },
  };
}

function readSli(r: Reader, spec: Obj): Sli | undefined {
  const sli = r.obj(spec, "sli", "spec.");
  if (!sli) return undefined;
  const p = "spec.sli.";
  const kind = r.oneOf(sli, "kind", p, [
    "ratio",
    "windows-in-range",
    "distribution-cut",
    "composite",
  ] as const);
  if (kind === "ratio") {
    const good = r.selector(sli, "good", p);
    const total = r.selector(sli, "total", p);
    let local: { good: LocalCounter; total: LocalCounter } | undefined;
    const l = r.obj(sli, "local", p, true);
    if (l) {
      const lg = r.oneOf(l, "good", `${p}local.`, LOCAL_COUNTERS);
      const lt = r.oneOf(l, "total", `${p}local.`, LOCAL_COUNTERS);
      if (lg && lt) local = { good: lg, total: lt };
    }
    if (!good || !total) return undefined;
    return local ? { kind, good, total, local } : { kind, good, total };
  }
  if (kind === "windows-in-range") {
    const metric = r.selector(sli, "metric", p);
    // Cloud Monitoring's windows-based SLIs average (metric_mean_in_range) or sum (metric_sum_in_range)
    // across series; nothing else can be expressed, so nothing else is accepted (the gate would compute
    // an SLI that the Terraform SLO does not).
    if (sli.aligner !== undefined || sli.reducer !== undefined)
      r.fail(
        `${p}${sli.aligner !== undefined ? "aligner" : "reducer"}`,
        "is not supported: use aggregate: mean (metric_mean_in_range) or aggregate: sum (metric_sum_in_range), the two windows-based SLIs Cloud Monitoring can express",
      );
    const aggregate = r.oneOf(sli, "aggregate", p, ["mean", "sum"] as const);
    const windowSeconds = r.duration(sli, "window", p);
    const range = readRange(r, sli, p);
    if (windowSeconds !== undefined && windowSeconds % 60 !== 0)
      r.fail(`${p}window`, "must be whole minutes");
    const l = r.obj(sli, "local", p, true);
    let local: { gauge: LocalGauge } | undefined;
    if (l) {
      const gauge = r.oneOf(l, "gauge", `${p}local.`, LOCAL_GAUGES);
      if (gauge) local = { gauge };
    }
    if (!metric || !aggregate || !windowSeconds || !range) return undefined;
    const out = { kind, metric, aggregate, windowSeconds, range } as const;
    return local ? { ...out, local } : out;
  }
  if (kind === "distribution-cut") {
    const metric = r.selector(sli, "metric", p);
    const range = readRange(r, sli, p);
    const l = r.obj(sli, "local", p, true);
    if (l && l.latencyAtOrBelowSeconds !== true)
      r.fail(`${p}local`, "must be { latencyAtOrBelowSeconds: true } for a distribution-cut SLI");
    if (!metric || !range) return undefined;
    // Cloud Monitoring estimates the events inside the range, interpolating inside a bucket the range
    // cuts (DistributionCut: "the estimated count of values in the Distribution that fall within the
    // specified min and max"); the gate counts whole buckets. They agree only on bucket bounds.
    const bounds = CUSTOM_METRICS.find((m) => m.type === metric.metricType)?.bucketBounds;
    for (const [key, value] of [
      ["min", range.min],
      ["max", range.max],
    ] as const)
      if (bounds && !(key === "min" && value === 0) && !bounds.includes(value))
        r.fail(
          `${p}range.${key}`,
          `must be a bucket bound of ${metric.metricType} (${bounds.join(", ")}${key === "min" ? ", or 0" : ""}): Cloud Monitoring interpolates inside a bucket, the gate cannot`,
        );
    return l ? { kind, metric, range, local: { latencyAtOrBelowSeconds: true } } : { kind, metric, range };
  }
  if (kind === "composite") {
    const components = sli.components;
    const windowSeconds = r.duration(sli, "window", p);
    const metric = r.selector(sli, "metric", p);
    const minuteThreshold = r.num(sli, "minuteThreshold", p, (n) => n > 0 && n <= 1, "a fraction in (0, 1]");
    if (
      !Array.isArray(components) ||
      components.length === 0 ||
      !components.every((c) => typeof c === "string")
    )
      return r.fail(`${p}components`, "must be a non-empty list of SLO names");
    if (!windowSeconds || !metric || minuteThreshold === undefined) return undefined;
    if (windowSeconds !== 60) return r.fail(`${p}window`, "must be 1m (components are evaluated per minute)");
    return { kind, components: components as string[], windowSeconds, minuteThreshold, metric };
  }
  return undefined;
}

function readRange(r: Reader, sli: Obj, p: string): { min: number; max: number } | undefined {
  const range = r.obj(sli, "range", p);
  const min = range ? r.num(range, "min", `${p}range.`, () => true, "a number") : undefined;
  const max = range ? r.num(range, "max", `${p}range.`, () => true, "a number") : undefined;
  if (min === undefined || max === undefined) return undefined;
  if (min >= max) return r.fail(`${p}range`, "min must be below max");
  return { min, max };
}

/** Metric selectors an SLI reads directly (a composite reads its components). */
export function sliSelectors(sli: Sli): MetricSelector[] {
  if (sli.kind === "ratio") return [sli.good, sli.total];
  if (sli.kind === "composite") return [];
  return [sli.metric];
}

/** The documented visibility delay of one metric, or a problem when it is neither recorded nor catalogued. */
function metricDelay(type: string): number | string {
  const builtin = builtinMetric(type);
  if (builtin) return builtin.visibilityDelaySeconds;
  const custom = CUSTOM_METRICS.find((m) => m.type === type);
  if (custom) return custom.ingestDelaySeconds;
  return `${type} is neither a recorded built-in metric (packages/slo/src/builtin-metrics.ts) nor in the custom-metric catalogue (packages/slo/src/custom-metrics.ts): record it with its documented visibility delay`;
}

function readSlo(r: Reader, name: string, metadata: Obj, spec: Obj, policy: ErrorBudgetPolicy | undefined) {
  const displayName = r.str(metadata, "displayName", "metadata.");
  const description = typeof spec.description === "string" ? spec.description.trim() : "";
  const objective = r.obj(spec, "objective", "spec.");
  const goal = objective
    ? r.num(objective, "goal", "spec.objective.", (n) => n > 0 && n < 1, "a number strictly between 0 and 1")
    : undefined;
  const rollingPeriodSeconds = objective
    ? r.duration(objective, "rollingPeriod", "spec.objective.")
    : undefined;
  if (
    rollingPeriodSeconds !== undefined &&
    (rollingPeriodSeconds % 86400 !== 0 || rollingPeriodSeconds > MAX_ROLLING_DAYS * 86400)
  )
    r.fail(
      "spec.objective.rollingPeriod",
      `must be whole days from 1d to ${MAX_ROLLING_DAYS}d (Cloud Monitoring's limit)`,
    );
  const sli = readSli(r, spec);
  const alerts = spec.alerts === undefined ? policy?.burnRateAlerts : r.alerts(spec.alerts, "spec.alerts");
  const runbook = r.str(spec, "runbook", "spec.", /^docs\/runbooks\/[a-z0-9-]+\.md$/);
  const neverMeasured = r.oneOf(spec, "neverMeasured", "spec.", ["exclude", "fail"] as const);
  let visibilityDelaySeconds = 0;
  for (const selector of sli ? sliSelectors(sli) : []) {
    const delay = metricDelay(selector.metricType);
    if (typeof delay === "string") r.fail("spec.sli", delay);
    else visibilityDelaySeconds = Math.max(visibilityDelaySeconds, delay);
  }
  if (
    !displayName ||
    goal === undefined ||
    !rollingPeriodSeconds ||
    !sli ||
    !alerts ||
    !runbook ||
    !neverMeasured
  )
    return undefined;
  for (const a of alerts)
    if (a.longWindowSeconds > rollingPeriodSeconds)
      r.fail("spec.alerts", `${a.name}: longWindow is longer than the rolling period`);
  return {
    name,
    displayName,
    description,
    goal,
    rollingPeriodSeconds,
    sli,
    alerts,
    runbook,
    neverMeasured,
    visibilityDelaySeconds,
    file: r.file,
  };
}

/**
 * Loads every `*.yaml` in `dir` (default policies/slo): exactly one ErrorBudgetPolicy and at least one
 * SLO. Throws SloDeclarationError listing every problem.
 */
export function loadSloCatalog(dir: string = DEFAULT_SLO_DIR): SloCatalog {
  const problems: string[] = [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort();
  const docs: { r: Reader; kind: string; name: string; metadata: Obj; spec: Obj }[] = [];
  for (const f of files) {
    const file = relative(REPO_ROOT, join(dir, f)) || f;
    const r = new Reader(file.startsWith("..") ? join(dir, f) : file, problems);
    let doc: unknown;
    try {
      doc = parse(readFileSync(join(dir, f), "utf8"));
    } catch (error) {
      r.fail("(document)", `is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
      continue;
    }
    const e = envelope(r, doc);
    if (e) docs.push({ r, ...e });
  }
  const policies = docs.filter((d) => d.kind === "ErrorBudgetPolicy");
  if (policies.length !== 1)
    problems.push(
      `${relative(REPO_ROOT, dir) || dir}: needs exactly one ErrorBudgetPolicy, found ${policies.length}`,
    );
  const policy = policies[0] ? readPolicy(policies[0].r, policies[0].spec) : undefined;
  const slos: SloDefinition[] = [];
  const seen = new Map<string, string>();
  for (const d of docs.filter((x) => x.kind === "SLO")) {
    const previous = seen.get(d.name);
    if (previous) {
      d.r.fail("metadata.name", `"${d.name}" is already declared in ${previous}`);
      continue;
    }
    seen.set(d.name, d.r.file);
    const slo = readSlo(d.r, d.name, d.metadata, d.spec, policy);
    if (slo) slos.push(slo);
  }
  if (docs.filter((x) => x.kind === "SLO").length === 0) problems.push(`${dir}: declares no SLO`);
  for (const slo of slos) {
    if (slo.sli.kind !== "composite") continue;
    const parts: SloDefinition[] = [];
    for (const c of slo.sli.components) {
      const target = slos.find((s) => s.name === c);
      if (!target && !seen.has(c)) problems.push(`${slo.file}: spec.sli.components names unknown SLO "${c}"`);
      else if (target?.sli.kind === "composite")
        problems.push(`${slo.file}: spec.sli.components: "${c}" is itself composite (one level only)`);
      else if (target) parts.push(target);
    }
    // A composite minute is good only when every component is; it cannot promise more than its weakest
    // component, nor demand more per minute than that component's own objective.
    const weakest = parts.reduce<SloDefinition | undefined>(
      (w, c) => (!w || c.goal < w.goal ? c : w),
      undefined,
    );
    if (weakest && slo.goal > weakest.goal)
      problems.push(
        `${slo.file}: spec.objective.goal ${slo.goal} is above its component ${weakest.name}'s goal ${weakest.goal}: a composite of ANDed components cannot be met more often than its weakest one; lower it to at most ${weakest.goal}`,
      );
    if (weakest && slo.sli.minuteThreshold > weakest.goal)
      problems.push(
        `${slo.file}: spec.sli.minuteThreshold ${slo.sli.minuteThreshold} is above component ${weakest.name}'s goal ${weakest.goal}: a minute in which every component meets its own objective must count as available`,
      );
    // one minute behind its slowest input, so the newest minute scored has every input written
    slo.visibilityDelaySeconds =
      Math.max(0, ...parts.map((c) => c.visibilityDelaySeconds)) + COMPOSITE_LAG_SECONDS;
  }
  if (problems.length > 0 || !policy) throw new SloDeclarationError(problems);
  return { policy, slos };
}
