/**
 * The action's inputs: one table (names, parsers and action.yml defaults, read by @shopstream/action-kit),
 * then what depends on several inputs, the clock or the platform declaration, with every problem at once.
 */
import { isAbsolute, join } from "node:path";
import {
  bool,
  type InputGetter,
  InputProblem,
  type InputValues,
  input,
  matching,
  readInputs as readTable,
  text,
} from "@shopstream/action-kit";
import { DECLARATION, type PlatformDeclaration, resolveEnvironment } from "@shopstream/platform";

/** Validated inputs. */
export interface Inputs {
  mode: "gate" | "audit";
  projectId: string;
  environment: string;
  namePrefix: string;
  sloDir: string;
  failOnWarn: boolean;
  evaluationMs: number;
  /** When the candidate release was deployed to the source environment (its deploy marker). */
  deployedAtMs?: number;
  /**
   * When the release now running in the source went live (its deploy marker), whether or not it is the
   * candidate: decides whether an SLO never measured fails (dev -> dev has no deployed-at, but dev may run
   * a release for days). Default deployed-at.
   */
  sourceLiveSinceMs?: number;
  /** The promotion's target, whose own budget is checked. */
  target?: { projectId: string; environment: string; namePrefix: string };
  changeKind: "change" | "fix";
  /** An approved override: the gate reports but does not block. */
  overrideReason?: string;
  /** Audit: deploy markers of the environment, to attribute budget spend per release. */
  deployMarkers: { release: string; deployedAtMs: number }[];
  /** Reads deploy markers and checks the override's approval; "" when not given (masked by the reader). */
  githubToken: string;
  /** The branch promotions deploy from (the override environment's branch policy must allow only it). */
  deployBranch: string;
}

/** Clock skew between the runner and Cloud Monitoring tolerated for a time "now" (runners are NTP-synced). */
export const CLOCK_SKEW_MS = 60_000;
/**
 * How old a gate's evaluation time may be: a promotion is judged on the environment as it is now; a
 * re-run of the same job a little later may keep the time it was first evaluated at, an older time would
 * let a promotion pick a moment when the budget looked better.
 */
export const GATE_MAX_AGE_MS = 3600_000;
/**
 * How far back an audit may be evaluated: Cloud Monitoring keeps metric points for a limited time
 * (at least 6 weeks: "Quotas and limits", Data retention, cloud.google.com/monitoring/quotas); a 30-day
 * audit ending before now - 42 days reads data that is gone and would report "not measured".
 */
export const AUDIT_MAX_AGE_MS = 42 * 86_400_000;

/** Why an explicit evaluation time cannot be used in this mode, or undefined. */
export function evaluationTimeProblem(mode: string, evaluationMs: number, nowMs: number): string | undefined {
  const ago = (ms: number) =>
    ms >= 86_400_000 ? `${(ms / 86_400_000).toFixed(1)} days` : `${Math.round(ms / 60_000)} minutes`;
  if (evaluationMs > nowMs + CLOCK_SKEW_MS)
    return `is ${ago(evaluationMs - nowMs)} in the future: metrics after now do not exist yet, so the verdict would score data that is not there; leave evaluation-time empty (now)`;
  const age = nowMs - evaluationMs;
  if (mode === "gate" && age > GATE_MAX_AGE_MS)
    return `is ${ago(age)} ago: a gate judges the environment as it is now (at most ${GATE_MAX_AGE_MS / 60_000} minutes ago, for a re-run); leave evaluation-time empty, or use mode: audit to look at the past`;
  if (mode === "audit" && age > AUDIT_MAX_AGE_MS)
    return `is ${ago(age)} ago: Cloud Monitoring keeps metric points for about 6 weeks, so a backfill may look at most ${AUDIT_MAX_AGE_MS / 86_400_000} days back`;
  return undefined;
}

/** A resource-name prefix; it is substituted into Monitoring filters, so nothing else may pass. */
const NAME_PREFIX = /^[a-z][a-z0-9-]*$/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const PROJECT_ID_TEXT = "a Google Cloud project ID (6-30 lower-case letters, digits, hyphens)";

function choice<const C extends string>(...choices: C[]): (raw: string) => C {
  return (raw) => {
    if ((choices as string[]).includes(raw)) return raw as C;
    throw new InputProblem(`must be ${choices.map((c) => `"${c}"`).join(" or ")}, got "${raw}"`);
  };
}

