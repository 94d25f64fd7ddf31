/**
 * slo-gate: reads the SLO declarations, the SLIs from Cloud Monitoring, and either scores a promotion
 * gate (pass / warn / fail) or writes the daily audit. Writes a job-summary table and a JSON report.
 */
import * as core from "@actions/core";
import { context, getOctokit } from "@actions/github";
import { MetricServiceClient } from "@google-cloud/monitoring";
import { type InputGetter, Refusal } from "@shopstream/action-kit";
import { RELEASE_TASK, shortId, successfulReleases } from "@shopstream/release";
import {
  attributeBudget,
  auditCatalog,
  auditReport,
  decideYoungHistory,
  evaluateCatalog,
  evaluateRelease,
  evaluateTargetBudget,
  gateReport,
  installFastListTimeSeries,
  loadSloCatalog,
  readCatalogMinutes,
  reportMarkdown,
  type Score,
  type SloReport,
  type TimeSeriesLister,
  worst,
} from "@shopstream/slo";
import { type Inputs, readInputs } from "./inputs";
import { type OverrideContext, verifyOverride } from "./override";

/** The Monitoring client as the action uses it; `auth` is checked before the first call. */
export type GateClient = TimeSeriesLister & {
  close(): Promise<void>;
  auth?: { getClient(): Promise<unknown> };
};

/** What run() can be given instead of the real world (tests). */
export interface RunDeps {
  read?: InputGetter;
  /** Creates the Monitoring client; default `new MetricServiceClient()` (Application Default Credentials). */
  createClient?: () => GateClient;
  now?: () => number;
  workspace?: string;
  /** Where the override's approval is checked; default from the github-token input and the run's context. */
  github?: OverrideContext;
}

/**
 * The environment's deploy markers from its `deploy:release` GitHub deployments (successfulReleases): display
 * data that attributes budget spend to releases, never what gates a promotion (the running release comes from
 * the state-bucket record); a deployment with an invalid payload is skipped with a warning. None without
 * github-token.
 */
async function recordedMarkers(
  deps: RunDeps,
  inputs: Inputs,
  environment: string,
): Promise<{ release: string; deployedAtMs: number }[]> {
  if (!deps.github && !inputs.githubToken) return [];
  const { octokit, repo } = deps.github ?? githubContext(inputs);
  const markers: { release: string; deployedAtMs: number }[] = [];
  for await (const r of successfulReleases(octokit, repo, environment, (m) => core.warning(m)))
    markers.push({ release: shortId(r.releaseId), deployedAtMs: Date.parse(r.deployedAt) });
  core.info(`${markers.length} deploy marker(s) of ${environment} from its ${RELEASE_TASK} deployments`);
  return markers;
}

/** The override check's context from the action's inputs and the workflow run. */
function githubContext(inputs: Inputs): OverrideContext {
  const token = inputs.githubToken;
  if (!token)
    throw new Error(
      "override-reason (or a fix to a target with no budget left, or reading deploy markers) needs github-token (with actions: read) to check the slo-override environment's protection and this run's approval",
    );
  return {
    octokit: getOctokit(token),
    repo: context.repo,
    runId: context.runId,
    deployBranch: inputs.deployBranch,
  };
}

