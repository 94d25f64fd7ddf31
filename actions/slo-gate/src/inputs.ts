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
  /** The promotion's target, whose own budget is checked. */
  target?: { projectId: string; environment: string; namePrefix: string };
  changeKind: "change" | "fix";
  /** An approved override: the gate reports but does not block. */
  overrideReason?: string;
  /** Audit: deploy markers of the environment, to attribute budget spend per release. */
  deployMarkers: { release: string; deployedAtMs: number }[];
}

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
  if (!/^[a-z][a-z0-9-]*$/.test(namePrefix))
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
  const deployedAt = read("deployed-at");
  const deployedAtMs = deployedAt ? Date.parse(deployedAt) : undefined;
  if (deployedAtMs !== undefined && (Number.isNaN(deployedAtMs) || deployedAtMs > evaluationMs))
    problems.push(
      `deployed-at must be the RFC 3339 time the candidate was deployed to ${environment} (before the evaluation time), got "${deployedAt}"`,
    );
  const targetProject = read("target-project-id");
  const targetEnvironment = read("target-environment");
  let target: Inputs["target"];
  if (targetProject || targetEnvironment) {
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(targetProject))
      problems.push(
        `target-project-id must be the target environment's Google Cloud project ID, got "${targetProject}"`,
      );
    if (!/^[a-z][a-z0-9-]{0,20}$/.test(targetEnvironment))
      problems.push(
        `target-environment must be set with target-project-id (e.g. prod), got "${targetEnvironment}"`,
      );
    target = {
      projectId: targetProject,
      environment: targetEnvironment,
      namePrefix: read("target-name-prefix") || `shopstream-${targetEnvironment}`,
    };
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
    ...(target ? { target } : {}),
    changeKind: changeKind as Inputs["changeKind"],
    ...(overrideReason ? { overrideReason } : {}),
    deployMarkers,
  };
}
