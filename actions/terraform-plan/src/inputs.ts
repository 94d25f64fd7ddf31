/**
 * Reads and validates every input of the action at once, with errors that say what to change.
 */

/** Reads one input by name ("" when unset), like `core.getInput`. */
export type InputGetter = (name: string) => string;

/** The validated inputs. */
export interface Inputs {
  environment: string;
  workingDirectory: string;
  terraformBinary: string;
  varFile: string;
  /** Extra var files passed after var-file (later ones win), e.g. dataflow-template's tfvars-file. */
  varFiles: string[];
  /** Plan without taking the state lock (read-only plan identities cannot write the lock object). */
  lock: boolean;
  backendConfig: string;
  init: boolean;
  policyDir: string;
  opaBinary: string;
  failOnPolicy: boolean;
  githubToken: string;
  pullRequest: number | undefined;
  comment: boolean;
  labels: boolean;
  uploadArtifact: boolean;
  artifactName: string;
  artifactRetentionDays: number;
  maskPatterns: RegExp[];
  extraLabels: string[];
  commentAuthor: string;
}

const ENV_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

function bool(get: InputGetter, name: string, fallback: boolean, errors: string[]): boolean {
  const raw = get(name).trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === "true") return true;
  if (raw === "false") return false;
  errors.push(`input ${name} must be true or false, got "${raw}"`);
  return fallback;
}

function lines(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Validates all inputs; throws one error listing every problem.
 * @param defaultPullRequest the pull request of the triggering event, if any
 */
export function readInputs(get: InputGetter, defaultPullRequest?: number): Inputs {
  const errors: string[] = [];
  const environment = get("environment").trim();
  if (!ENV_NAME.test(environment)) {
    errors.push(
      `input environment must be a lower-case environment name such as dev, staging or prod, got "${environment}"`,
    );
  }
  const prRaw = get("pull-request").trim();
  let pullRequest = defaultPullRequest;
  if (prRaw) {
    pullRequest = Number(prRaw);
    if (!Number.isInteger(pullRequest) || pullRequest <= 0) {
      errors.push(`input pull-request must be a pull-request number, got "${prRaw}"`);
    }
  }
  const maskPatterns: RegExp[] = [];
  for (const pattern of lines(get("mask-patterns"))) {
    try {
      maskPatterns.push(new RegExp(pattern));
    } catch (error) {
      errors.push(
        `input mask-patterns: "${pattern}" is not a valid regular expression (${(error as Error).message})`,
      );
    }
  }
  const retentionRaw = get("artifact-retention-days").trim() || "14";
  const artifactRetentionDays = Number(retentionRaw);
  if (!Number.isInteger(artifactRetentionDays) || artifactRetentionDays < 1 || artifactRetentionDays > 90) {
    errors.push(`input artifact-retention-days must be an integer from 1 to 90, got "${retentionRaw}"`);
  }
  const comment = bool(get, "comment", true, errors);
  const labels = bool(get, "labels", true, errors);
  const githubToken = get("github-token").trim();
  if ((comment || labels) && pullRequest && !githubToken) {
    errors.push(
      "input github-token is required to comment on the pull request (pass `github.token` from the workflow)",
    );
  }
  const extraLabels = lines(get("extra-labels"));
  for (const label of extraLabels) {
    if (label.startsWith("allow-destroy:") && label !== `allow-destroy:${environment}`) {
      errors.push(`input extra-labels: "${label}" does not match environment ${environment}`);
    }
  }
  const inputs: Inputs = {
    environment,
    workingDirectory: get("working-directory").trim() || "terraform",
    terraformBinary: get("terraform-binary").trim() || "tofu",
    varFile: get("var-file").trim() || `environments/${environment}.tfvars`,
    varFiles: get("var-files")
      .split("\n")
      .map((s) => s.trim())
      .filter(Boolean),
    lock: bool(get, "lock", true, errors),
    backendConfig: get("backend-config").trim() || `environments/${environment}.backend.hcl`,
    init: bool(get, "init", true, errors),
    policyDir: get("policy-dir").trim(),
    opaBinary: get("opa-binary").trim() || "opa",
    failOnPolicy: bool(get, "fail-on-policy", true, errors),
    githubToken,
    pullRequest,
    comment,
    labels,
    uploadArtifact: bool(get, "upload-artifact", true, errors),
    artifactName: get("artifact-name").trim() || `terraform-plan-${environment}`,
    artifactRetentionDays,
    maskPatterns,
    extraLabels,
    commentAuthor: get("comment-author").trim(),
  };
  if (errors.length) throw new Error(`invalid inputs:\n- ${errors.join("\n- ")}`);
  return inputs;
}