/** Evaluates and reports; returns the report (the action uses the outputs and the exit code). */
export async function evaluate(
  deps: RunDeps = {},
): Promise<{ report: SloReport; failed: string | undefined }> {
  const read = deps.read ?? ((name: string) => core.getInput(name));
  const workspace = deps.workspace ?? process.env.GITHUB_WORKSPACE ?? process.cwd();
  const inputs = readInputs(read, workspace, (deps.now ?? Date.now)());
  const catalog = loadSloCatalog(inputs.sloDir);
  const client = (deps.createClient ?? (() => new MetricServiceClient()))();
  try {
    // the real client authenticates with Application Default Credentials; test clients bring their own
    if (!deps.createClient) await checkCredentials(client, inputs.projectId);
    // ListTimeSeries answers decoded in one pass, int64 as numbers (packages/slo list-time-series-decode.ts)
    const decoder = await installFastListTimeSeries(client);
    core.info(
      decoder.installed
        ? "ListTimeSeries answers: the gate's one-pass decoder"
        : `ListTimeSeries answers: the client's own decoder (${decoder.reason})`,
    );
    core.info(
      `reading ${catalog.slos.length} SLOs of ${inputs.environment} (${inputs.projectId})${inputs.target ? ` and of the target ${inputs.target.environment} (${inputs.target.projectId})` : ""} from Cloud Monitoring`,
    );
    // A promotion reads the target's budget too: both catalogs at once, so the API's latencies overlap.
    // The target read is awaited below; it is marked handled now so that a source failure that ends the
    // run first does not leave it as an unhandled rejection.
    const targetRead = inputs.target
      ? readCatalogMinutes(client, catalog, {
          projectId: inputs.target.projectId,
          namePrefix: inputs.target.namePrefix,
          endMs: inputs.evaluationMs,
        })
      : undefined;
    targetRead?.catch(() => {});
    const data = await readCatalogMinutes(client, catalog, {
      projectId: inputs.projectId,
      namePrefix: inputs.namePrefix,
      endMs: inputs.evaluationMs,
    });
    if (inputs.mode === "audit") {
      const report = auditReport(auditCatalog(catalog, data, inputs.evaluationMs), inputs.environment);
      const markers =
        inputs.deployMarkers.length > 0
          ? inputs.deployMarkers
          : await recordedMarkers(deps, inputs, inputs.environment);
      if (markers.length > 0)
        report.attribution = attributeBudget(catalog, data, inputs.evaluationMs, markers);
      return { report, failed: undefined };
    }
    // "never measured" fails only once the source's release has been live long enough to be measured
    const measured = evaluateCatalog(catalog, data, inputs.evaluationMs, {
      deployedAtMs: inputs.sourceLiveSinceMs,
    });
    const release =
      inputs.deployedAtMs === undefined
        ? undefined
        : evaluateRelease(catalog, data, inputs.evaluationMs, inputs.deployedAtMs, measured);
    // a young environment: insufficient history is decided by the release's own time, when it can be
    const gate = decideYoungHistory(measured, release, catalog);
    const report = gateReport(gate, inputs.environment);
    const blocking = (score: Score) => score === "fail" || (score === "warn" && inputs.failOnWarn);
    const why: string[] = report.rows
      .filter((r) => r.counted !== false && blocking(r.score))
      .map((r) => `${r.name} (${r.notes.join("; ")})`);
    if (release) {
      const notes = release.rows.flatMap((r) => r.reasons.map((x) => `${r.name}: ${x}`));
      report.release = { deployedAt: release.deployedAt, score: release.score, notes };
      if (blocking(release.score)) why.push(`release since ${release.deployedAt} (${notes.join("; ")})`);
    }
    if (inputs.target && targetRead) {
      core.info(`scoring the budget of the target ${inputs.target.environment} (${inputs.target.projectId})`);
      const targetData = await targetRead;
      const targetReport = evaluateCatalog(catalog, targetData, inputs.evaluationMs);
      let verdict = evaluateTargetBudget(targetReport, inputs.target.environment, inputs.changeKind);
      if (verdict.score === "fail" && inputs.changeKind === "fix") {
        // a self-declared fix skips the target-budget rule only with an approval in slo-override
        try {
          const approvedBy = await verifyOverride(deps.github ?? githubContext(inputs));
          verdict = evaluateTargetBudget(targetReport, inputs.target.environment, "fix", approvedBy);
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          verdict = { ...verdict, reasons: [...verdict.reasons, `(${error.message})`] };
        }
      }
      report.target = { environment: verdict.environment, score: verdict.score, notes: verdict.reasons };
      if (blocking(verdict.score)) why.push(verdict.reasons.join("; "));
    }
    report.score = worst([report.score, report.release?.score ?? "pass", report.target?.score ?? "pass"]);
    let failed: string | undefined;
    if (blocking(report.score)) {
      failed = `SLO gate ${report.score} for ${inputs.environment}: ${why.join(", ")}. Promotion blocked; see the job summary and the runbooks.`;
      if (inputs.overrideReason) {
        // honoured only when slo-override really protects it and this run's approval is recorded
        let approvedBy: string[] | undefined;
        try {
          approvedBy = await verifyOverride(deps.github ?? githubContext(inputs));
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          failed = `${failed} The override was refused: ${error.message}`;
        }
        if (approvedBy) {
          report.override = {
            reason: inputs.overrideReason,
            requestedBy: process.env.GITHUB_ACTOR ?? "unknown",
            approvedBy,
            blockedScore: report.score,
          };
          core.warning(
            `SLO gate OVERRIDDEN by ${approvedBy.join(", ")} (${inputs.overrideReason}); it would have blocked: ${failed}`,
          );
          failed = undefined;
        }
      }
    }
    return { report, failed };
  } finally {
    // a failing close must not hide the error that got us here
    await client
      .close()
      .catch((error: unknown) => core.debug(`closing the Monitoring client: ${firstLine(error)}`));
  }
}

