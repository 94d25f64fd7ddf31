/**
 * terraform-apply: applies only the plan that was reviewed. Recomputes the plan file's SHA-256 and compares it
 * with the reviewed one (the plan job's output and the plan artifact's meta.json), checks that the plan was
 * made from this run's commit, for this environment, and that the GitHub environment really gates the deploy
 * identity (branch policy, reviewers, no self-review, no admin bypass), then applies and reports to the job
 * summary and Slack. Nothing is read from pull-request comments: any workflow of the repository can write one
 * as github-actions[bot].
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as core from "@actions/core";
import { context, getOctokit } from "@actions/github";
import {
  checkProtection,
  checkRef,
  encryptionEnv,
  environmentSettings,
  failureBoundary,
  initArgs,
  maskedLogger,
  type Octokit,
  octokitOptions,
  type PlanJson,
  type PlanMeta,
  parsePlanJson,
  Refusal,
  type Repo,
  runCommand,
  runUrl,
  STATEFUL_TYPES,
  sensitiveValues,
  sha256File,
  summarize,
  verifyProtectedApproval,
  writeSummary,
} from "@shopstream/action-kit";
import { type Inputs, readInputs } from "./inputs";
import { type ApplyResult, postSlack, renderApplyComment } from "./report";
import { checkCommit, checkEnvironment, checkHash } from "./verify";

/** The environment whose approval a plan that destroys or replaces a data store needs (promote.yml). */
export function destroyEnvironment(environment: string): string {
  return `${environment}-destroy`;
}

async function report(inputs: Inputs, result: ApplyResult): Promise<void> {
  await writeSummary(renderApplyComment(result));
  if (inputs.slackToken) {
    try {
      await postSlack(inputs.slackToken, inputs.slackChannel, result, process.env.SLACK_API_URL || undefined);
    } catch (error) {
      core.warning(`Slack notification failed: ${(error as Error).message}`);
    }
  }
}

/** What every phase reads: the inputs, the GitHub client, and what every report says. */
interface Run {
  inputs: Inputs;
  repo: Repo;
  octokit: Octokit;
  base: Pick<ApplyResult, "environment" | "commit" | "runUrl">;
}

/** The Terraform side of the run: where, with which binary, logging what, with which environment. */
interface Terraform {
  tf: string;
  cwd: string;
  log: (line: string) => void;
  /** TF_VAR_state_encryption_key: init, show and apply PLANFILE need it (apply refuses -var-file). */
  tfEnv: Record<string, string>;
}

/**
 * Runs `body`; a Refusal it throws is reported (summary, Slack, outputs `result`, `reason`) before it fails
 * the action. Other errors fail as they are.
 */
async function refusing<T>(r: Run, body: () => Promise<T>, sha256?: () => string | undefined): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    core.setOutput("result", "refused");
    core.setOutput("reason", error.reason);
    const hash = sha256?.();
    const refused = { status: "refused", reason: error.reason, message: error.message } as const;
    await report(r.inputs, { ...r.base, ...refused, ...(hash ? { sha256: hash } : {}) });
    throw error;
  }
}

/**
 * Phase 1, the gate: the plan file is the reviewed one (its SHA-256 equals the plan job's output and meta.json),
 * made for this environment from this commit, the run deploys from the deploy branch, and the GitHub
 * environment gates it. Returns the plan's SHA-256.
 */
async function gate(r: Run): Promise<string> {
  const { inputs } = r;
  let sha256: string | undefined;
  return refusing(
    r,
    async () => {
      if (!existsSync(inputs.planFile)) {
        throw new Refusal(
          "plan-not-found",
          `plan file ${inputs.planFile} does not exist; download the plan artifact first`,
        );
      }
      if (!existsSync(inputs.metaFile)) {
        throw new Refusal("plan-not-found", `meta file ${inputs.metaFile} does not exist (plan artifact)`);
      }
      sha256 = await sha256File(inputs.planFile);
      const meta = JSON.parse(await readFile(inputs.metaFile, "utf8")) as PlanMeta;
      checkHash(sha256, inputs.expectedSha256, "input expected-sha256");
      checkHash(sha256, meta.sha256, inputs.metaFile);
      checkEnvironment(meta, inputs.environment);
      if (inputs.baseCheck === "commit") checkCommit(meta, context.sha);
      checkRef(process.env.GITHUB_REF ?? "", inputs.deployBranch);
      const { settings, branchPolicies } = await environmentSettings(r.octokit, r.repo, inputs.environment);
      const { environment, requireReviewers, deployBranch } = inputs;
      checkProtection(environment, settings, requireReviewers, deployBranch, branchPolicies);
      return sha256;
    },
    () => sha256,
  );
}