/** Deploy markers, `[{"release": "...", "deployedAt": "RFC 3339"}]`. */
function markers(raw: string): Inputs["deployMarkers"] {
  if (raw === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.every(
      (m) =>
        typeof m === "object" &&
        m !== null &&
        typeof m.release === "string" &&
        !Number.isNaN(Date.parse(m.deployedAt)),
    );
  if (!valid)
    throw new InputProblem(
      `must be a JSON list like [{"release":"abc1234","deployedAt":"2025-01-31T12:00:00Z"}], got ${raw.slice(0, 80)}`,
    );
  return (parsed as { release: string; deployedAt: string }[]).map((m) => ({
    release: m.release,
    deployedAtMs: Date.parse(m.deployedAt),
  }));
}

/** Every input of action.yml, with its default. */
export const INPUTS = {
  mode: input({ parse: choice("gate", "audit"), default: "gate" }),
  "project-id": input({ parse: matching(PROJECT_ID, PROJECT_ID_TEXT), required: true }),
  environment: input({
    parse: text,
    required: `is required: one of ${Object.keys(DECLARATION.environments).join(", ")} (packages/platform/platform.ts)`,
  }),
  "name-prefix": input({ parse: text, default: "" }),
  "slo-dir": input({ parse: text, default: "policies/slo" }),
  "fail-on-warn": input({ parse: bool, default: "false" }),
  "evaluation-time": input({ parse: text, default: "" }),
  "deployed-at": input({ parse: text, default: "" }),
  "target-project-id": input({ parse: text, default: "" }),
  "target-environment": input({ parse: text, default: "" }),
  "source-live-since": input({ parse: text, default: "" }),
  "target-name-prefix": input({ parse: text, default: "" }),
  "change-kind": input({ parse: choice("change", "fix"), default: "change" }),
  "override-reason": input({
    parse: (raw) => {
      if (raw && raw.length < 10)
        throw new InputProblem(
          `must say why (at least 10 characters, e.g. "P0: checkout down, fix #123"), got "${raw}"`,
        );
      return raw;
    },
    default: "",
  }),
  "github-token": input({ parse: text, default: "", secret: true }),
  "deploy-branch": input({ parse: text, default: "main" }),
  "deploy-markers": input({ parse: markers, default: "" }),
};

type Values = InputValues<typeof INPUTS>;

/** Reads and validates every input; throws one error listing every problem. */
export function readInputs(
  read: InputGetter,
  workspace: string,
  nowMs: number,
  declaration: PlatformDeclaration = DECLARATION,
): Inputs {
  // derive is pure: once to list its problems with the table's, once more on the values that passed.
  const values = readTable(INPUTS, read, (v) => derive(v, workspace, nowMs, declaration).problems);
  return derive(values, workspace, nowMs, declaration).derived;
}

/** The names, the times against the clock and each other, and the promotion's target. */
function derive(
  v: Values,
  workspace: string,
  nowMs: number,
  declaration: PlatformDeclaration,
): { problems: string[]; derived: Inputs } {
  const problems: string[] = [];
  const mode = v.mode ?? "gate";
  // Resource names come from the platform declaration (packages/platform), never from a default here.
  const environment = v.environment ?? "";
  const resolved = resolveEnvironment(environment, declaration);
  if (resolved.problem && environment) problems.push(resolved.problem);
  const namePrefix = v.namePrefix || resolved.names?.prefix || "";
  if (!NAME_PREFIX.test(namePrefix))
    problems.push(`name-prefix must be lower-case letters, digits and hyphens, got "${namePrefix}"`);
  const dir = v.sloDir ?? "policies/slo";
  const at = v.evaluationTime ?? "";
  const evaluationMs = at ? Date.parse(at) : nowMs;
  if (Number.isNaN(evaluationMs))
    problems.push(`evaluation-time must be an RFC 3339 time like 2025-01-31T12:00:00Z, got "${at}"`);
  else if (at) {
    const problem = evaluationTimeProblem(mode, evaluationMs, nowMs);
    if (problem) problems.push(`evaluation-time ${at}: ${problem}`);
  }
  const deployedAt = v.deployedAt ?? "";
  const deployedAtMs = deployedAt ? Date.parse(deployedAt) : undefined;
  if (deployedAtMs !== undefined && (Number.isNaN(deployedAtMs) || deployedAtMs > evaluationMs))
    problems.push(
      `deployed-at must be the RFC 3339 time the candidate was deployed to ${environment} (before the evaluation time), got "${deployedAt}"`,
    );
  const liveSince = v.sourceLiveSince ?? "";
  const sourceLiveSinceMs = liveSince ? Date.parse(liveSince) : deployedAtMs;
  if (liveSince && (Number.isNaN(sourceLiveSinceMs) || (sourceLiveSinceMs ?? 0) > evaluationMs))
    problems.push(
      `source-live-since must be the RFC 3339 time the release running in ${environment} went live (before the evaluation time), got "${liveSince}"`,
    );
  const targetProject = v.targetProjectId ?? "";
  const targetEnvironment = v.targetEnvironment ?? "";
  let target: Inputs["target"];
  if (targetProject || targetEnvironment) {
    if (!PROJECT_ID.test(targetProject))
      problems.push(
        `target-project-id must be the target environment's Google Cloud project ID, got "${targetProject}"`,
      );
    // The target's names come from the platform declaration, like the source's (never a default here).
    const resolvedTarget = resolveEnvironment(targetEnvironment, declaration);
    if (resolvedTarget.problem)
      problems.push(`target-environment (set with target-project-id): ${resolvedTarget.problem}`);
    const targetPrefix = v.targetNamePrefix || resolvedTarget.names?.prefix || "";
    // The prefix goes into Monitoring filters: anything but a resource name could rewrite them.
    if (!NAME_PREFIX.test(targetPrefix))
      problems.push(
        `target-name-prefix must be lower-case letters, digits and hyphens, got "${targetPrefix}"`,
      );
    target = { projectId: targetProject, environment: targetEnvironment, namePrefix: targetPrefix };
  }
  const overrideReason = v.overrideReason ?? "";
  return {
    problems,
    derived: {
      mode,
      projectId: v.projectId ?? "",
      environment,
      namePrefix,
      sloDir: isAbsolute(dir) ? dir : join(workspace, dir),
      failOnWarn: v.failOnWarn ?? false,
      evaluationMs,
      ...(deployedAtMs === undefined ? {} : { deployedAtMs }),
      ...(sourceLiveSinceMs === undefined ? {} : { sourceLiveSinceMs }),
      ...(target ? { target } : {}),
      changeKind: v.changeKind ?? "change",
      ...(overrideReason ? { overrideReason } : {}),
      deployMarkers: v.deployMarkers ?? [],
      githubToken: v.githubToken ?? "",
      deployBranch: v.deployBranch ?? "main",
    },
  };
}
