/**
 * slo-gate: reads the SLO declarations, the SLIs from Cloud Monitoring, and either scores a promotion
 * gate (pass / warn / fail) or writes the daily audit. Writes a job-summary table and a JSON report.
 */
import * as core from "@actions/core";
import { MetricServiceClient } from "@google-cloud/monitoring";
import {
  auditCatalog,
  auditReport,
  evaluateCatalog,
  gateReport,
  loadSloCatalog,
  readCatalogMinutes,
  reportMarkdown,
  type SloReport,
  type TimeSeriesLister,
} from "../../../packages/slo/src";
import { type InputReader, readInputs } from "./inputs";

/** What run() can be given instead of the real world (tests). */
export interface RunDeps {
  read?: InputReader;
  /** Creates the Monitoring client; default `new MetricServiceClient()` (Application Default Credentials). */
  createClient?: () => TimeSeriesLister & { close(): Promise<void> };
  now?: () => number;
  workspace?: string;
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
    core.info(
      `reading ${catalog.slos.length} SLOs of ${inputs.environment} (${inputs.projectId}) from Cloud Monitoring`,
    );
    const data = await readCatalogMinutes(client, catalog, {
      projectId: inputs.projectId,
      namePrefix: inputs.namePrefix,
      endMs: inputs.evaluationMs,
    });
    const endMs = Math.floor(inputs.evaluationMs / 60000) * 60000;
    const report =
      inputs.mode === "gate"
        ? gateReport(evaluateCatalog(catalog, data, endMs), inputs.environment)
        : auditReport(auditCatalog(catalog, data, endMs), inputs.environment);
    let failed: string | undefined;
    if (
      inputs.mode === "gate" &&
      (report.score === "fail" || (report.score === "warn" && inputs.failOnWarn))
    ) {
      const bad = report.rows.filter((r) => r.score === "fail" || (inputs.failOnWarn && r.score === "warn"));
      failed = `SLO gate ${report.score} for ${inputs.environment}: ${bad
        .map((r) => `${r.name} (${r.notes.join("; ")})`)
        .join(", ")}. Promotion blocked; see the job summary and the runbooks.`;
    }
    return { report, failed };
  } finally {
    await client.close();
  }
}

/** The action's entry point: one try/catch ending in core.setFailed. */
export async function run(deps: RunDeps = {}): Promise<void> {
  try {
    const { report, failed } = await evaluate(deps);
    const server = process.env.GITHUB_SERVER_URL ?? "https://github.com";
    const base = process.env.GITHUB_REPOSITORY
      ? `${server}/${process.env.GITHUB_REPOSITORY}/blob/${process.env.GITHUB_SHA ?? "main"}/`
      : "";
    core.setOutput("score", report.score);
    core.setOutput("report", JSON.stringify(report));
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(reportMarkdown(report, base)).write();
    for (const row of report.rows)
      core.info(`${row.score.padEnd(4)} ${row.name}: ${row.notes.join("; ") || "ok"}`);
    if (failed) core.setFailed(failed);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
