/** mode release: bundles into the releases bucket, then the manifest and the commit's pointer, once. */
import * as core from "@actions/core";
import { buildRelease, DATED_TEMPLATE_VERSION, RELEASE_UDF_PREFIX, storeRelease } from "@shopstream/release";
import { required, storageOf } from "../context";
import { publishUdfs } from "../publish";
import { releaseOutputs, summarizeRelease } from "../report";

export async function releaseMode(): Promise<void> {
  const bucketName = required("releases-bucket", "in mode release (bootstrap output releases_bucket_name)");
  const templateVersion = required("template-version", "in mode release: a dated Google template folder");
  if (!DATED_TEMPLATE_VERSION.test(templateVersion))
    throw new Error(
      `template-version: "${templateVersion}" must be a dated release folder like 2026-08-18-00_RC00 (a release never pins latest)`,
    );
  const jobsImage = required("jobs-image", "in mode release: the jobs image pinned by digest");
  const overrides: Record<string, string> = {
    bucket: bucketName,
    prefix: RELEASE_UDF_PREFIX,
    "dry-run": "false",
  };
  const results = await publishUdfs({
    read: (name) => overrides[name] ?? core.getInput(name),
    log: (line) => core.info(line),
  });
  const release = buildRelease({
    templateVersion,
    udfs: Object.fromEntries(
      results.map((r) => [r.app, { sha256: r.sha256, function_name: r.function_name }]),
    ),
    root: process.cwd(),
    jobsImage,
    provenance: {
      commit: process.env.GITHUB_SHA ?? "",
      repository: process.env.GITHUB_REPOSITORY ?? "",
      run_id: process.env.GITHUB_RUN_ID ?? "",
      built_at: new Date().toISOString(),
    },
  });
  const stored = await storeRelease(storageOf(core.getInput).bucket(bucketName), release, (l) =>
    core.info(l),
  );
  releaseOutputs(stored.release);
  summarizeRelease(stored.release);
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.write();
}
