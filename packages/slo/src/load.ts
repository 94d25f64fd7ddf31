/**
 * Loads and validates policies/slo/*.yaml. Every problem is reported at once, each naming its file and
 * field (`policies/slo/processing-success.yaml: spec.objective.goal must be a number strictly between 0
 * and 1, got 1.5`). Each file is checked against the schema in `schema.ts` (zod); what needs several
 * files (the policy's alerts, composite components) is checked here after parsing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import type { z } from "zod";
import { COMPOSITE_LAG_SECONDS } from "./custom-metrics";
import type {
  BurnRateAlert,
  ErrorBudgetPolicy,
  MetricSelector,
  Sli,
  SloCatalog,
  SloDefinition,
} from "./declaration";
import { envelopeSchema, fieldPath, metricDelay, policyBodySchema, sloBodySchema } from "./schema";

/** Repository root (packages/slo/src -> ../../..). */
export const REPO_ROOT = join(__dirname, "..", "..", "..");
/** Where the declarations live. */
export const DEFAULT_SLO_DIR = join(REPO_ROOT, "policies", "slo");

/** Thrown when the declarations are invalid; `problems` lists every one. */
export class SloDeclarationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid SLO declarations:\n  - ${problems.join("\n  - ")}`);
    this.name = "SloDeclarationError";
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** One file's problems, each as `<file>: <field> <message>`. */
class FileProblems {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {}

  fail(path: string, message: string): undefined {
    const problem = `${this.file}: ${path} ${message}`;
    // two checks of one field can say the same thing (a number neither >= 0 nor <= 1): say it once
    if (!this.problems.includes(problem)) this.problems.push(problem);
    return undefined;
  }

  /** Parses `value` with `schema`, recording every issue; undefined when there was one. */
  parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) this.fail(fieldPath(issue.path), issue.message);
    return undefined;
  }
}

const toAlert = (a: {
  name: string;
  severity: "page" | "ticket";
  longWindow: number;
  shortWindow: number;
  burnRate: number;
}): BurnRateAlert => ({
  name: a.name,
  severity: a.severity,
  longWindowSeconds: a.longWindow,
  shortWindowSeconds: a.shortWindow,
  burnRate: a.burnRate,
});

function readPolicy(r: FileProblems, spec: Obj): ErrorBudgetPolicy | undefined {
  const body = r.parse(policyBodySchema, { spec });
  if (!body) return undefined;
  const { burnRateAlerts, gate, audit } = body.spec;
  return {
    burnRateAlerts: burnRateAlerts.map(toAlert),
    gate: {
      failBudgetRemaining: gate.failBudgetRemaining,
      warnBudgetRemaining: gate.warnBudgetRemaining,
      minCoverage: gate.minCoverage,
      insufficientHistory: gate.insufficientHistory,
      minEvents: gate.minEvents,
      release: { maxBurnRate: gate.release.maxBurnRate, relativeFactor: gate.release.relativeFactor },
    },
    audit: {
      tooLooseBudgetConsumed: audit.tooLooseBudgetConsumed,
      minCoverage: audit.minCoverage,
      trendWindowSeconds: audit.trendWindow,
      maxTighteningFactor: audit.maxTighteningFactor,
    },
  };
}

type ParsedSli = z.output<typeof sloBodySchema>["spec"]["sli"];

function toSli(sli: ParsedSli): Sli {
  switch (sli.kind) {
    case "ratio":
      return sli.local
        ? { kind: sli.kind, good: sli.good, total: sli.total, local: sli.local }
        : { kind: sli.kind, good: sli.good, total: sli.total };
    case "windows-in-range": {
      const out = {
        kind: sli.kind,
        metric: sli.metric,
        aggregate: sli.aggregate,
        windowSeconds: sli.window,
        range: sli.range,
      } as const;
      return sli.local ? { ...out, local: sli.local } : out;
    }
    case "distribution-cut":
      return sli.local
        ? { kind: sli.kind, metric: sli.metric, range: sli.range, local: { latencyInRangeBuckets: true } }
        : { kind: sli.kind, metric: sli.metric, range: sli.range };
    case "composite":
      return {
        kind: sli.kind,
        components: sli.components,
        windowSeconds: sli.window,
        minuteThreshold: sli.minuteThreshold,
        metric: sli.metric,
      };
  }
}

/** Metric selectors an SLI reads directly (a composite reads its components). */
export function sliSelectors(sli: Sli): MetricSelector[] {
  if (sli.kind === "ratio") return [sli.good, sli.total];
  if (sli.kind === "composite") return [];
  return [sli.metric];
}

function readSlo(
  r: FileProblems,
  name: string,
  metadata: Obj,
  spec: Obj,
  policy: ErrorBudgetPolicy | undefined,
): SloDefinition | undefined {
  const body = r.parse(sloBodySchema, { metadata, spec });
  if (!body) return undefined;
  const { objective, runbook, neverMeasured, description } = body.spec;
  const alerts = body.spec.alerts ? body.spec.alerts.map(toAlert) : policy?.burnRateAlerts;
  if (!alerts) return undefined; // the policy's own problems are reported with the policy
  for (const a of alerts)
    if (a.longWindowSeconds > objective.rollingPeriod)
      r.fail("spec.alerts", `${a.name}: longWindow is longer than the rolling period`);
  const sli = toSli(body.spec.sli);
  // the schema refused metrics without a recorded delay, so every lookup here is a number
  const delays = sliSelectors(sli).map((s) => metricDelay(s.metricType) as number);
  return {
    name,
    displayName: body.metadata.displayName,
    description,
    goal: objective.goal,
    rollingPeriodSeconds: objective.rollingPeriod,
    sli,
    alerts,
    runbook,
    neverMeasured,
    visibilityDelaySeconds: Math.max(0, ...delays),
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
  const docs: { r: FileProblems; kind: string; name: string; metadata: Obj; spec: Obj }[] = [];
  for (const f of files) {
    const file = relative(REPO_ROOT, join(dir, f)) || f;
    const r = new FileProblems(file.startsWith("..") ? join(dir, f) : file, problems);
    let doc: unknown;
    try {
      doc = parse(readFileSync(join(dir, f), "utf8"));
    } catch (error) {
      r.fail("(document)", `is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
      continue;
    }
    if (!isObj(doc)) {
      r.fail("(document)", "must be a mapping with apiVersion, kind, metadata and spec");
      continue;
    }
    const result = envelopeSchema.safeParse(doc);
    for (const issue of result.error?.issues ?? []) r.fail(fieldPath(issue.path), issue.message);
    // a wrong apiVersion is reported, but the rest of the document is still read
    if (result.error?.issues.some((issue) => issue.path[0] !== "apiVersion")) continue;
    const metadata = doc.metadata as Obj;
    docs.push({
      r,
      kind: doc.kind as string,
      name: (metadata.name as string).trim(),
      metadata,
      spec: doc.spec as Obj,
    });
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
