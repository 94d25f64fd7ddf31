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
  if (problems.length > 0) throw new Error(`invalid inputs:\n  - ${problems.join("\n  - ")}`);
  return {
    mode: mode as Inputs["mode"],
    projectId,
    environment,
    namePrefix,
    sloDir,
    failOnWarn: failOnWarnRaw === "true",
    evaluationMs,
  };
}
