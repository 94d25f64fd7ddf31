/**
 * terraform-plan: plans one environment, evaluates the policies, uploads the hashed binary plan, and posts
 * one pull-request comment per environment (updated in place), labels and the job summary. `run` is the
 * sequence of the phases below; each takes what it needs and returns what the next one reads.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as core from "@actions/core";
import { context, getOctokit } from "@actions/github";
import {
  codeBlock,
  encryptionEnv,
  failureBoundary,
  getPullRequest,
  initArgs,
  markerLine,
  maskedLogger,
  maskText,
  type Octokit,
  octokitOptions,
  type PlanJson,
  type PlanMeta,
  type PlanSummary,
  type PullRequestInfo,
  parsePlanJson,
  planArgs,
  type Repo,
  runCommand,
  runUrl,
  STATEFUL_TYPES,
  sensitiveValues,
  sha256File,
  statusHeading,
  summarize,
  syncLabels,
  upsertPlanComment,
  writeSummary,
} from "@shopstream/action-kit";
import { type ArtifactUploader, artifactUrl, defaultUploader } from "./artifact";
import { ALLOW_DESTROY_LABEL_PREFIX, COMMENT_BUDGET, SUMMARY_BUDGET } from "./defaults";
import { renderDiff } from "./diff";
import { type Inputs, readInputs } from "./inputs";
import { labelFamily, wantedLabels } from "./labels";
import { evaluatePolicies, type PolicyResult } from "./policy";
import { renderComment } from "./render";

/** Collaborators that tests replace. */
export interface Dependencies {
  uploader?: ArtifactUploader;
}

/** Where the action reports: the repository, and the pull request when there is one and a token for it. */
interface Target {
  inputs: Inputs;
  repo: Repo;
  octokit: Octokit | undefined;
}

/** The files and settings of one environment's Terraform run. */
interface Workspace {
  cwd: string;
  outDir: string;
  planFile: string;
  planJsonFile: string;
  /** The plan's text output: kept off the log (it prints non-sensitive values in clear). */
  planLog: string;
  /** Var files in the order passed (later ones win). */
  varFiles: string[];
  backend: string | undefined;
  /** TF_VAR_state_encryption_key for init, plan and show (terraform/encryption.tofu). */
  tfEnv: Record<string, string>;
  /** Masks every line before it reaches the log. */
  log: (line: string) => void;
}

/** What the pull request and the policies say about the plan. */
interface Review {
  pr: PullRequestInfo | undefined;
  destroyAllowed: boolean;
  policy: PolicyResult;
}

function pullRequestOfEvent(): number | undefined {
  const n = context.payload.pull_request?.number;
  return typeof n === "number" ? n : undefined;
}

/** Phase 1: the inputs, and a GitHub client when there is a token. */
function target(): Target {
  const inputs = readInputs(undefined, pullRequestOfEvent());
  return {
    inputs,
    repo: context.repo,
    octokit: inputs.githubToken ? getOctokit(inputs.githubToken, octokitOptions()) : undefined,
  };
}

/** Phase 2: checks the working directory and var files, and names the files of the run. */
async function workspace({ inputs }: Target): Promise<Workspace> {
  const cwd = resolve(inputs.workingDirectory);
  if (!existsSync(cwd)) throw new Error(`working-directory ${inputs.workingDirectory} does not exist`);
  const outDir = join(process.env.RUNNER_TEMP || cwd, `terraform-plan-${inputs.environment}`);
  await mkdir(outDir, { recursive: true });
  const varFile = existsSync(join(cwd, inputs.varFile)) ? inputs.varFile : undefined;
  for (const extra of inputs.varFiles) {
    if (!existsSync(resolve(cwd, extra)))
      throw new Error(`var-files: ${extra} does not exist (relative paths are taken from ${cwd})`);
  }
  return {
    cwd,
    outDir,
    planFile: join(outDir, `${inputs.environment}.tfplan`),
    planJsonFile: join(outDir, `${inputs.environment}.plan.json`),
    planLog: join(outDir, `${inputs.environment}.plan.log`),
    varFiles: [...(varFile ? [varFile] : []), ...inputs.varFiles.map((f) => resolve(cwd, f))],
    backend: existsSync(join(cwd, inputs.backendConfig)) ? inputs.backendConfig : undefined,
    tfEnv: encryptionEnv(varFile ? await readFile(join(cwd, varFile), "utf8") : undefined),
    // Every line this action logs is masked; the plan's own text output is not logged at all.
    log: maskedLogger((line) => core.info(line), inputs.maskPatterns),
  };
}

