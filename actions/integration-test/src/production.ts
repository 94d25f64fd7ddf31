/**
 * Production mode: the runner publishes the tagged batch to Pub/Sub (reachable from anywhere with the deploy
 * identity), then starts the environment's `verify` Cloud Run job (apps/reconciler, in the VPC, the only
 * place that reaches MongoDB Atlas over Private Service Connect) with the run's expectations as overrides,
 * waits for the execution, and reads the result object the job wrote. No @actions/core here.
 */
import type { PubSub } from "@google-cloud/pubsub";
import { parseAndValidate } from "@shopstream/events";
import { type VerifyExpectations, type VerifyResult, verifyResultObject } from "@shopstream/reconciler";
import { buildBatch, newRunId, RUN_FIELD, type SyntheticBatch, TEST_CURRENCY } from "./batch";
import {
  GoogleApiError,
  type GoogleRestOptions,
  getOperation,
  type RunExecution,
  type RunOperation,
  readObject,
  runJob,
} from "./cloud-run";
import { latencyReport, type RunResult } from "./report";
import { publishBatch, summarizeBatch } from "./runner";

export interface ProductionConfig {
  topic: string;
  /** `projects/P/locations/L/jobs/J`. */
  job: string;
  resultsBucket: string;
  /** Overall bound: publish, job start, the job's own wait, result. */
  timeoutMs: number;
  pollMs: number;
  latencyThresholdMs: number;
  latencyObjective: number;
  sessions?: number;
  runId?: string;
}

export interface ProductionDeps {
  pubsub: PubSub;
  rest: GoogleRestOptions;
  log: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The expectations the job checks: computed here from the batch, passed as an env override. */
export function expectationsOf(batch: SyntheticBatch, nowMs: number): VerifyExpectations {
  const values: VerifyExpectations["values"] = {};
  for (const e of batch.events)
    values[e.event_id] = {
      event_type: e.event_type,
      session_id: e.session_id as string,
      ...(e.event_type === "purchase" ? { revenue: String(e.properties.revenue) } : {}),
    };
  return {
    runId: batch.runId,
    runField: RUN_FIELD,
    eventIds: batch.events.map((e) => e.event_id),
    values,
    currency: TEST_CURRENCY,
    orders: batch.expected.orders,
    products: batch.expected.products,
    fromMs: batch.expected.fromMs,
    toMs: batch.expected.toMs,
    poison: batch.poison.map((p) => {
      // The templates hand the UDF the payload decoded as UTF-8 (an invalid sequence becomes U+FFFD) and
      // record that text as payloadString (ErrorConverters); the reason is what the validator says of it.
      const payloadString = p.data.toString("utf8");
      const verdict = parseAndValidate(payloadString, nowMs);
      if (verdict.ok) throw new Error(`poison message "${p.label}" validates once decoded; fix batch.ts`);
      return { label: p.label, payloadString, reason: verdict.reason };
    }),
  };
}

const conditionText = (execution: RunExecution | undefined) =>
  (execution?.conditions ?? [])
    .filter((c) => c.state === "CONDITION_FAILED" || c.message)
    .map((c) => `${c.type ?? "condition"}: ${c.message ?? c.state}`)
    .join("; ");

function explainApiError(error: unknown, job: string, what: string): Error {
  if (error instanceof GoogleApiError && (error.httpStatus === 403 || error.status === "PERMISSION_DENIED"))
    return new Error(
      `${what} was refused (permission denied): the deploy identity needs run.jobs.runWithOverrides and run.operations.get on ${job} (roles/run.developer on the job, or roles/run.admin as the bootstrap grants) and storage.objects.get on the results bucket. ${error.message}`,
    );
  if (error instanceof GoogleApiError && error.httpStatus === 404)
    return new Error(
      `${what}: not found (${error.message}); has terraform applied modules/jobs with the verify job in this project and region?`,
    );
  return error instanceof Error ? error : new Error(String(error));
}

export async function runProductionTest(deps: ProductionDeps, config: ProductionConfig): Promise<RunResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  const deadline = started + config.timeoutMs;
  const runId = config.runId ?? newRunId(started);
  const batch = buildBatch({ runId, nowMs: started, sessions: config.sessions ?? 6 });
  const expectations = expectationsOf(batch, started);
  deps.log(
    `run ${runId}: ${batch.events.length} events, ${batch.duplicates.length} duplicates, ${batch.late.length} late, ${batch.poison.length} poison`,
  );
  const publishedAt = await publishBatch(deps.pubsub, config.topic, batch, now);
  deps.log(`published to ${config.topic}; starting ${config.job}`);

