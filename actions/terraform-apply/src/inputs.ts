/**
 * Reads and validates every input of terraform-apply at once.
 */

/** Reads one input by name ("" when unset). */
export type InputGetter = (name: string) => string;

/** The validated inputs. */
export interface Inputs {
  environment: string;
  planFile: string;
  metaFile: string;
  expectedSha256: string;
  baseCheck: "commit" | "off";
  requireReviewers: boolean;
  deployBranch: string;
  workingDirectory: string;
  terraformBinary: string;
  backendConfig: string;
  /** The environment's tfvars file (relative to working-directory): where state_encryption_key is read. */
  varFile: string;
  githubToken: string;
  slackToken: string;
  slackChannel: string;
  maskPatterns: RegExp[];
}

/** Validates all inputs; throws one error listing every problem. */
export function readInputs(get: InputGetter): Inputs {
  const errors: string[] = [];
  const environment = get("environment").trim();
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(environment)) {
    errors.push(
      `input environment must be an environment name such as dev, staging or prod, got "${environment}"`,
    );
  }
  const planFile = get("plan-file").trim();
  if (!planFile) errors.push("input plan-file is required: the downloaded <env>.tfplan of the plan artifact");
  const metaFile = get("meta-file").trim();
  if (!metaFile) errors.push("input meta-file is required: meta.json of the plan artifact");
  const expectedSha256 = get("expected-sha256").trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expectedSha256)) {
    errors.push(
      "input expected-sha256 must be the plan job's plan-sha256 output (64 hex characters); the reviewed hash is never read from a pull-request comment, which any workflow of the repository could write",
    );
  }
  if (get("pull-request").trim()) {
    errors.push(
      "input pull-request was removed: applying from a pull request's plan comment is not supported (that comment can be forged by any workflow that runs as github-actions[bot]); promote with .github/workflows/promote.yml",
    );
  }
  const baseCheckRaw = get("base-check").trim() || "commit";
  if (!["commit", "off"].includes(baseCheckRaw)) {
    errors.push(`input base-check must be commit or off, got "${baseCheckRaw}"`);
  }
  const requireRaw = get("require-reviewers").trim().toLowerCase() || "true";
  if (!["true", "false"].includes(requireRaw))
    errors.push(`input require-reviewers must be true or false, got "${requireRaw}"`);
  const deployBranch = get("deploy-branch").trim() || "main";
  const githubToken = get("github-token").trim();
  if (!githubToken)
    errors.push(
      "input github-token is required (pass `github.token`; it needs actions: read to read the environment)",
    );
  const slackToken = get("slack-token").trim();
  const slackChannel = get("slack-channel").trim();
  if (slackToken && !slackChannel) errors.push("input slack-channel is required with slack-token");
  const maskPatterns: RegExp[] = [];
  for (const pattern of get("mask-patterns")
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean)) {
    try {
      maskPatterns.push(new RegExp(pattern));
    } catch (error) {
      errors.push(
        `input mask-patterns: "${pattern}" is not a valid regular expression (${(error as Error).message})`,
      );
    }
  }
  if (errors.length) throw new Error(`invalid inputs:\n- ${errors.join("\n- ")}`);
  return {
    environment,
    planFile,
    metaFile,
    expectedSha256,
    baseCheck: baseCheckRaw as Inputs["baseCheck"],
    requireReviewers: requireRaw === "true",
    deployBranch,
    workingDirectory: get("working-directory").trim() || "terraform",
    terraformBinary: get("terraform-binary").trim() || "tofu",
    backendConfig: get("backend-config").trim() || `environments/${environment}.backend.hcl`,
    varFile: get("var-file").trim() || `environments/${environment}.tfvars`,
    githubToken,
    slackToken,
    slackChannel,
    maskPatterns,
  };
}
