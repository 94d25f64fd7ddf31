/**
 * dataflow-template: builds and tests the UDF bundles, uploads each to GCS under its content hash (only when
 * absent), and emits the launch parameters Terraform consumes. In dry-run mode it only reports what would change.
 */
import * as core from "@actions/core";
import { publishUdfs, type UdfResult } from "./publish";

/** Sets the outputs and writes the job summary. */
export async function report(results: UdfResult[], dryRun: boolean): Promise<void> {
  const udfs = Object.fromEntries(results.map((r) => [r.app, r]));
  const terraform = Object.fromEntries(
    results.map((r) => [r.app, { gcs_path: r.gcs_path, function_name: r.function_name }]),
  );
  core.setOutput("udfs", JSON.stringify(udfs));
  core.setOutput("terraform-udfs", JSON.stringify(terraform));
  core.setOutput("changed", String(results.some((r) => r.status !== "exists")));
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
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.write();
}

/** The action: one try/catch ending in setFailed. */
export async function run(): Promise<void> {
  try {
    const results = await publishUdfs({
      read: (name) => core.getInput(name),
      log: (line) => core.info(line),
    });
    await report(results, core.getInput("dry-run").trim().toLowerCase() === "true");
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
