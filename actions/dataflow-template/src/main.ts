/**
 * dataflow-template: builds and tests the UDF bundles, uploads each to GCS under its content hash (only when
 * absent), and emits the launch parameters Terraform consumes. In dry-run mode it only reports what would change.
 * Releases (ADR 0002), by `mode`:
 *   release  build the release once: bundles into the releases bucket, manifest, commit pointer
 *   resolve  which release a promotion carries (the source's, or the newest of main for dev -> dev)
 *   publish  with `release-id`: plan/apply exactly that release (its bundles copied by hash, its pins)
 *   record   after an apply: record the release as running in the environment (the state bucket's
 *            env/<env>/release/running.json, authoritative; a GitHub deployment, display only)
 *   verified after the post-deploy integration test passed: mark the environment's record verified
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as core from "@actions/core";
import { context, getOctokit } from "@actions/github";
import { Storage } from "@google-cloud/storage";
import { explain } from "../../../tools/build-actions/src/entry";
import { recordRelease, releaseToPromote } from "./deployments";
import { publishUdfs, tfvarsOf, type UdfResult } from "./publish";
import {
  buildRelease,
  checkTreeMatches,
  DATED_TEMPLATE_VERSION,
  type ReleaseManifest,
  releaseTfvars,
  shortId,
  treeDifferences,
} from "./release";
import {
  downloadReleaseUdfs,
  RELEASE_UDF_PREFIX,
  readRelease,
  releaseOfCommit,
  storeRelease,
} from "./release-store";
import {
  checkedRelease,
  type EnvironmentRelease,
  isAncestorOfMain,
  markVerified,
  readRecord,
  recordObject,
  recordRunning,
  stateBucketOf,
} from "./running-record";

/** Sets the outputs and writes the job summary. */
export async function report(
  results: UdfResult[],
  dryRun: boolean,
  tfvarsFile: string,
  release?: ReleaseManifest,
): Promise<void> {
  const udfs = Object.fromEntries(results.map((r) => [r.app, r]));
  const tfvars = { ...tfvarsOf(results, dryRun), ...(release ? releaseTfvars(release) : {}) };
  writeFileSync(tfvarsFile, `${JSON.stringify(tfvars, null, 2)}\n`);
  core.setOutput("udfs", JSON.stringify(udfs));
  core.setOutput("terraform-udfs", JSON.stringify(tfvars.udfs));
  core.setOutput("tfvars-file", tfvarsFile);
  core.setOutput("changed", String(results.some((r) => r.status !== "exists")));
  if (release) releaseOutputs(release);
  core.summary
    .addHeading(dryRun ? "Dataflow UDFs (dry run: nothing uploaded)" : "Dataflow UDFs", 3)
    .addTable([
      [
        { data: "app", header: true },
        { data: "UDF object", header: true },
        { data: "status", header: true },
        { data: "template", header: true },
      ],
      ...results.map((r) => [r.app, r.gcs_path, r.status, r.template_gcs_path]),
    ]);
  if (release) summarizeRelease(release);
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.write();
}

function releaseOutputs(release: ReleaseManifest): void {
  core.setOutput("release-id", release.id);
  core.setOutput("release-commit", release.provenance.commit);
  core.setOutput("release-summary", releaseLine(release));
}

/** One line naming a release and its pins, for the job summary and Slack. */
export function releaseLine(release: ReleaseManifest): string {
  const c = release.content;
  const udfs = Object.entries(c.udfs)
    .map(([app, u]) => `${app} ${u.sha256.slice(0, 12)}`)
    .join(", ");
  return `release ${shortId(release.id)} (commit ${release.provenance.commit.slice(0, 12)}; templates ${c.google_templates.version}; UDFs ${udfs}; SQL ${c.sql.sha256.slice(0, 12)}; contract ${c.contract.sha256.slice(0, 12)}; jobs image …@${c.jobs_image.split("@")[1]?.slice(0, 19)})`;
}

function summarizeRelease(release: ReleaseManifest): void {
  const c = release.content;
  core.summary.addHeading(`Release ${shortId(release.id)}`, 3).addTable([
    [
      { data: "part", header: true },
      { data: "pinned", header: true },
    ],
    ["release ID", release.id],
    ["commit", release.provenance.commit],
    ["Google templates", c.google_templates.version],
    ...Object.entries(c.udfs).map(([app, u]) => [`UDF ${app}`, u.sha256]),
    ["aggregate SQL", c.sql.sha256],
    ["contract schemas", c.contract.sha256],
    ["jobs image", c.jobs_image],
  ]);
}

function storageOf(read: (name: string) => string): Storage {
  const project = read("project").trim();
  const endpoint = read("storage-endpoint").trim();
  return new Storage({
    ...(project ? { projectId: project } : {}),
    ...(endpoint ? { apiEndpoint: endpoint } : {}),
    retryOptions: { autoRetry: true, maxRetries: 5 },
  });
}

function required(name: string, why: string): string {
  const value = core.getInput(name).trim();
  if (!value) throw new Error(`${name}: required ${why}`);
  return value;
}

