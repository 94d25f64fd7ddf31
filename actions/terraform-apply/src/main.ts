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
  octokitOptions,
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

/** Entry point of the action. */
export const run = failureBoundary(async (): Promise<void> => {
  const inputs = readInputs();
  const repo: Repo = context.repo;
  const octokit = getOctokit(inputs.githubToken, octokitOptions());
  const base = { environment: inputs.environment, commit: context.sha, runUrl: runUrl(context) };

  let sha256: string | undefined;
  /** Reports a Refusal (summary, Slack, outputs) before failing; other errors fail as they are. */
  const refuse = async (error: unknown): Promise<never> => {
    if (!(error instanceof Refusal)) throw error;
    core.setOutput("result", "refused");
    core.setOutput("reason", error.reason);
    await report(inputs, {
      ...base,
      status: "refused",
      reason: error.reason,
      message: error.message,
      ...(sha256 ? { sha256 } : {}),
    });
    throw error;
  };
  try {
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
    const { settings, branchPolicies } = await environmentSettings(octokit, repo, inputs.environment);
    checkProtection(
      inputs.environment,
      settings,
      inputs.requireReviewers,
      inputs.deployBranch,
      branchPolicies,
    );
  } catch (error) {
    return await refuse(error);
  }

  const cwd = resolve(inputs.workingDirectory);
  const tf = inputs.terraformBinary;
  const log = maskedLogger((line) => core.info(line), inputs.maskPatterns);
  const backend = existsSync(join(cwd, inputs.backendConfig)) ? inputs.backendConfig : undefined;
  // State and plan encryption needs its key at init, show and apply PLANFILE (which refuses -var-file).
  const varFile = join(cwd, inputs.varFile);
  const tfEnv = encryptionEnv(existsSync(varFile) ? await readFile(varFile, "utf8") : undefined);
  const init = await core.group(`${tf} init`, () =>
    runCommand(tf, initArgs(backend), cwd, log, undefined, tfEnv),
  );
  if (init.code !== 0) throw new Error(`${tf} init failed (exit ${init.code}); see the log above`);
  // Register the plan's sensitive values before anything of the apply is logged.
  const planJson = join(process.env.RUNNER_TEMP || cwd, `terraform-apply-${inputs.environment}.plan.json`);
  const show = await runCommand(
    tf,
    ["show", "-json", "-no-color", resolve(inputs.planFile)],
    cwd,
    log,
    planJson,
    tfEnv,
  );
  if (show.code !== 0)
    throw new Error(`${tf} show -json of the plan failed (exit ${show.code}); see the log`);
  const plan = parsePlanJson(await readFile(planJson, "utf8"));
  for (const value of sensitiveValues(plan)) core.setSecret(value);
  // A plan that loses data needs the approval of <env>-destroy (promote.yml's approve-destroy job); GitHub
  // creates that environment unprotected when a fork never made it, so its protection and this run's
  // approval are checked here, on the reviewed plan itself.
  const losses = summarize(plan, STATEFUL_TYPES).statefulLosses;
  if (losses.length > 0) {
    const destroy = destroyEnvironment(inputs.environment);
    try {
      const approvers = await verifyProtectedApproval(
        { octokit, repo, runId: context.runId, deployBranch: inputs.deployBranch },
        destroy,
        `the promote workflow's approve-destroy job; the plan destroys or replaces ${losses.map((c) => c.address).join(", ")}`,
      );
      core.info(
        `${losses.length} data store(s) will be lost; approved in ${destroy} by ${approvers.join(", ")}`,
      );
    } catch (error) {
      return await refuse(error);
    }
  }
  const lines: string[] = [];
  const apply = await core.group(`${tf} apply (${inputs.environment})`, () =>
    runCommand(
      tf,
      ["apply", "-input=false", "-no-color", "-lock-timeout=5m", resolve(inputs.planFile)],
      cwd,
      maskedLogger((line) => {
        lines.push(line);
        core.info(line);
      }, inputs.maskPatterns),
      undefined,
      tfEnv,
    ),
  );
  const tail = lines.slice(-15).join("\n");
  const ok = apply.code === 0;
  core.setOutput("result", ok ? "applied" : "failed");
  await report(inputs, {
    ...base,
    status: ok ? "applied" : "failed",
    ...(ok ? {} : { reason: "apply-failed" }),
    message: ok
      ? "The reviewed plan was applied."
      : `${tf} apply exited with ${apply.code}; state may be partly updated.`,
    sha256,
    tail,
  });
  if (!ok) throw new Error(`${tf} apply failed (exit ${apply.code}); see the log`);
});
