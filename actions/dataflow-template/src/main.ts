/**
 * dataflow-template: builds and tests the UDF bundles, uploads each to GCS under its content hash (only when
 * absent), and emits the launch parameters Terraform consumes. In dry-run mode it only reports what would change.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as core from "@actions/core";
import { explain } from "../../../tools/build-actions/src/entry";
import { publishUdfs, tfvarsOf, type UdfResult } from "./publish";

/** Sets the outputs and writes the job summary. */
export async function report(results: UdfResult[], dryRun: boolean, tfvarsFile: string): Promise<void> {
  const udfs = Object.fromEntries(results.map((r) => [r.app, r]));
  const tfvars = tfvarsOf(results, dryRun);
  writeFileSync(tfvarsFile, `${JSON.stringify(tfvars, null, 2)}\n`);
  core.setOutput("udfs", JSON.stringify(udfs));
  core.setOutput("terraform-udfs", JSON.stringify(tfvars.udfs));
  core.setOutput("tfvars-file", tfvarsFile);
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
    const tfvarsFile = resolve(
      core.getInput("tfvars-file").trim() ||
        join(process.env.RUNNER_TEMP || process.cwd(), "dataflow-udfs.tfvars.json"),
    );
    await report(results, core.getInput("dry-run").trim().toLowerCase() === "true", tfvarsFile);
  } catch (error) {
    core.setFailed(explain(error));
  }
}
