/**
 * terraform-plan: plans one environment, evaluates the policies, uploads the hashed binary plan, and posts
 * one pull-request comment per environment (updated in place), labels and the job summary.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as core from "@actions/core";
import { context, getOctokit } from "@actions/github";
import { explain } from "../../../tools/build-actions/src/entry";
import { type ArtifactUploader, artifactUrl, defaultUploader } from "./artifact";
import { ALLOW_DESTROY_LABEL_PREFIX, COMMENT_BUDGET, STATEFUL_TYPES, SUMMARY_BUDGET } from "./defaults";
import { renderDiff } from "./diff";
import { getPullRequest, type Octokit, type Repo, syncLabels, upsertPlanComment } from "./github";
import { type Inputs, readInputs } from "./inputs";
import { labelFamily, wantedLabels } from "./labels";
import { markerLine, type PlanMeta } from "./marker";
import { maskedLogger, maskText, sensitiveValues } from "./mask";
import { parsePlanJson, summarize } from "./plan";
import { evaluatePolicies, type PolicyResult } from "./policy";
import { renderComment } from "./render";
import { encryptionEnv, initArgs, planArgs, runCommand, sha256File } from "./terraform";

/** Collaborators that tests replace. */
export interface Dependencies {
  uploader?: ArtifactUploader;
}

function pullRequestOfEvent(): number | undefined {
  const n = context.payload.pull_request?.number;
  return typeof n === "number" ? n : undefined;
}

async function planError(
  inputs: Inputs,
  octokit: Octokit | undefined,
  repo: Repo,
  stderr: string,
): Promise<void> {
  const tail = maskText(stderr.split("\n").slice(-60).join("\n"), inputs.maskPatterns).replace(/```/g, "ˋˋˋ");
  const body = [
    markerLine(inputs.environment),
    `### 💥 Terraform plan · \`${inputs.environment}\` · failed`,
    "",
    "```",
    tail,
    "```",
    "",
    `<sub>[run](${context.serverUrl}/${repo.owner}/${repo.repo}/actions/runs/${context.runId})</sub>`,
  ].join("\n");
  await core.summary.addRaw(body).write();
  if (octokit && inputs.pullRequest) {
    if (inputs.comment) {
      await upsertPlanComment(
        octokit,
        repo,
        inputs.pullRequest,
        inputs.environment,
        body,
        inputs.commentAuthor || undefined,
      );
    }
    if (inputs.labels) {
      await syncLabels(
        octokit,
        repo,
        inputs.pullRequest,
        labelFamily(inputs.environment),
        wantedLabels(inputs.environment, undefined),
      );
    }
  }
}