const repo = () => context.repo;
const runUrl = () =>
  `${process.env.GITHUB_SERVER_URL ?? "https://github.com"}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`;
const tfvarsPath = () =>
  resolve(
    core.getInput("tfvars-file").trim() ||
      join(process.env.RUNNER_TEMP || process.cwd(), "dataflow-udfs.tfvars.json"),
  );

/** mode release: bundles into the releases bucket, then the manifest and the commit's pointer, once. */
async function buildReleaseMode(): Promise<void> {
  const bucketName = required("releases-bucket", "in mode release (bootstrap output releases_bucket_name)");
  const templateVersion = required("template-version", "in mode release: a dated Google template folder");
  if (!DATED_TEMPLATE_VERSION.test(templateVersion))
    throw new Error(
      `template-version: "${templateVersion}" must be a dated release folder like 2026-08-18-00_RC00 (a release never pins latest)`,
    );
  const jobsImage = required("jobs-image", "in mode release: the jobs image pinned by digest");
  const overrides: Record<string, string> = {
    bucket: bucketName,
    prefix: RELEASE_UDF_PREFIX,
    "dry-run": "false",
  };
  const results = await publishUdfs({
    read: (name) => overrides[name] ?? core.getInput(name),
    log: (line) => core.info(line),
  });
  const release = buildRelease({
    templateVersion,
    udfs: Object.fromEntries(
      results.map((r) => [r.app, { sha256: r.sha256, function_name: r.function_name }]),
    ),
    root: process.cwd(),
    jobsImage,
    provenance: {
      commit: process.env.GITHUB_SHA ?? "",
      repository: process.env.GITHUB_REPOSITORY ?? "",
      run_id: process.env.GITHUB_RUN_ID ?? "",
      built_at: new Date().toISOString(),
    },
  });
  const stored = await storeRelease(storageOf(core.getInput).bucket(bucketName), release, (l) =>
    core.info(l),
  );
  releaseOutputs(stored.release);
  summarizeRelease(stored.release);
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.write();
}

/** The state bucket holding `environment`'s record (input state-bucket, or its backend.hcl in the checkout). */
const recordBucket = (environment: string) =>
  storageOf(core.getInput).bucket(stateBucketOf(environment, process.cwd(), core.getInput("state-bucket")));

/**
 * The release recorded as running in `environment`, checked against its manifest and main before anything
 * is checked out or run from it; undefined when no promotion reached it yet.
 */
async function runningRelease(environment: string): Promise<EnvironmentRelease | undefined> {
  // Inputs first: a missing one is reported before any network call, record or not.
  const releases = storageOf(core.getInput).bucket(required("releases-bucket", "in mode resolve"));
  const token = required("github-token", "in mode resolve (contents: read, to check the commit is on main)");
  const record = await readRecord(recordBucket(environment), environment);
  if (!record) return undefined;
  const octokit = getOctokit(token);
  return checkedRelease({
    environment,
    record,
    manifest: await readRelease(releases, record.release_id),
    onMain: (commit) => isAncestorOfMain(octokit, repo(), commit),
  });
}

const describeRunning = (r: EnvironmentRelease) =>
  `release ${shortId(r.releaseId)} (commit ${r.commit.slice(0, 12)}, deployed ${r.deployedAt}${r.verifiedAt ? `, verified ${r.verifiedAt}` : ", integration test not passed"}; ${r.runUrl})`;

/**
 * mode resolve with only `environment` (drift and pull-request plans): the release recorded as running there.
 * None yet (a new fork, before the first promotion) is not an error: every output is empty and a notice says so.
 */
async function resolveRunningMode(environment: string): Promise<void> {
  const running = await runningRelease(environment);
  const outputs = running
    ? {
        "release-id": running.releaseId,
        "release-commit": running.commit,
        "release-summary": describeRunning(running),
        "source-release-id": running.releaseId,
        "source-deployed-at": running.deployedAt,
      }
    : {
        "release-id": "",
        "release-commit": "",
        "release-summary": `no release recorded as running in ${environment} yet`,
        "source-release-id": "",
        "source-deployed-at": "",
      };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  if (running) core.info(`${environment} runs ${outputs["release-summary"]}`);
  else
    core.notice(
      `no release recorded as running in ${environment} yet (no ${recordObject(environment)} in its state bucket): nothing was promoted there, so the plan uses environments/${environment}.tfvars as it is`,
    );
}

/** mode resolve: the release this promotion carries, and when the source got its current one. */
async function resolveMode(): Promise<void> {
  const environment = core.getInput("environment").trim();
  const sourceInput = core.getInput("source-environment").trim();
  const targetInput = core.getInput("target-environment").trim();
  if (environment && !sourceInput && !targetInput) return resolveRunningMode(environment);
  if (environment)
    throw new Error(
      `mode resolve: give either environment (the release running there, for drift and pull-request plans) or source-environment and target-environment (a promotion), not both`,
    );
  const source = required("source-environment", "in mode resolve (or environment alone)");
  const target = required("target-environment", "in mode resolve (or environment alone)");
  const bucket = storageOf(core.getInput).bucket(required("releases-bucket", "in mode resolve"));
  // dev -> dev carries the release of this commit of main, not the source's.
  const sourceRelease = source === target ? undefined : await runningRelease(source);
  const ofMain = source === target ? await releaseOfCommit(bucket, process.env.GITHUB_SHA ?? "") : undefined;
  const id = releaseToPromote({
    source,
    target,
    requested: core.getInput("release-id").trim(),
    sourceRelease,
    ofMain,
  });
  const release = await readRelease(bucket, id);
  releaseOutputs(release);
  core.setOutput("source-release-id", sourceRelease?.releaseId ?? "");
  core.setOutput(
    "source-deployed-at",
    (source === target ? await deployedAtForRedeploy(source) : sourceRelease?.deployedAt) ?? "",
  );
  core.info(`promoting ${releaseLine(release)} from ${source} to ${target}`);
}

