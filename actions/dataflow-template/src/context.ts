/** What every mode reads from the runner: inputs, the Storage client, the repository and this run. */
import { join, resolve } from "node:path";
import * as core from "@actions/core";
import { context } from "@actions/github";
import { Storage } from "@google-cloud/storage";
import { runUrl } from "@shopstream/action-kit";
import { stateBucketOf } from "@shopstream/release";

export function storageOf(read: (name: string) => string): Storage {
  const project = read("project").trim();
  const endpoint = read("storage-endpoint").trim();
  return new Storage({
    ...(project ? { projectId: project } : {}),
    ...(endpoint ? { apiEndpoint: endpoint } : {}),
    retryOptions: { autoRetry: true, maxRetries: 5 },
  });
}

/** A non-empty input, or an error naming it and `why` it is needed. */
export function required(name: string, why: string): string {
  const value = core.getInput(name).trim();
  if (!value) throw new Error(`${name}: required ${why}`);
  return value;
}

export const isDryRun = () => core.getInput("dry-run").trim().toLowerCase() === "true";

export const repo = () => context.repo;
/** This workflow run's web link (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID through `context`). */
export const thisRunUrl = () => runUrl(context);
export const tfvarsPath = () =>
  resolve(
    core.getInput("tfvars-file").trim() ||
      join(process.env.RUNNER_TEMP || process.cwd(), "dataflow-udfs.tfvars.json"),
  );

/** The state bucket holding `environment`'s record (input state-bucket, or its backend.hcl in the checkout). */
export const recordBucket = (environment: string) =>
  storageOf(core.getInput).bucket(stateBucketOf(environment, process.cwd(), core.getInput("state-bucket")));