/**
 * Fails early, with what to do, when no Google credentials are available. Without this the client library
 * creates its gRPC stub in a background promise whose rejection nobody handles, and the step dies with a
 * stack trace, no ::error:: line and no outputs.
 */
async function checkCredentials(client: GateClient, projectId: string): Promise<void> {
  if (!client.auth) return;
  try {
    await client.auth.getClient();
  } catch (error) {
    throw new Error(
      `no Google Cloud credentials to read Cloud Monitoring of ${projectId}: run google-github-actions/auth (Workload Identity Federation) before this step with an identity that has roles/monitoring.viewer on ${projectId} (${firstLine(error)})`,
    );
  }
}

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";

/** The message of a failure, with the fix for the errors a user can act on. */
export function explain(error: unknown): string {
  const message = firstLine(error);
  const code = (error as { code?: unknown })?.code;
  if (code === 7 || /PERMISSION_DENIED/.test(message))
    return `Cloud Monitoring refused the read: ${message}. Grant roles/monitoring.viewer on the project to the identity google-github-actions/auth signs in as.`;
  if (code === 16 || /UNAUTHENTICATED/.test(message))
    return `Cloud Monitoring did not accept the credentials: ${message}. Check the google-github-actions/auth step (workload identity provider and service account).`;
  if (code === 4 || code === 14 || /DEADLINE_EXCEEDED|UNAVAILABLE/.test(message))
    return `Cloud Monitoring was unreachable: ${message}. Re-run the job; if it persists, check status.cloud.google.com.`;
  // the gate's one-pass decoder refused an answer (packages/slo list-time-series-decode.ts); the stock one may not
  if (/malformed ListTimeSeries answer|ListTimeSeries timestamp is beyond/.test(message))
    return `The gate could not decode Cloud Monitoring's answer: ${message}. Set \`env: { SLO_GATE_STOCK_DECODE: "true" }\` on the slo-gate step to read with the client's own decoder, and report the message.`;
  return `slo-gate: ${error instanceof Error ? error.message : String(error)}`;
}

let failed = false;
/** Ends the step in exactly one ::error:: line (a later failure, e.g. a stray rejection, is logged only). */
export function failOnce(error: unknown): void {
  if (failed) {
    core.info(`(after the failure above) ${firstLine(error)}`);
    return;
  }
  failed = true;
  core.setOutput("score", "error");
  core.setFailed(explain(error));
}

/** The action's entry point: one try/catch ending in core.setFailed. */
export async function run(deps: RunDeps = {}): Promise<void> {
  failed = false;
  try {
    const { report, failed } = await evaluate(deps);
    const server = process.env.GITHUB_SERVER_URL ?? "https://github.com";
    const base = process.env.GITHUB_REPOSITORY
      ? `${server}/${process.env.GITHUB_REPOSITORY}/blob/${process.env.GITHUB_SHA ?? "main"}/`
      : "";
    core.setOutput("score", report.score);
    core.setOutput("overridden", report.override ? "true" : "false");
    core.setOutput("report", JSON.stringify(report));
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(reportMarkdown(report, base)).write();
    for (const row of report.rows)
      core.info(`${row.score.padEnd(4)} ${row.name}: ${row.notes.join("; ") || "ok"}`);
    if (failed) core.setFailed(failed);
  } catch (error) {
    failOnce(error);
  }
}