/**
 * dev -> dev: when the release running in the environment was deployed, for the SLO gate's "never measured"
 * (source-live-since); without requiring the verified mark. A record that cannot be read only warns: this
 * promotion is what rewrites it, so it must not be blocked by it (the gate then treats the SLO as not measured).
 */
async function deployedAtForRedeploy(environment: string): Promise<string | undefined> {
  try {
    return (await readRecord(recordBucket(environment), environment))?.deployed_at;
  } catch (error) {
    core.warning(
      `cannot read the release recorded as running in ${environment} (${(error as Error).message}); the SLO gate gets no source-live-since, so an SLO never measured there is shown as not measured instead of failing`,
    );
    return undefined;
  }
}

/** mode publish with release-id: the release's bundles into this environment's bucket, its pins in the var file. */
async function publishReleaseMode(id: string): Promise<void> {
  const bucket = storageOf(core.getInput).bucket(required("releases-bucket", "with release-id"));
  const release = await readRelease(bucket, id);
  if (core.getInput("require-release-checkout").trim().toLowerCase() === "false") {
    // A pull-request plan: its own Terraform, SQL and schemas against the release running in the environment.
    const differences = treeDifferences(release, process.cwd());
    if (differences.length)
      core.notice(
        `this checkout's SQL or contract schemas differ from ${releaseLine(release)}; the plan shows the checkout's:\n${differences.join("\n")}`,
      );
  } else checkTreeMatches(release, process.cwd());
  const dir = await downloadReleaseUdfs(
    bucket,
    release,
    join(process.env.RUNNER_TEMP || process.cwd(), `release-${shortId(id)}`),
  );
  const overrides: Record<string, string> = {
    "udf-dir": dir,
    "build-command": "",
    "template-version": release.content.google_templates.version,
  };
  const read = (name: string) => overrides[name] ?? core.getInput(name);
  const results = await publishUdfs({ read, log: (line) => core.info(line) });
  await report(results, core.getInput("dry-run").trim().toLowerCase() === "true", tfvarsPath(), release);
}

/** mode record: the release now runs in the environment (after the apply, with its deploy identity). */
async function recordMode(): Promise<void> {
  const environment = required("environment", "in mode record");
  const id = required("release-id", "in mode record");
  const release = await readRelease(
    storageOf(core.getInput).bucket(required("releases-bucket", "in mode record")),
    id,
  );
  const record = await recordRunning(recordBucket(environment), environment, release, runUrl());
  core.info(
    `recorded ${releaseLine(release)} as running in ${environment} (${recordObject(environment)}, ${record.deployed_at})`,
  );
  releaseOutputs(release);
  // Display only: a failure here loses nothing, so it warns instead of failing the promotion.
  const token = core.getInput("github-token").trim();
  if (!token) return;
  try {
    const deployment = await recordRelease(getOctokit(token), repo(), {
      environment,
      releaseId: id,
      commit: release.provenance.commit,
      logUrl: runUrl(),
    });
    core.info(`shown on GitHub as deployment #${deployment}`);
  } catch (error) {
    core.warning((error as Error).message);
  }
}

/** mode verified: the post-deploy integration test passed for the release running in the environment. */
async function verifiedMode(): Promise<void> {
  const environment = required("environment", "in mode verified");
  const id = required("release-id", "in mode verified");
  const record = await markVerified(recordBucket(environment), environment, id, runUrl());
  core.info(`release ${shortId(id)} verified in ${environment} at ${record.verified_at}`);
}

/** The action: one try/catch ending in setFailed. */
export async function run(): Promise<void> {
  try {
    const mode = core.getInput("mode").trim() || "publish";
    if (mode === "release") return await buildReleaseMode();
    if (mode === "resolve") return await resolveMode();
    if (mode === "record") return await recordMode();
    if (mode === "verified") return await verifiedMode();
    if (mode !== "publish")
      throw new Error(`mode: "${mode}" must be publish, release, resolve, record or verified`);
    const releaseId = core.getInput("release-id").trim();
    if (releaseId) return await publishReleaseMode(releaseId);
    const results = await publishUdfs({
      read: (name) => core.getInput(name),
      log: (line) => core.info(line),
    });
    await report(results, core.getInput("dry-run").trim().toLowerCase() === "true", tfvarsPath());
  } catch (error) {
    core.setFailed(explain(error));
  }
}
