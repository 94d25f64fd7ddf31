/**
 * terraform-apply: applies only the plan that was reviewed. Recomputes the plan file's SHA-256 and compares it
 * with the reviewed one (the plan comment's marker, or the plan job's output), refuses a plan made on an
 * outdated base, requires the environment's protection rules, then applies and reports to the pull request
 * and Slack.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as core from "@actions/core";
import { context, getOctokit } from "@actions/github";
import { findPlanComment, type Octokit, type Repo } from "../../terraform-plan/src/github";
import { type PlanMeta, parseMeta } from "../../terraform-plan/src/marker";
import { initArgs, runCommand, sha256File } from "../../terraform-plan/src/terraform";
import { type Inputs, readInputs } from "./inputs";
import { type ApplyResult, applyMarker, postSlack, renderApplyComment } from "./report";
import {
  checkCommit,
  checkEnvironment,
  checkHash,
  checkProtection,
  checkPullRequestFreshness,
  type ProtectionRule,
  Refusal,
} from "./verify";

function status(error: unknown): number | undefined {
  return typeof error === "object" && error && "status" in error
    ? Number((error as { status: unknown }).status)
    : undefined;
}

async function environmentRules(
  octokit: Octokit,
  repo: Repo,
  name: string,
): Promise<ProtectionRule[] | undefined> {
  try {
    const { data } = await octokit.rest.repos.getEnvironment({ ...repo, environment_name: name });
    return (data.protection_rules ?? []) as ProtectionRule[];
  } catch (error) {
    if (status(error) === 404) return undefined;
    throw error;
  }
}

/** Finds the reviewed plan's metadata: the meta file, else the pull request's plan comment. */
async function reviewedMeta(
  inputs: Inputs,
  octokit: Octokit,
  repo: Repo,
): Promise<{ meta?: PlanMeta; source: string }> {
  if (inputs.metaFile) {
    return { meta: JSON.parse(await readFile(inputs.metaFile, "utf8")) as PlanMeta, source: inputs.metaFile };
  }
  if (inputs.pullRequest) {
    const comment = await findPlanComment(
      octokit,
      repo,
      inputs.pullRequest,
      inputs.environment,
      inputs.commentAuthor,
    );
    const meta = comment?.body ? parseMeta(comment.body) : undefined;
    return { ...(meta ? { meta } : {}), source: `plan comment on #${inputs.pullRequest}` };
  }
  return { source: "no meta file or pull request" };
}

async function report(
  inputs: Inputs,
  octokit: Octokit | undefined,
  repo: Repo,
  result: ApplyResult,
): Promise<void> {
  const body = renderApplyComment(result);
  await core.summary.addRaw(body).write();
  if (octokit && inputs.pullRequest) {
    const existing = (
      (await octokit.paginate(octokit.rest.issues.listComments, {
        ...repo,
        issue_number: inputs.pullRequest,
        per_page: 100,
      })) as { id: number; body?: string; user: { login: string } | null }[]
    ).find(
      (c) => c.body?.startsWith(applyMarker(inputs.environment)) && c.user?.login === inputs.commentAuthor,
    );
    if (existing) await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
    else await octokit.rest.issues.createComment({ ...repo, issue_number: inputs.pullRequest, body });
  }
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
    const prNumber = context.payload.pull_request?.number;
    const inputs = readInputs(
      (name) => core.getInput(name),
      typeof prNumber === "number" ? prNumber : undefined,
    );
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
      sha256 = await sha256File(inputs.planFile);
      const { meta, source } = await reviewedMeta(inputs, octokit, repo);
      const reviewed = inputs.expectedSha256 || meta?.sha256;
      checkHash(sha256, reviewed, inputs.expectedSha256 ? "input expected-sha256" : source);
      if (meta && inputs.expectedSha256) checkHash(sha256, meta.sha256, source);
      if (meta) checkEnvironment(meta, inputs.environment);
      if (inputs.baseCheck !== "off") {
        if (!meta)
          throw new Refusal("plan-not-found", `no plan metadata to check the base against (${source})`);
        if (inputs.baseCheck === "pull-request") {
          const { data: pr } = await octokit.rest.pulls.get({ ...repo, pull_number: inputs.pullRequest! });
          let aheadBy = 0;
          if (meta.baseSha) {
            const { data: cmp } = await octokit.rest.repos.compareCommitsWithBasehead({
              ...repo,
              basehead: `${meta.baseSha}...${pr.base.ref}`,
            });
            aheadBy = cmp.ahead_by;
          }
          checkPullRequestFreshness(meta, {
            headSha: pr.head.sha,
            baseRef: pr.base.ref,
            baseAheadBy: aheadBy,
          });
        } else {
          checkCommit(meta, context.sha);
        }
      }
      checkProtection(
        inputs.environment,
        await environmentRules(octokit, repo, inputs.environment),
        inputs.requireReviewers,
      );
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      core.setOutput("result", "refused");
      core.setOutput("reason", error.reason);
      await report(inputs, octokit, repo, {
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
    const log = (line: string) => core.info(line);
    const backend = existsSync(join(cwd, inputs.backendConfig)) ? inputs.backendConfig : undefined;
    const init = await core.group(`${tf} init`, () => runCommand(tf, initArgs(backend), cwd, log));
    if (init.code !== 0) throw new Error(`${tf} init failed (exit ${init.code})`);
    const lines: string[] = [];
    const apply = await core.group(`${tf} apply (${inputs.environment})`, () =>
      runCommand(
        tf,
        ["apply", "-input=false", "-no-color", "-lock-timeout=5m", resolve(inputs.planFile)],
        cwd,
        (line) => {
          lines.push(line);
          log(line);
        },
      ),
    );
    const tail = lines.slice(-15).join("\n");
    const ok = apply.code === 0;
    core.setOutput("result", ok ? "applied" : "failed");
    await report(inputs, octokit, repo, {
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
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
