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
  pullRequest: number | undefined;
  baseCheck: "pull-request" | "commit" | "off";
  requireReviewers: boolean;
  workingDirectory: string;
  terraformBinary: string;
  backendConfig: string;
  githubToken: string;
  commentAuthor: string;
  slackToken: string;
  slackChannel: string;
}

/** Validates all inputs; throws one error listing every problem. */
export function readInputs(get: InputGetter, defaultPullRequest?: number): Inputs {
  const errors: string[] = [];
  const environment = get("environment").trim();
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(environment)) {
    errors.push(
      `input environment must be an environment name such as dev, staging or prod, got "${environment}"`,
    );
  }
  const planFile = get("plan-file").trim();
  if (!planFile) errors.push("input plan-file is required: the downloaded <env>.tfplan of the plan artifact");
  const expectedSha256 = get("expected-sha256").trim().toLowerCase();
  if (expectedSha256 && !/^[0-9a-f]{64}$/.test(expectedSha256)) {
    errors.push("input expected-sha256 must be 64 hex characters (the plan action's plan-sha256 output)");
  }
  const prRaw = get("pull-request").trim();
  let pullRequest = defaultPullRequest;
  if (prRaw) {
    pullRequest = Number(prRaw);
    if (!Number.isInteger(pullRequest) || pullRequest <= 0)
      errors.push(`input pull-request must be a number, got "${prRaw}"`);
  }
  const baseCheckRaw = get("base-check").trim() || (pullRequest ? "pull-request" : "commit");
  if (!["pull-request", "commit", "off"].includes(baseCheckRaw)) {
    errors.push(`input base-check must be pull-request, commit or off, got "${baseCheckRaw}"`);
  }
  if (baseCheckRaw === "pull-request" && !pullRequest)
    errors.push("base-check pull-request needs input pull-request");
  const requireRaw = get("require-reviewers").trim().toLowerCase() || "true";
  if (!["true", "false"].includes(requireRaw))
    errors.push(`input require-reviewers must be true or false, got "${requireRaw}"`);
  const githubToken = get("github-token").trim();
  if (!githubToken)
    errors.push(
      "input github-token is required (pass `github.token`; it needs actions: read and pull-requests: write)",
    );
  if (!expectedSha256 && !pullRequest && !get("meta-file").trim()) {
    errors.push(
      "give the reviewed plan: expected-sha256 (promotion), or pull-request (its plan comment), or meta-file",
    );
  }
  const slackToken = get("slack-token").trim();
  const slackChannel = get("slack-channel").trim();
  if (slackToken && !slackChannel) errors.push("input slack-channel is required with slack-token");
  if (errors.length) throw new Error(`invalid inputs:\n- ${errors.join("\n- ")}`);
  return {
    environment,
    planFile,
    metaFile: get("meta-file").trim(),
    expectedSha256,
    pullRequest,
    baseCheck: baseCheckRaw as Inputs["baseCheck"],
    requireReviewers: requireRaw === "true",
    workingDirectory: get("working-directory").trim() || "terraform",
    terraformBinary: get("terraform-binary").trim() || "tofu",
    backendConfig: get("backend-config").trim() || `environments/${environment}.backend.hcl`,
    githubToken,
    commentAuthor: get("comment-author").trim() || "github-actions[bot]",
    slackToken,
    slackChannel,
  };
}
