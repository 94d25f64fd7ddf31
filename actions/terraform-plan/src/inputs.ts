/**
 * The inputs of terraform-plan, declared once (action.yml's names, required flags and defaults are checked
 * against this table by test/action-yml.test.ts) and read by @shopstream/action-kit's reader.
 */
import {
  actionInput,
  bool,
  environmentName,
  type InputGetter,
  type InputValues,
  input,
  integer,
  lines,
  list,
  optionalPositiveInteger,
  readInputs as readTable,
  regexps,
  text,
} from "@shopstream/action-kit";
import { ALLOW_DESTROY_LABEL_PREFIX } from "./defaults";

export const INPUTS = {
  environment: input({ parse: environmentName, required: true }),
  "working-directory": input({ parse: text, default: "terraform" }),
  "terraform-binary": input({ parse: text, default: "tofu" }),
  /** Empty: environments/<env>.tfvars, if present. */
  "var-file": input({ parse: text }),
  /** Extra var files passed after var-file (later ones win), e.g. dataflow-template's tfvars-file. */
  "var-files": input({ parse: lines }),
  /** false: plan without taking the state lock (read-only plan identities cannot write the lock object). */
  lock: input({ parse: bool, default: "true" }),
  /** Empty: environments/<env>.backend.hcl, if present. */
  "backend-config": input({ parse: text }),
  init: input({ parse: bool, default: "true" }),
  /** Empty skips the policies. */
  "policy-dir": input({ parse: text, default: "policies/terraform", keepEmpty: true }),
  "opa-binary": input({ parse: text, default: "opa" }),
  "fail-on-policy": input({ parse: bool, default: "true" }),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the runner's expression, as action.yml writes it
  "github-token": input({ parse: text, default: "${{ github.token }}", keepEmpty: true, secret: true }),
  /** Empty: the triggering pull request, if any. */
  "pull-request": input({ parse: optionalPositiveInteger("a pull-request number") }),
  comment: input({ parse: bool, default: "true" }),
  labels: input({ parse: bool, default: "true" }),
  "upload-artifact": input({ parse: bool, default: "true" }),
  /** Empty: terraform-plan-<env>. */
  "artifact-name": input({ parse: text }),
  "artifact-retention-days": input({ parse: integer(1, 90), default: "14" }),
  "mask-patterns": input({ parse: regexps }),
  "extra-labels": input({ parse: list }),
  /** Empty: a plan comment by anyone is updated. */
  "comment-author": input({ parse: text, default: "github-actions[bot]", keepEmpty: true }),
};

/** The validated inputs, with the defaults that depend on the environment and the event filled in. */
export interface Inputs extends InputValues<typeof INPUTS> {
  pullRequest: number | undefined;
}

/**
 * Reads and validates every input; throws one error listing every problem.
 * @param defaultPullRequest the pull request of the triggering event, if any
 */
export function readInputs(get: InputGetter = actionInput, defaultPullRequest?: number): Inputs {
  const values = readTable(INPUTS, get, (v) => {
    const problems: string[] = [];
    const pullRequest = v.pullRequest ?? defaultPullRequest;
    if ((v.comment || v.labels) && pullRequest && !v.githubToken)
      problems.push(
        "github-token is required to comment on the pull request (pass `github.token` from the workflow)",
      );
    for (const label of v.environment ? v.extraLabels : [])
      if (
        label.startsWith(ALLOW_DESTROY_LABEL_PREFIX) &&
        label !== `${ALLOW_DESTROY_LABEL_PREFIX}${v.environment}`
      )
        problems.push(`extra-labels: "${label}" does not match environment ${v.environment}`);
    return problems;
  });
  const env = values.environment;
  return {
    ...values,
    varFile: values.varFile || `environments/${env}.tfvars`,
    backendConfig: values.backendConfig || `environments/${env}.backend.hcl`,
    artifactName: values.artifactName || `terraform-plan-${env}`,
    pullRequest: values.pullRequest ?? defaultPullRequest,
  };
}