/** Reports a failed init or plan: the masked end of its stderr in the summary, the comment and the labels. */
async function reportPlanError({ inputs, repo, octokit }: Target, stderr: string): Promise<void> {
  const tail = maskText(stderr.split("\n").slice(-60).join("\n"), inputs.maskPatterns);
  const body = [
    markerLine(inputs.environment),
    statusHeading("💥", "Terraform plan", inputs.environment, "failed"),
    "",
    codeBlock(tail),
    "",
    `<sub>[run](${runUrl(context)})</sub>`,
  ].join("\n");
  await writeSummary(body);
  if (!octokit || !inputs.pullRequest) return;
  if (inputs.comment) {
    const author = inputs.commentAuthor || undefined;
    await upsertPlanComment(octokit, repo, inputs.pullRequest, inputs.environment, body, author);
  }
  if (inputs.labels) {
    const family = labelFamily(inputs.environment);
    await syncLabels(octokit, repo, inputs.pullRequest, family, wantedLabels(inputs.environment, undefined));
  }
}

/**
 * Phase 3: init, plan (saved, its text output to a file that is never uploaded: the masked diff goes to the
 * summary and the comment), show -json. Registers every sensitive value of the plan before anything else is
 * logged. A failed init or plan is reported before the error is thrown.
 */
async function plan(t: Target, w: Workspace): Promise<{ sha256: string; planJson: PlanJson }> {
  const { inputs } = t;
  const tf = inputs.terraformBinary;
  if (inputs.init) {
    const init = await core.group(`${tf} init`, () =>
      runCommand(tf, initArgs(w.backend), w.cwd, w.log, undefined, w.tfEnv),
    );
    if (init.code !== 0) {
      await reportPlanError(t, init.stderr);
      throw new Error(`${tf} init failed (exit ${init.code}); see the log above`);
    }
  }
  const result = await core.group(`${tf} plan (${inputs.environment})`, async () => {
    w.log(`var files, later ones win: ${w.varFiles.join(", ") || "(none)"}`);
    const args = planArgs(w.planFile, w.varFiles, inputs.lock);
    const r = await runCommand(tf, args, w.cwd, w.log, w.planLog, w.tfEnv);
    w.log(`plan output kept off the log (${w.planLog}); the masked diff is in the job summary`);
    return r;
  });
  if (result.code === 1 || !existsSync(w.planFile)) {
    await reportPlanError(t, result.stderr);
    throw new Error(`${tf} plan failed (exit ${result.code}); see the log and the pull-request comment`);
  }
  const showArgs = ["show", "-json", "-no-color", w.planFile];
  const show = await runCommand(tf, showArgs, w.cwd, w.log, w.planJsonFile, w.tfEnv);
  if (show.code !== 0)
    throw new Error(`${tf} show -json failed (exit ${show.code}): ${show.stderr.slice(-2000)}`);
  const sha256 = await sha256File(w.planFile);
  const planJson = parsePlanJson(await readFile(w.planJsonFile, "utf8"));
  // From here on the runner masks every sensitive value wherever it appears (errors, later steps).
  for (const value of sensitiveValues(planJson)) core.setSecret(value);
  return { sha256, planJson };
}

/** Phase 4: the pull request's labels (and extra-labels) and the policies' verdicts on the plan. */
async function review({ inputs, repo, octokit }: Target, w: Workspace): Promise<Review> {
  const pr =
    octokit && inputs.pullRequest ? await getPullRequest(octokit, repo, inputs.pullRequest) : undefined;
  const labels = [...(pr?.labels ?? []), ...inputs.extraLabels];
  const destroyAllowed = labels.includes(`${ALLOW_DESTROY_LABEL_PREFIX}${inputs.environment}`);
  if (!inputs.policyDir) return { pr, destroyAllowed, policy: { status: "skipped", verdicts: [] } };
  const policy = await core.group("policies (OPA)", () =>
    evaluatePolicies(inputs.opaBinary, resolve(inputs.policyDir), w.planJsonFile, {
      environment: inputs.environment,
      labels,
    }),
  );
  return { pr, destroyAllowed, policy };
}

