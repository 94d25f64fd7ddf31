/** Outputs, the var file and the job summary of the modes that name UDFs or a release. */
import { writeFileSync } from "node:fs";
import * as core from "@actions/core";
import { type ReleaseManifest, releaseTfvars, shortId } from "@shopstream/release";
import { tfvarsOf, type UdfResult } from "./publish";

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

export function releaseOutputs(release: ReleaseManifest): void {
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

export function summarizeRelease(release: ReleaseManifest): void {
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
