/**
 * The work of the dataflow-template action, free of @actions/core so that it is testable as is: build and
 * test the UDF bundles, upload each to GCS under its content hash (only when absent), return the launch
 * parameters. In dry-run mode nothing is uploaded.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { type Bucket, Storage } from "@google-cloud/storage";
import type { InputGetter } from "@shopstream/action-kit";
import { RELEASE_UDF_PREFIX, type ReleaseManifest } from "@shopstream/release";
import { goldenCases, type ManifestEntry, referenceOutcome, udfSpec } from "@shopstream/transforms";
import { loadUdfInVm } from "@shopstream/udf";
import { type Inputs, readInputs } from "./inputs";

export interface UdfResult {
  app: string;
  sha256: string;
  gcs_path: string;
  function_name: string;
  template_gcs_path: string;
  /** "uploaded", "exists" (already there: nothing to do) or "would-upload" (dry run). */
  status: "uploaded" | "exists" | "would-upload";
  parameters: Record<string, string>;
}

export interface RunDeps {
  /** Reads one input by name ("" when unset). */
  read: InputGetter;
  /** Working directory of the build command and of a relative udf-dir. */
  cwd?: string;
  log: (line: string) => void;
}

/**
 * The tfvars JSON that makes the plan use these bundles: `udfs` (the root variable's shape) and
 * `dataflow_jobs_enabled = true` (published bundles are what the jobs wait for). It is passed to
 * terraform-plan's var-files AFTER environments/<env>.tfvars, so it wins (TF_VAR_udfs would not).
 * In dry-run mode nothing is uploaded yet, so `verify_udf_objects = false` stops the plan from refusing the
 * bundles it is about to publish: the promotion's apply job runs this action for real (failing when an
 * upload is missing or an existing object differs) right before it applies that plan.
 */
export function tfvarsOf(
  results: readonly UdfResult[],
  dryRun: boolean,
): {
  udfs: Record<string, { gcs_path: string; function_name: string }>;
  dataflow_jobs_enabled: boolean;
  verify_udf_objects: boolean;
} {
  return {
    udfs: Object.fromEntries(
      results.map((r) => [r.app, { gcs_path: r.gcs_path, function_name: r.function_name }]),
    ),
    dataflow_jobs_enabled: true,
    verify_udf_objects: !dryRun,
  };
}

export function objectName(inputs: Pick<Inputs, "prefix">, app: string, sha256: string): string {
  return [inputs.prefix, app, sha256, "udf.js"].filter(Boolean).join("/");
}

function loadManifest(dir: string): ManifestEntry[] {
  const file = join(dir, "manifest.json");
  if (!existsSync(file)) {
    throw new Error(
      `${file} not found: build the bundles first (build-command, default "npx tsx tools/udf/src/cli.ts build") or point udf-dir at them`,
    );
  }
  return JSON.parse(readFileSync(file, "utf8")) as ManifestEntry[];
}

/**
 * The bundle must hash to its manifest entry and match the TypeScript transform on every golden case (run in a
 * bare vm context). ES5 verification is done by the builder (tools/udf, TypeScript parser), which the
 * build-command runs: the action does not bundle the TypeScript compiler.
 */
export function testBundle(app: string, code: string, entry: ManifestEntry): string {
  const sha256 = createHash("sha256").update(code, "utf8").digest("hex");
  if (sha256 !== entry.sha256)
    throw new Error(`${entry.file}: sha256 ${sha256} differs from manifest ${entry.sha256}`);
  const udf = loadUdfInVm(code, entry.file);
  const failures: string[] = [];
  for (const c of goldenCases()) {
    const got = udf.call("transformAt", c.payload, c.nowMs);
    const want = referenceOutcome(app, c.payload, c.nowMs);
    if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(c.name);
  }
  if (failures.length)
    throw new Error(`${entry.file} differs from the ${app} transform on: ${failures.join("; ")}`);
  return sha256;
}

