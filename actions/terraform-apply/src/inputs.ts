/**
 * The inputs of terraform-apply, declared once (action.yml's names, required flags and defaults are checked
 * against this table by test/action-yml.test.ts) and read by @shopstream/action-kit's reader.
 */
import {
  bool,
  environmentName,
  type InputGetter,
  type InputValues,
  input,
  matching,
  oneOf,
  readInputs as readTable,
  regexps,
  removedInput,
  text,
} from "@shopstream/action-kit";

const REVIEWED_HASH =
  "the plan job's plan-sha256 output (64 hex characters); the reviewed hash is never read from a pull-request comment, which any workflow of the repository could write";

export const INPUTS = {
  environment: input({ parse: environmentName, required: true }),
  "plan-file": input({
    parse: text,
    required: "is required: the downloaded <env>.tfplan of the plan artifact",
  }),
  "expected-sha256": input({
    parse: (raw) => matching(/^[0-9a-f]{64}$/, REVIEWED_HASH)(raw.toLowerCase()),
    required: `is required: ${REVIEWED_HASH}`,
  }),
  "meta-file": input({ parse: text, required: "is required: meta.json of the plan artifact" }),
  "base-check": input({ parse: oneOf("commit", "off"), default: "commit" }),
  "require-reviewers": input({ parse: bool, default: "true" }),
  "deploy-branch": input({ parse: text, default: "main" }),
  "working-directory": input({ parse: text, default: "terraform" }),
  "terraform-binary": input({ parse: text, default: "tofu" }),
  /** Empty: environments/<env>.backend.hcl. */
  "backend-config": input({ parse: text }),
  /** The environment's tfvars (where state_encryption_key is read). Empty: environments/<env>.tfvars. */
  "var-file": input({ parse: text }),
  "github-token": input({
    parse: text,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the runner's expression, as action.yml writes it
    default: "${{ github.token }}",
    required: "is required (pass `github.token`; it needs actions: read to read the environment)",
    secret: true,
  }),
  "mask-patterns": input({ parse: regexps }),
  "slack-token": input({ parse: text, secret: true }),
  "slack-channel": input({ parse: text }),
  "pull-request": removedInput(
    "applying from a pull request's plan comment is not supported (that comment can be forged by any workflow that runs as github-actions[bot]); promote with .github/workflows/promote.yml",
  ),
};

/** The validated inputs, with the defaults that depend on the environment filled in. */
export type Inputs = Omit<InputValues<typeof INPUTS>, "pullRequest">;

/** Reads and validates every input; throws one error listing every problem. */
export function readInputs(get?: InputGetter): Inputs {
  const values = readTable(INPUTS, get, (v) =>
    v.slackToken && !v.slackChannel ? ["slack-channel is required with slack-token"] : [],
  );
  const env = values.environment;
  return {
    ...values,
    backendConfig: values.backendConfig || `environments/${env}.backend.hcl`,
    varFile: values.varFile || `environments/${env}.tfvars`,
  };
}
