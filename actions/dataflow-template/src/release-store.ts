/**
 * The releases bucket (bootstrap `releases_bucket_name`): write-once objects, written only by the release
 * identity from the release workflow on main, read by every environment's plan and deploy identities.
 *   udfs/<app>/<sha256>/udf.js        the bundles (content-addressed, as in every UDF bucket)
 *   releases/<id>/release.json        the manifest (ID = SHA-256 of its content)
 *   commits/<commit>.json             {"release_id": ...}: the release built from a commit of main
 * Every write uses `ifGenerationMatch: 0` (create only); the bucket's retention policy keeps objects from
 * being deleted or replaced for its period.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Bucket } from "@google-cloud/storage";
import { type ManifestEntry, udfSpec } from "@shopstream/transforms";
import {
  commitPointerObject,
  type ReleaseManifest,
  releaseObject,
  shortId,
  validateRelease,
} from "./release";

/** Prefix of the bundles in the releases bucket (the `prefix` input of a publish into it). */
export const RELEASE_UDF_PREFIX = "udfs";

function isPreconditionFailed(error: unknown): boolean {
  return (error as { code?: number }).code === 412;
}

/** Creates `name` with `text` unless it exists; returns false when it already existed. */
async function createOnce(bucket: Bucket, name: string, text: string): Promise<boolean> {
  try {
    await bucket.file(name).save(text, {
      resumable: false,
      contentType: "application/json",
      preconditionOpts: { ifGenerationMatch: 0 },
    });
    return true;
  } catch (error) {
    if (isPreconditionFailed(error)) return false;
    throw error;
  }
}

async function readJson(bucket: Bucket, name: string): Promise<unknown | undefined> {
  const file = bucket.file(name);
  const [exists] = await file.exists();
  if (!exists) return undefined;
  const [bytes] = await file.download();
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch (error) {
    throw new Error(`gs://${bucket.name}/${name} is not JSON (${(error as Error).message})`);
  }
}

/** The release built from `commit`, or undefined when the release workflow has not built one (yet). */
export async function releaseOfCommit(bucket: Bucket, commit: string): Promise<string | undefined> {
  const pointer = (await readJson(bucket, commitPointerObject(commit))) as
    | { release_id?: unknown }
    | undefined;
  if (pointer === undefined) return undefined;
  if (typeof pointer.release_id !== "string")
    throw new Error(`gs://${bucket.name}/${commitPointerObject(commit)} has no release_id`);
  return pointer.release_id;
}

/** Reads and validates a release; refuses a manifest stored under another ID. */
export async function readRelease(bucket: Bucket, id: string): Promise<ReleaseManifest> {
  const where = `gs://${bucket.name}/${releaseObject(id)}`;
  const value = await readJson(bucket, releaseObject(id));
  if (value === undefined)
    throw new Error(
      `${where} does not exist: no such release (was it built by .github/workflows/release.yml in this repository's releases bucket?)`,
    );
  const release = validateRelease(value, where);
  if (release.id !== id)
    throw new Error(`${where} holds release ${release.id}, not ${id}: the bucket was tampered with`);
  return release;
}

/**
 * Stores a new release: the manifest (create only; the same content built again keeps the first manifest)
 * and the commit's pointer. A commit has one release: when its pointer already names another release (a
 * re-run pushed another image digest), the first one stands and is returned.
 */
export async function storeRelease(
  bucket: Bucket,
  release: ReleaseManifest,
  log: (line: string) => void,
): Promise<{ release: ReleaseManifest; created: boolean }> {
  const existing = await releaseOfCommit(bucket, release.provenance.commit);
  if (existing && existing !== release.id) {
    log(
      `commit ${release.provenance.commit} already has release ${shortId(existing)} (releases are built once); this build (${shortId(release.id)}) is not stored`,
    );
    return { release: await readRelease(bucket, existing), created: false };
  }
  const created = await createOnce(
    bucket,
    releaseObject(release.id),
    `${JSON.stringify(release, null, 2)}\n`,
  );
  const stored = created ? release : await readRelease(bucket, release.id);
  await createOnce(
    bucket,
    commitPointerObject(release.provenance.commit),
    `${JSON.stringify({ release_id: release.id })}\n`,
  );
  log(
    `release ${shortId(release.id)}: gs://${bucket.name}/${releaseObject(release.id)} ${created ? "created" : "exists"}`,
  );
  return { release: stored, created };
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
