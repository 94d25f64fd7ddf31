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
import { explain } from "../../../tools/build-actions/src/entry";
import type { Octokit, Repo } from "../../terraform-plan/src/github";
import type { PlanMeta } from "../../terraform-plan/src/marker";
import { maskedLogger, sensitiveValues } from "../../terraform-plan/src/mask";
import { parsePlanJson } from "../../terraform-plan/src/plan";
import { encryptionEnv, initArgs, runCommand, sha256File } from "../../terraform-plan/src/terraform";
import { type Inputs, readInputs } from "./inputs";
import { type ApplyResult, postSlack, renderApplyComment } from "./report";
import {
  type BranchPolicy,
  checkCommit,
  checkEnvironment,
  checkHash,
  checkProtection,
  checkRef,
  type EnvironmentSettings,
  Refusal,
} from "./verify";

function status(error: unknown): number | undefined {
  return typeof error === "object" && error && "status" in error
    ? Number((error as { status: unknown }).status)
    : undefined;
}

/** "Get an environment", plus its custom branch policies when it has them; undefined when it does not exist. */
export async function environmentSettings(
  octokit: Octokit,
  repo: Repo,
  name: string,
): Promise<{ settings?: EnvironmentSettings; branchPolicies: BranchPolicy[] }> {
  let settings: EnvironmentSettings;
  try {
    ({ data: settings } = (await octokit.rest.repos.getEnvironment({ ...repo, environment_name: name })) as {
      data: EnvironmentSettings;
    });
  } catch (error) {
    if (status(error) === 404) return { branchPolicies: [] };
    throw new Error(
      `cannot read the GitHub environment ${name} (GET /repos/${repo.owner}/${repo.repo}/environments/${name}): ${(error as Error).message}; the job needs permissions: actions: read, and GITHUB_API_URL must be reachable`,
    );
  }
  if (!settings.deployment_branch_policy?.custom_branch_policies) return { settings, branchPolicies: [] };
  // The paginate plugin unwraps `{ total_count, branch_policies }` into the concatenated array.
  const policies = (await octokit.paginate(
    "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies",
    { ...repo, environment_name: name, per_page: 100 },
  )) as BranchPolicy[];
  return { settings, branchPolicies: policies };
}

async function report(inputs: Inputs, result: ApplyResult): Promise<void> {
  await core.summary.addRaw(renderApplyComment(result)).write();
  if (inputs.slackToken) {
    try {
      await postSlack(inputs.slackToken, inputs.slackChannel, result, process.env.SLACK_API_URL || undefined);
    } catch (error) {
      core.warning(`Slack notification failed: ${(error as Error).message}`);
    }
  }
}

/** Entry point of the action. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name));
    core.setSecret(inputs.githubToken);
    if (inputs.slackToken) core.setSecret(inputs.slackToken);
    const repo: Repo = context.repo;
    const octokit = getOctokit(inputs.githubToken, {
      baseUrl: process.env.GITHUB_API_URL || "https://api.github.com",
    });
    const runUrl = `${context.serverUrl}/${repo.owner}/${repo.repo}/actions/runs/${context.runId}`;
    const base = { environment: inputs.environment, commit: context.sha, runUrl };

    let sha256: string | undefined;
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
    for (const value of sensitiveValues(parsePlanJson(await readFile(planJson, "utf8"))))
      core.setSecret(value);
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
  } catch (error) {
    core.setFailed(explain(error));
  }
}
