/**
 * mode record: the release now runs in the environment (after the apply, with its deploy identity): the
 * state bucket's env/<env>/release/running.json (authoritative), then a GitHub deployment (display only).
 */
import * as core from "@actions/core";
import { getOctokit } from "@actions/github";
import { readRelease, recordObject, recordRelease, recordRunning } from "@shopstream/release";
import { recordBucket, repo, required, storageOf, thisRunUrl } from "../context";
import { releaseLine, releaseOutputs } from "../report";

export async function recordMode(): Promise<void> {
  const environment = required("environment", "in mode record");
  const id = required("release-id", "in mode record");
  const release = await readRelease(
    storageOf(core.getInput).bucket(required("releases-bucket", "in mode record")),
    id,
  );
  const record = await recordRunning(recordBucket(environment), environment, release, thisRunUrl());
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
      logUrl: thisRunUrl(),
    });
    core.info(`shown on GitHub as deployment #${deployment}`);
  } catch (error) {
    core.warning((error as Error).message);
  }
}