/**
 * Phase 2: init, then show -json of the plan, whose sensitive values are registered before anything of the
 * apply is logged. Returns the Terraform settings and the plan.
 */
async function showPlan({ inputs }: Run): Promise<{ t: Terraform; plan: PlanJson }> {
  const cwd = resolve(inputs.workingDirectory);
  const varFile = join(cwd, inputs.varFile);
  const t: Terraform = {
    tf: inputs.terraformBinary,
    cwd,
    log: maskedLogger((line) => core.info(line), inputs.maskPatterns),
    tfEnv: encryptionEnv(existsSync(varFile) ? await readFile(varFile, "utf8") : undefined),
  };
  const backend = existsSync(join(cwd, inputs.backendConfig)) ? inputs.backendConfig : undefined;
  const init = await core.group(`${t.tf} init`, () =>
    runCommand(t.tf, initArgs(backend), cwd, t.log, undefined, t.tfEnv),
  );
  if (init.code !== 0) throw new Error(`${t.tf} init failed (exit ${init.code}); see the log above`);
  const planJson = join(process.env.RUNNER_TEMP || cwd, `terraform-apply-${inputs.environment}.plan.json`);
  const showArgs = ["show", "-json", "-no-color", resolve(inputs.planFile)];
  const show = await runCommand(t.tf, showArgs, cwd, t.log, planJson, t.tfEnv);
  if (show.code !== 0)
    throw new Error(`${t.tf} show -json of the plan failed (exit ${show.code}); see the log`);
  const plan = parsePlanJson(await readFile(planJson, "utf8"));
  for (const value of sensitiveValues(plan)) core.setSecret(value);
  return { t, plan };
}

/**
 * Phase 3: a plan that loses data needs the approval of <env>-destroy (promote.yml's approve-destroy job);
 * GitHub creates that environment unprotected when a fork never made it, so its protection and this run's
 * approval are checked here, on the reviewed plan itself.
 */
async function approveDataLoss(r: Run, plan: PlanJson, sha256: string): Promise<void> {
  const losses = summarize(plan, STATEFUL_TYPES).statefulLosses;
  if (losses.length === 0) return;
  const destroy = destroyEnvironment(r.inputs.environment);
  const approvers = await refusing(
    r,
    () =>
      verifyProtectedApproval(
        { octokit: r.octokit, repo: r.repo, runId: context.runId, deployBranch: r.inputs.deployBranch },
        destroy,
        `the promote workflow's approve-destroy job; the plan destroys or replaces ${losses.map((c) => c.address).join(", ")}`,
      ),
    () => sha256,
  );
  core.info(`${losses.length} data store(s) will be lost; approved in ${destroy} by ${approvers.join(", ")}`);
}

/** Phase 4: applies the plan file and reports the result with the end of the (masked) apply output. */
async function apply(r: Run, t: Terraform, sha256: string): Promise<void> {
  const { inputs } = r;
  const lines: string[] = [];
  const log = maskedLogger((line) => {
    lines.push(line);
    core.info(line);
  }, inputs.maskPatterns);
  const args = ["apply", "-input=false", "-no-color", "-lock-timeout=5m", resolve(inputs.planFile)];
  const result = await core.group(`${t.tf} apply (${inputs.environment})`, () =>
    runCommand(t.tf, args, t.cwd, log, undefined, t.tfEnv),
  );
  const ok = result.code === 0;
  core.setOutput("result", ok ? "applied" : "failed");
  await report(inputs, {
    ...r.base,
    status: ok ? "applied" : "failed",
    ...(ok ? {} : { reason: "apply-failed" }),
    message: ok
      ? "The reviewed plan was applied."
      : `${t.tf} apply exited with ${result.code}; state may be partly updated.`,
    sha256,
    tail: lines.slice(-15).join("\n"),
  });
  if (!ok) throw new Error(`${t.tf} apply failed (exit ${result.code}); see the log`);
}

/** Entry point of the action: the phases in order, failures reported as one error line. */
export const run = failureBoundary(async (): Promise<void> => {
  const inputs = readInputs();
  const r: Run = {
    inputs,
    repo: context.repo,
    octokit: getOctokit(inputs.githubToken, octokitOptions()),
    base: { environment: inputs.environment, commit: context.sha, runUrl: runUrl(context) },
  };
  const sha256 = await gate(r);
  const { t, plan } = await showPlan(r);
  await approveDataLoss(r, plan, sha256);
  await apply(r, t, sha256);
});