export async function publishUdfs(deps: RunDeps): Promise<UdfResult[]> {
  const { read, log } = deps;
  const cwd = deps.cwd ?? process.cwd();
  const inputs = readInputs(read);

  if (inputs.buildCommand) {
    log(`building UDF bundles: ${inputs.buildCommand}`);
    const built = spawnSync("bash", ["-c", inputs.buildCommand], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
    if (built.stdout) log(built.stdout.trimEnd());
    if (built.status !== 0) {
      throw new Error(
        `build-command failed (exit ${built.status}); did the workflow run npm ci?\n${built.stderr}`,
      );
    }
  }
  const udfDir = isAbsolute(inputs.udfDir) ? inputs.udfDir : join(cwd, inputs.udfDir);
  const manifest = loadManifest(udfDir);

  const storage = new Storage({
    ...(inputs.project ? { projectId: inputs.project } : {}),
    ...(inputs.storageEndpoint ? { apiEndpoint: inputs.storageEndpoint } : {}),
    retryOptions: { autoRetry: true, maxRetries: 5 },
  });
  const bucket = storage.bucket(inputs.bucket);
  const results: UdfResult[] = [];

  for (const app of inputs.apps) {
    const spec = udfSpec(app);
    const entry = manifest.find((m) => m.app === app);
    if (!entry) throw new Error(`${udfDir}/manifest.json has no bundle for ${app}`);
    const code = readFileSync(join(udfDir, entry.file), "utf8");
    const sha256 = testBundle(app, code, entry);
    log(`${app}: ${entry.file} passed ES5 and golden parity checks (sha256 ${sha256})`);

    const name = objectName(inputs, app, sha256);
    const gcsPath = `gs://${inputs.bucket}/${name}`;
    const file = bucket.file(name);
    const [exists] = await file.exists();
    let status: UdfResult["status"];
    if (exists) {
      // Content-addressed, so an existing object must hold exactly these bytes: anyone who could write the
      // bucket before us could otherwise plant code under the hash that the plan is about to launch.
      const [stored] = await file.download();
      const storedSha = createHash("sha256").update(stored).digest("hex");
      if (storedSha !== sha256) {
        throw new Error(
          `${gcsPath} exists but holds different bytes (sha256 ${storedSha}); it was not written by this action. Find out who wrote it (Cloud Audit Logs), delete it, and run again`,
        );
      }
      status = "exists";
    } else if (inputs.dryRun) status = "would-upload";
    else {
      await file.save(code, {
        resumable: false,
        contentType: "application/javascript; charset=utf-8",
        // Content-addressed: never overwrite (a concurrent run uploading the same bytes is fine).
        preconditionOpts: { ifGenerationMatch: 0 },
        metadata: { cacheControl: "no-cache", metadata: { app, sha256, template: spec.template } },
      });
      status = "uploaded";
    }
    log(`${app}: ${gcsPath} ${status}`);
    const parameters: Record<string, string> = {
      javascriptTextTransformGcsPath: gcsPath,
      javascriptTextTransformFunctionName: entry.functionName,
      ...(inputs.appParameters[app] ?? {}),
    };
    results.push({
      app,
      sha256,
      gcs_path: gcsPath,
      function_name: entry.functionName,
      template_gcs_path: `gs://dataflow-templates-${inputs.region}/${inputs.templateVersion}/flex/${spec.template}`,
      status,
      parameters,
    });
  }
  return results;
}

/**
 * Downloads a release's bundles into `dir` with the manifest.json a publish expects (the same shape the
 * UDF builder writes), so that publishing them into an environment's bucket re-checks each hash and the
 * golden parity.
 */
export async function downloadReleaseUdfs(
  bucket: Bucket,
  release: ReleaseManifest,
  dir: string,
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const entries: ManifestEntry[] = [];
  for (const [app, udf] of Object.entries(release.content.udfs)) {
    const name = `${RELEASE_UDF_PREFIX}/${app}/${udf.sha256}/udf.js`;
    const [bytes] = await bucket.file(name).download();
    const file = `${app}.js`;
    writeFileSync(join(dir, file), bytes);
    entries.push({
      app,
      file,
      sha256: udf.sha256,
      functionName: udf.function_name,
      template: udfSpec(app).template,
    });
  }
  writeFileSync(join(dir, "manifest.json"), `${JSON.stringify(entries, null, 2)}\n`);
  return dir;
}
