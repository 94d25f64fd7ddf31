/**
 * mode resolve: which release a promotion carries (the source's verified one, or main's newest for
 * dev -> dev), or, with `environment` alone (drift and pull-request plans), the release running there.
 */
import * as core from "@actions/core";
import { getOctokit } from "@actions/github";
import {
  checkedRelease,
  type EnvironmentRelease,
  isAncestorOfMain,
  readRecord,
  readRelease,
  recordObject,
  releaseOfCommit,
  releaseToPromote,
  shortId,
} from "@shopstream/release";
import { recordBucket, repo, required, storageOf } from "../context";
import { releaseLine, releaseOutputs } from "../report";

export async function resolveMode(): Promise<void> {
  const environment = core.getInput("environment").trim();
  const sourceInput = core.getInput("source-environment").trim();
  const targetInput = core.getInput("target-environment").trim();
  if (environment && !sourceInput && !targetInput) return resolveRunning(environment);
  if (environment)
    throw new Error(
      `mode resolve: give either environment (the release running there, for drift and pull-request plans) or source-environment and target-environment (a promotion), not both`,
    );
  return resolvePromotion();
}

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
 * With only `environment` (drift and pull-request plans): the release recorded as running there. None yet
 * (a new fork, before the first promotion) is not an error: every output is empty and a notice says so.
 */
async function resolveRunning(environment: string): Promise<void> {
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

/** A promotion: the release it carries, and when the source got its current one. */
async function resolvePromotion(): Promise<void> {
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
