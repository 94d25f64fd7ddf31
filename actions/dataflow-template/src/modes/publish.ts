/**
 * mode publish (the default): the UDF bundles into this environment's bucket and the var file Terraform reads.
 * Without `release-id`, the bundles the build command makes from the checkout; with it, exactly that release
 * (its bundles copied by hash, its pins in the var file).
 */
import { join } from "node:path";
import * as core from "@actions/core";
import { readInputs as readTable } from "@shopstream/action-kit";
import { checkTreeMatches, readRelease, shortId, treeDifferences } from "@shopstream/release";
import { isDryRun, required, storageOf, tfvarsPath } from "../context";
import { INPUTS } from "../inputs";
import { downloadReleaseUdfs, publishUdfs } from "../publish";
import { releaseLine, report } from "../report";

export async function publishMode(): Promise<void> {
  const releaseId = core.getInput("release-id").trim();
  if (releaseId) return publishRelease(releaseId);
  const results = await publishUdfs({
    read: (name) => core.getInput(name),
    log: (line) => core.info(line),
  });
  await report(results, isDryRun(), tfvarsPath());
}

/** The release's bundles into this environment's bucket, its pins in the var file. */
async function publishRelease(id: string): Promise<void> {
  const bucket = storageOf(core.getInput).bucket(required("releases-bucket", "with release-id"));
  const release = await readRelease(bucket, id);
  const { requireReleaseCheckout } = readTable(
    { "require-release-checkout": INPUTS["require-release-checkout"] },
    core.getInput,
  );
  if (!requireReleaseCheckout) {
    // A pull-request plan: its own Terraform, SQL and schemas against the release running in the environment.
    const differences = treeDifferences(release, process.cwd());
    if (differences.length)
      core.notice(
        `this checkout's SQL or contract schemas differ from ${releaseLine(release)}; the plan shows the checkout's:\n${differences.join("\n")}`,
      );
  } else checkTreeMatches(release, process.cwd());
  const dir = await downloadReleaseUdfs(
    bucket,
    release,
    join(process.env.RUNNER_TEMP || process.cwd(), `release-${shortId(id)}`),
  );
  const overrides: Record<string, string> = {
    "udf-dir": dir,
    "build-command": "",
    "template-version": release.content.google_templates.version,
  };
  const read = (name: string) => overrides[name] ?? core.getInput(name);
  const results = await publishUdfs({ read, log: (line) => core.info(line) });
  await report(results, isDryRun(), tfvarsPath(), release);
}