/** Entry point of the action. */
export async function run(deps: Dependencies = {}): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name), pullRequestOfEvent());
    if (inputs.githubToken) core.setSecret(inputs.githubToken);
    const repo: Repo = context.repo;
    const octokit = inputs.githubToken
      ? getOctokit(inputs.githubToken, { baseUrl: process.env.GITHUB_API_URL || "https://api.github.com" })
      : undefined;
    const cwd = resolve(inputs.workingDirectory);
    if (!existsSync(cwd)) throw new Error(`working-directory ${inputs.workingDirectory} does not exist`);
    const outDir = join(process.env.RUNNER_TEMP || cwd, `terraform-plan-${inputs.environment}`);
    await mkdir(outDir, { recursive: true });
    const planFile = join(outDir, `${inputs.environment}.tfplan`);
    const planJsonFile = join(outDir, `${inputs.environment}.plan.json`);
    const tf = inputs.terraformBinary;
    // Every line this action logs is masked; the plan's own text output is not logged at all (below).
    const log = maskedLogger((line) => core.info(line), inputs.maskPatterns);
    const varFile = existsSync(join(cwd, inputs.varFile)) ? inputs.varFile : undefined;
    for (const extra of inputs.varFiles) {
      if (!existsSync(resolve(cwd, extra)))
        throw new Error(`var-files: ${extra} does not exist (relative paths are taken from ${cwd})`);
    }
    const varFiles = [...(varFile ? [varFile] : []), ...inputs.varFiles.map((f) => resolve(cwd, f))];
    const backend = existsSync(join(cwd, inputs.backendConfig)) ? inputs.backendConfig : undefined;
    // State and plan encryption needs its key at init, plan and show (terraform/encryption.tofu).
    const tfEnv = encryptionEnv(varFile ? await readFile(join(cwd, varFile), "utf8") : undefined);

    if (inputs.init) {
      const init = await core.group(`${tf} init`, () =>
        runCommand(tf, initArgs(backend), cwd, log, undefined, tfEnv),
      );
      if (init.code !== 0) {
        await planError(inputs, octokit, repo, init.stderr);
        throw new Error(`${tf} init failed (exit ${init.code}); see the log above`);
      }
    }
    // The plan's text output prints every non-sensitive value in clear (a URI in a plain string, a value a
    // provider does not mark): it goes to a file that is never uploaded, not to the log. The masked diff is
    // in the job summary and the comment.
    const planLog = join(outDir, `${inputs.environment}.plan.log`);
    const plan = await core.group(`${tf} plan (${inputs.environment})`, async () => {
      log(`var files, later ones win: ${varFiles.join(", ") || "(none)"}`);
      const result = await runCommand(
        tf,
        planArgs(planFile, varFiles, inputs.lock),
        cwd,
        log,
        planLog,
        tfEnv,
      );
      log(`plan output kept off the log (${planLog}); the masked diff is in the job summary`);
      return result;
    });
    if (plan.code === 1 || !existsSync(planFile)) {
      await planError(inputs, octokit, repo, plan.stderr);
      throw new Error(`${tf} plan failed (exit ${plan.code}); see the log and the pull-request comment`);
    }
    const show = await runCommand(
      tf,
      ["show", "-json", "-no-color", planFile],
      cwd,
      log,
      planJsonFile,
      tfEnv,
    );
    if (show.code !== 0)
      throw new Error(`${tf} show -json failed (exit ${show.code}): ${show.stderr.slice(-2000)}`);
    const sha256 = await sha256File(planFile);
    const planJson = parsePlanJson(await readFile(planJsonFile, "utf8"));
    // From here on the runner masks every sensitive value wherever it appears (errors, later steps).
    for (const value of sensitiveValues(planJson)) core.setSecret(value);
    const summary = summarize(planJson, STATEFUL_TYPES);

    const pr =
      octokit && inputs.pullRequest ? await getPullRequest(octokit, repo, inputs.pullRequest) : undefined;
    const labels = [...(pr?.labels ?? []), ...inputs.extraLabels];
    const destroyAllowed = labels.includes(`${ALLOW_DESTROY_LABEL_PREFIX}${inputs.environment}`);
    let policy: PolicyResult = { status: "skipped", verdicts: [] };
    if (inputs.policyDir) {
      policy = await core.group("policies (OPA)", () =>
        evaluatePolicies(inputs.opaBinary, resolve(inputs.policyDir), planJsonFile, {
          environment: inputs.environment,
          labels,
        }),
      );
    }

    const meta: PlanMeta = {
      environment: inputs.environment,
      sha256,
      commit: pr?.headSha ?? context.sha,
      ...(pr ? { baseRef: pr.baseRef, baseSha: pr.baseSha } : {}),
      runId: context.runId,
      artifactName: inputs.artifactName,
      createdAt: new Date().toISOString(),
    };
    const diffOptions = { maskPatterns: inputs.maskPatterns };
    // The artifact carries the masked diff, never the plan JSON (it holds sensitive values in clear).
    await writeFile(join(outDir, "diff.txt"), renderDiff(summary.changes, diffOptions));
    let artifactLink: string | undefined;
    if (inputs.uploadArtifact) {
      await writeFile(join(outDir, "meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
      const uploader = deps.uploader ?? (await defaultUploader());
      const { id } = await uploader.upload(
        inputs.artifactName,
        [planFile, join(outDir, "diff.txt"), join(outDir, "meta.json")],
        outDir,
        inputs.artifactRetentionDays,
      );
      if (id !== undefined) {
        meta.artifactId = id;
        artifactLink = artifactUrl(context.serverUrl, repo.owner, repo.repo, context.runId, id);
        core.setOutput("artifact-id", String(id));
      }
    }
    const runUrl = `${context.serverUrl}/${repo.owner}/${repo.repo}/actions/runs/${context.runId}`;
    const common = {
      environment: inputs.environment,
      summary,
      policy,
      meta,
      runUrl,
      destroyAllowed,
      diff: diffOptions,
      ...(artifactLink ? { artifactUrl: artifactLink } : {}),
    };
    const comment = renderComment({ ...common, budget: COMMENT_BUDGET });
    const jobSummary = renderComment({ ...common, budget: SUMMARY_BUDGET });
    await core.summary.addRaw(jobSummary.body).write();
    if (comment.truncated)
      core.notice(`plan comment truncated: ${comment.diffShown}/${comment.diffTotal} resource diffs shown`);

    if (octokit && inputs.pullRequest) {
      if (inputs.comment) {
        const c = await upsertPlanComment(
          octokit,
          repo,
          inputs.pullRequest,
          inputs.environment,
          comment.body,
          inputs.commentAuthor || undefined,
        );
        core.setOutput("comment-url", c.url);
        core.info(`${c.created ? "created" : "updated"} plan comment ${c.url}`);
      }
      if (inputs.labels) {
        const wanted = wantedLabels(inputs.environment, summary, policy);
        await syncLabels(octokit, repo, inputs.pullRequest, labelFamily(inputs.environment), wanted);
      }
    }

    core.setOutput("plan-file", planFile);
    core.setOutput("plan-json-file", planJsonFile);
    core.setOutput("plan-sha256", sha256);
    core.setOutput("has-changes", String(summary.hasChanges));
    core.setOutput("counts", JSON.stringify(summary.counts));
    core.setOutput("stateful-losses", String(summary.statefulLosses.length));
    core.setOutput("policy-status", policy.status);
    core.setOutput("meta", JSON.stringify(meta));

    if (policy.status === "fail" && inputs.failOnPolicy) {
      const denied = policy.verdicts.filter((v) => v.severity === "deny");
      throw new Error(
        `policy check failed: ${denied.length} denied (${[...new Set(denied.map((v) => v.policy))].join(", ")}); see the comment or job summary`,
      );
    }
  } catch (error) {
    core.setFailed(explain(error));
  }
}
