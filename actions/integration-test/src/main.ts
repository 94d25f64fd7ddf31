/**
 * integration-test: the post-deploy check. `mode: local` reads the stores from the runner; `mode: production`
 * starts the environment's verify Cloud Run job, which reads them inside the VPC (production.ts). Publishes a tagged synthetic batch to the environment's topic,
 * waits (bounded) until the pipeline stored and counted it, asserts exact results, checks the dead
 * letters, reports latency against the SLO, writes a job summary and removes its data.
 * The only file that touches @actions/core (ESM-only): the logic is in runner.ts, tested under jest.
 */
import * as core from "@actions/core";
import { PubSub } from "@google-cloud/pubsub";
import { failureBoundary, type InputGetter } from "@shopstream/action-kit";
import { createBigQuery } from "@shopstream/analytics";
import { GoogleAuth } from "google-auth-library";
import { MongoClient } from "mongodb";
import { type Inputs, readInputs } from "./inputs";
import { runProductionTest } from "./production";
import { type RunResult, renderSummary } from "./report";
import { runIntegrationTest } from "./runner";

export interface RunDeps {
  read?: InputGetter;
  workspace?: string;
  /** Tests: an access-token source instead of Application Default Credentials. */
  token?: () => Promise<string>;
  /** Tests: a Pub/Sub client instead of one built from the inputs. */
  pubsub?: PubSub;
}

function setOutputs(result: RunResult) {
  core.setOutput("run-id", result.runId);
  core.setOutput("result", result.ok ? "pass" : "fail");
  core.setOutput("latency-p50-ms", String(Math.round(result.latency.p50)));
  core.setOutput("latency-p95-ms", String(Math.round(result.latency.p95)));
  core.setOutput("latency-slo-met", String(result.latency.meetsObjective));
  core.setOutput("report", JSON.stringify(result));
}

async function conclude(result: RunResult, inputs: Inputs) {
  setOutputs(result);
  if (process.env.GITHUB_STEP_SUMMARY)
    await core.summary.addRaw(renderSummary(result, inputs.environment)).write();
  if (!result.ok) {
    const failed = result.checks.filter((c) => !c.ok);
    core.setFailed(
      `post-deploy integration test failed for ${inputs.environment} (run ${result.runId}): ${failed
        .map((c) => `${c.name}: ${c.detail}`)
        .join("; ")}. See the job summary and docs/runbooks.`,
    );
  } else if (!result.latency.meetsObjective) {
    core.warning(
      `latency: ${(result.latency.withinThreshold * 100).toFixed(1)}% of the batch within ${result.latency.thresholdMs} ms (objective ${result.latency.objective * 100}%); the SLO itself is judged by slo-gate`,
    );
  }
}

async function runProduction(inputs: Inputs, deps: RunDeps) {
  const pubsub = deps.pubsub ?? new PubSub({ projectId: inputs.projectId });
  const auth = deps.token
    ? undefined
    : new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
  const token =
    deps.token ??
    (async () => {
      const value = await auth?.getAccessToken().catch((error: unknown) => {
        throw new Error(
          `no Google credentials (${error instanceof Error ? error.message : String(error)}): run google-github-actions/auth before this step`,
        );
      });
      if (!value) throw new Error("no Google access token: run google-github-actions/auth before this step");
      core.setSecret(value);
      return value;
    });
  try {
    const result = await runProductionTest(
      {
        pubsub,
        rest: { runEndpoint: inputs.runEndpoint, storageEndpoint: inputs.storageEndpoint, token },
        log: (line) => core.info(line),
      },
      {
        topic: inputs.topic,
        job: inputs.verifyJob,
        resultsBucket: inputs.resultsBucket,
        timeoutMs: inputs.timeoutMs,
        pollMs: inputs.pollMs,
        latencyThresholdMs: inputs.latencyThresholdMs,
        latencyObjective: inputs.latencyObjective,
      },
    );
    await conclude(result, inputs);
  } finally {
    if (!deps.pubsub) await pubsub.close().catch(() => undefined);
  }
}

/** The action: local or production mode, inside the kit's error boundary (one error line). */
export const run = failureBoundary(async (deps: RunDeps = {}): Promise<void> => {
  const read = deps.read ?? ((name: string) => core.getInput(name));
  const inputs = readInputs(read, deps.workspace ?? process.env.GITHUB_WORKSPACE ?? process.cwd());
  if (inputs.mode === "production") {
    await runProduction(inputs, deps);
    return;
  }
  // The Pub/Sub client reads the emulator host from the environment only.
  if (inputs.pubsubEmulatorHost) process.env.PUBSUB_EMULATOR_HOST = inputs.pubsubEmulatorHost;
  const pubsub = new PubSub({ projectId: inputs.projectId });
  const mongo = new MongoClient(inputs.mongodbUri, {
    appName: "shopstream-integration-test",
    serverSelectionTimeoutMS: 30000,
  });
  const bigquery = createBigQuery({
    projectId: inputs.projectId,
    location: inputs.location,
    ...(inputs.bigqueryEmulatorHost ? { emulatorHost: inputs.bigqueryEmulatorHost } : {}),
  });
  try {
    await mongo.connect().catch((error: unknown) => {
      throw new Error(
        `cannot reach MongoDB (${error instanceof Error ? error.message : String(error)}): check the mongodb-uri secret and that the runner's address is allowed by the cluster's network access list`,
      );
    });
    const result = await runIntegrationTest(
      { pubsub, mongo, bigquery, log: (line) => core.info(line) },
      {
        topic: inputs.topic,
        database: inputs.database,
        collection: inputs.collection,
        deadLetterCollection: inputs.deadLetterCollection,
        dataset: inputs.dataset,
        timeoutMs: inputs.timeoutMs,
        pollMs: inputs.pollMs,
        latencyThresholdMs: inputs.latencyThresholdMs,
        latencyObjective: inputs.latencyObjective,
        sqlDir: inputs.sqlDir,
        cleanup: inputs.cleanup,
      },
    );
    await conclude(result, inputs);
  } finally {
    await mongo.close().catch(() => undefined);
    await pubsub.close().catch(() => undefined);
  }
});
