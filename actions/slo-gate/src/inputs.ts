/** The action's inputs, read and validated once, with errors that say how to fix them. */
import { isAbsolute, join } from "node:path";
import { DECLARATION, type PlatformDeclaration, resolveEnvironment } from "@shopstream/platform";

/** Reads one input (core.getInput in the action, a map in tests). */
export type InputReader = (name: string) => string;

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

/** Reads and validates every input; throws one error listing every problem. */
export function readInputs(
  read: InputReader,
  workspace: string,
  nowMs: number,
  declaration: PlatformDeclaration = DECLARATION,
): Inputs {
  const problems: string[] = [];
  const mode = read("mode") || "gate";
  if (mode !== "gate" && mode !== "audit") problems.push(`mode must be "gate" or "audit", got "${mode}"`);
  const projectId = read("project-id");
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(projectId))
    problems.push(
      `project-id must be a Google Cloud project ID (6-30 lower-case letters, digits, hyphens), got "${projectId}"; set it from a repository variable`,
    );
  // Resource names come from the platform declaration (packages/platform), never from a default here.
  const environment = read("environment");
  const resolved = resolveEnvironment(environment, declaration);
  if (resolved.problem) problems.push(resolved.problem);
  const namePrefix = read("name-prefix") || resolved.names?.prefix || "";
  if (!NAME_PREFIX.test(namePrefix))
    problems.push(`name-prefix must be lower-case letters, digits and hyphens, got "${namePrefix}"`);
  const dir = read("slo-dir") || "policies/slo";
  const sloDir = isAbsolute(dir) ? dir : join(workspace, dir);
  const failOnWarnRaw = (read("fail-on-warn") || "false").toLowerCase();
  if (failOnWarnRaw !== "true" && failOnWarnRaw !== "false")
    problems.push(`fail-on-warn must be true or false, got "${failOnWarnRaw}"`);
  const at = read("evaluation-time");
  const evaluationMs = at ? Date.parse(at) : nowMs;
  if (Number.isNaN(evaluationMs))
    problems.push(`evaluation-time must be an RFC 3339 time like 2025-01-31T12:00:00Z, got "${at}"`);
  else if (at) {
    const problem = evaluationTimeProblem(mode, evaluationMs, nowMs);
    if (problem) problems.push(`evaluation-time ${at}: ${problem}`);
  }
  const deployedAt = read("deployed-at");
  const deployedAtMs = deployedAt ? Date.parse(deployedAt) : undefined;
  if (deployedAtMs !== undefined && (Number.isNaN(deployedAtMs) || deployedAtMs > evaluationMs))
    problems.push(
      `deployed-at must be the RFC 3339 time the candidate was deployed to ${environment} (before the evaluation time), got "${deployedAt}"`,
    );
  const liveSince = read("source-live-since");
  const sourceLiveSinceMs = liveSince ? Date.parse(liveSince) : deployedAtMs;
  if (liveSince && (Number.isNaN(sourceLiveSinceMs) || (sourceLiveSinceMs ?? 0) > evaluationMs))
    problems.push(
      `source-live-since must be the RFC 3339 time the release running in ${environment} went live (before the evaluation time), got "${liveSince}"`,
    );
  const targetProject = read("target-project-id");
  const targetEnvironment = read("target-environment");
  let target: Inputs["target"];
  if (targetProject || targetEnvironment) {
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(targetProject))
      problems.push(
        `target-project-id must be the target environment's Google Cloud project ID, got "${targetProject}"`,
      );
    // The target's names come from the platform declaration, like the source's (never a default here).
    const resolvedTarget = resolveEnvironment(targetEnvironment, declaration);
    if (resolvedTarget.problem)
      problems.push(`target-environment (set with target-project-id): ${resolvedTarget.problem}`);
    const targetPrefix = read("target-name-prefix") || resolvedTarget.names?.prefix || "";
    // The prefix goes into Monitoring filters: anything but a resource name could rewrite them.
    if (!NAME_PREFIX.test(targetPrefix))
      problems.push(
        `target-name-prefix must be lower-case letters, digits and hyphens, got "${targetPrefix}"`,
      );
    target = { projectId: targetProject, environment: targetEnvironment, namePrefix: targetPrefix };
  }
  const changeKind = read("change-kind") || "change";
  if (changeKind !== "change" && changeKind !== "fix")
    problems.push(`change-kind must be "change" or "fix", got "${changeKind}"`);
  const overrideReason = read("override-reason").trim();
  if (overrideReason && overrideReason.length < 10)
    problems.push(
      `override-reason must say why (at least 10 characters, e.g. "P0: checkout down, fix #123"), got "${overrideReason}"`,
    );
  const deployMarkers: Inputs["deployMarkers"] = [];
  const markersRaw = read("deploy-markers").trim();
  if (markersRaw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(markersRaw);
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
      problems.push(
        `deploy-markers must be a JSON list like [{"release":"abc1234","deployedAt":"2025-01-31T12:00:00Z"}], got ${markersRaw.slice(0, 80)}`,
      );
    else
      for (const m of parsed as { release: string; deployedAt: string }[])
        deployMarkers.push({ release: m.release, deployedAtMs: Date.parse(m.deployedAt) });
  }
  if (problems.length > 0) throw new Error(`invalid inputs:\n  - ${problems.join("\n  - ")}`);
  return {
    mode: mode as Inputs["mode"],
    projectId,
    environment,
    namePrefix,
    sloDir,
    failOnWarn: failOnWarnRaw === "true",
    evaluationMs,
    ...(deployedAtMs === undefined ? {} : { deployedAtMs }),
    ...(sourceLiveSinceMs === undefined ? {} : { sourceLiveSinceMs }),
    ...(target ? { target } : {}),
    changeKind: changeKind as Inputs["changeKind"],
    ...(overrideReason ? { overrideReason } : {}),
    deployMarkers,
  };
}