  // The job waits for the stores itself; it gets what is left of the budget minus a margin to report.
  const jobWaitS = Math.max(30, Math.floor((deadline - now()) / 1000) - 120);
  let operation: RunOperation;
  try {
    operation = await runJob(deps.rest, config.job, {
      containerOverrides: [
        {
          args: ["verify"],
          env: [
            { name: "VERIFY_EXPECTATIONS", value: JSON.stringify(expectations) },
            { name: "VERIFY_TIMEOUT_SECONDS", value: String(jobWaitS) },
            { name: "VERIFY_POLL_SECONDS", value: String(Math.max(1, Math.round(config.pollMs / 1000))) },
          ],
        },
      ],
      timeout: `${jobWaitS + 60}s`,
    });
  } catch (error) {
    throw explainApiError(error, config.job, `starting ${config.job}`);
  }
  const execution = operation.metadata?.name ?? "(execution name not reported)";
  deps.log(`execution ${execution} started`);

  while (!operation.done) {
    if (now() >= deadline)
      throw new Error(
        `timed out after ${Math.round(config.timeoutMs / 1000)} s waiting for execution ${execution} of ${config.job} (run ${runId}); it may still be running: see its logs (${operation.metadata?.logUri ?? "Cloud Run console"}), or raise timeout-seconds`,
      );
    await sleep(config.pollMs);
    try {
      operation = await getOperation(deps.rest, operation.name);
    } catch (error) {
      throw explainApiError(error, config.job, `polling ${operation.name}`);
    }
    const m = operation.metadata;
    deps.log(
      `waiting for ${execution}: ${m?.runningCount ?? 0} running, ${m?.succeededCount ?? 0} succeeded, ${m?.failedCount ?? 0} failed (${Math.round((now() - started) / 1000)} s)`,
    );
  }
  // A failed execution may come back as an operation error or as an Execution with failed tasks / a failed
  // Completed condition (execution.proto, condition.proto): both are failures.
  const finished = operation.response ?? operation.metadata;
  const executionFailed =
    (finished?.failedCount ?? 0) > 0 ||
    (finished?.conditions ?? []).some((c) => c.type === "Completed" && c.state === "CONDITION_FAILED");
  if (operation.error || executionFailed) {
    const detail = conditionText(finished);
    throw new Error(
      `execution ${execution} of ${config.job} failed (run ${runId}): ${operation.error?.message ?? operation.error?.status ?? "tasks failed"}${detail ? ` [${detail}]` : ""}; its logs say why: ${operation.metadata?.logUri ?? "Cloud Run console"}`,
    );
  }

  const object = verifyResultObject(runId);
  let result: VerifyResult | undefined;
  try {
    result = await readObject<VerifyResult>(deps.rest, config.resultsBucket, object);
  } catch (error) {
    throw explainApiError(error, config.job, `reading gs://${config.resultsBucket}/${object}`);
  }
  if (!result || result.runId !== runId)
    throw new Error(
      `execution ${execution} succeeded but wrote no result for run ${runId} at gs://${config.resultsBucket}/${object}; is the job's VERIFY_RESULTS_BUCKET the bucket passed as results-bucket?`,
    );

  return {
    runId,
    ok: result.ok,
    checks: result.checks,
    // Publish times are the runner's clock, first-seen times the job's: both Google-synchronised.
    latency: latencyReport(
      batch.events.map((e) => e.event_id),
      (id) => publishedAt.get(id) ?? started,
      (id) => [result.firstSeen.mongodb[id], result.firstSeen.bigquery[id]],
      {
        thresholdMs: config.latencyThresholdMs,
        objective: config.latencyObjective,
        resolutionMs: result.resolutionMs,
      },
    ),
    batch: summarizeBatch(batch),
    // The job only reads: the run's tagged rows stay (XTS currency, itest- products) until the tables'
    // retention removes them; see docs/testing.md.
    cleanup: "skipped",
    durationMs: now() - started,
  };
}