/**
 * Phase 5: the masked diff and meta.json beside the plan, uploaded as the plan artifact (never the plan JSON:
 * it holds sensitive values in clear). Returns the artifact's link when one was uploaded; sets meta.artifactId.
 */
async function uploadArtifact(
  { inputs, repo }: Target,
  w: Workspace,
  summary: PlanSummary,
  meta: PlanMeta,
  deps: Dependencies,
): Promise<string | undefined> {
  await writeFile(
    join(w.outDir, "diff.txt"),
    renderDiff(summary.changes, { maskPatterns: inputs.maskPatterns }),
  );
  if (!inputs.uploadArtifact) return undefined;
  await writeFile(join(w.outDir, "meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
  const uploader = deps.uploader ?? (await defaultUploader());
  const files = [w.planFile, join(w.outDir, "diff.txt"), join(w.outDir, "meta.json")];
  const { id } = await uploader.upload(inputs.artifactName, files, w.outDir, inputs.artifactRetentionDays);
  if (id === undefined) return undefined;
  meta.artifactId = id;
  core.setOutput("artifact-id", String(id));
  return artifactUrl(context.serverUrl, repo.owner, repo.repo, context.runId, id);
}

/** Phase 6: the job summary, the pull-request comment (created or updated in place) and the labels. */
async function publish(
  { inputs, repo, octokit }: Target,
  summary: PlanSummary,
  r: Review,
  meta: PlanMeta,
  artifactLink: string | undefined,
): Promise<void> {
  const common = {
    environment: inputs.environment,
    summary,
    policy: r.policy,
    meta,
    runUrl: runUrl(context),
    destroyAllowed: r.destroyAllowed,
    diff: { maskPatterns: inputs.maskPatterns },
    ...(artifactLink ? { artifactUrl: artifactLink } : {}),
  };
  const comment = renderComment({ ...common, budget: COMMENT_BUDGET });
  await writeSummary(renderComment({ ...common, budget: SUMMARY_BUDGET }).body);
  if (comment.truncated)
    core.notice(`plan comment truncated: ${comment.diffShown}/${comment.diffTotal} resource diffs shown`);
  if (!octokit || !inputs.pullRequest) return;
  if (inputs.comment) {
    const author = inputs.commentAuthor || undefined;
    const c = await upsertPlanComment(
      octokit,
      repo,
      inputs.pullRequest,
      inputs.environment,
      comment.body,
      author,
    );
    core.setOutput("comment-url", c.url);
    core.info(`${c.created ? "created" : "updated"} plan comment ${c.url}`);
  }
  if (inputs.labels) {
    const wanted = wantedLabels(inputs.environment, summary, r.policy);
    await syncLabels(octokit, repo, inputs.pullRequest, labelFamily(inputs.environment), wanted);
  }
}

/** Entry point of the action: the phases in order, failures reported as one error line. */
export const run = failureBoundary(async (deps: Dependencies = {}): Promise<void> => {
  const t = target();
  const w = await workspace(t);
  const { sha256, planJson } = await plan(t, w);
  const summary = summarize(planJson, STATEFUL_TYPES);
  const r = await review(t, w);
  const meta: PlanMeta = {
    environment: t.inputs.environment,
    sha256,
    commit: r.pr?.headSha ?? context.sha,
    ...(r.pr ? { baseRef: r.pr.baseRef, baseSha: r.pr.baseSha } : {}),
    runId: context.runId,
    artifactName: t.inputs.artifactName,
    createdAt: new Date().toISOString(),
  };
  const artifactLink = await uploadArtifact(t, w, summary, meta, deps);
  await publish(t, summary, r, meta, artifactLink);

  core.setOutput("plan-file", w.planFile);
  core.setOutput("plan-json-file", w.planJsonFile);
  core.setOutput("plan-sha256", sha256);
  core.setOutput("has-changes", String(summary.hasChanges));
  core.setOutput("counts", JSON.stringify(summary.counts));
  core.setOutput("stateful-losses", String(summary.statefulLosses.length));
  core.setOutput("policy-status", r.policy.status);
  core.setOutput("meta", JSON.stringify(meta));

  if (r.policy.status === "fail" && t.inputs.failOnPolicy) {
    const denied = r.policy.verdicts.filter((v) => v.severity === "deny");
    throw new Error(
      `policy check failed: ${denied.length} denied (${[...new Set(denied.map((v) => v.policy))].join(", ")}); see the comment or job summary`,
    );
  }
});
