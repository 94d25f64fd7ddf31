/**
 * What runs where, authoritatively (ADR 0002): one object per environment under that environment's prefix of
 * the Terraform state bucket, `env/<env>/release/running.json`. terraform/bootstrap/iam.tf grants
 * `roles/storage.objectUser` on objects under `env/<env>/` to that environment's deploy identity only
 * (deploy_state, condition state_prefix_condition) and `roles/storage.objectViewer` there to its plan identity
 * (plan_state), so only an apply in the <env> GitHub environment can write the record, and its plans read it.
 * GitHub deployments are display only: any collaborator with write access, and any workflow with
 * `deployments: write` (a same-repository pull request's own workflow included), can create one, and
 * deployments created through the API bypass environment protection rules (github/branch-deploy#388).
 *
 * The record is still checked before anything runs from it: its commit must be 40 hex, the release
 * manifest's provenance commit (the manifest is stored write-once by the release identity and hash-checked),
 * and an ancestor of main (GitHub "Compare two commits": status `ahead` or `identical` with main as head).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Bucket } from "@google-cloud/storage";
import type { Octokit, Repo } from "./github";
import { type ReleaseManifest, shortId } from "./release";

const RELEASE_ID = /^[0-9a-f]{64}$/;
const COMMIT = /^[0-9a-f]{40}$/;

/** The record's object in the state bucket: under `env/<env>/`, the prefix bootstrap's grants are scoped to. */
export const recordObject = (environment: string) => `env/${environment}/release/running.json`;

export interface RunningRecord {
  release_id: string;
  commit: string;
  /** When the release's apply succeeded there, RFC 3339. */
  deployed_at: string;
  /** The promotion run that applied it. */
  run_url: string;
  /** Set once the post-deploy integration test passed for this release there (RFC 3339). */
  verified_at?: string;
  /** The run whose integration test verified it. */
  verified_run_url?: string;
}

/** The running release of an environment, as the promotion and the plans use it. */
export interface EnvironmentRelease {
  releaseId: string;
  commit: string;
  deployedAt: string;
  runUrl: string;
  verifiedAt?: string;
}

/**
 * The state bucket of `environment`: `bucket` of terraform/environments/<env>.backend.hcl in `root` (the file
 * every plan and apply initialises its backend with), unless given.
 */
export function stateBucketOf(environment: string, root: string, given = ""): string {
  if (given.trim()) return given.trim();
  const file = join(root, "terraform", "environments", `${environment}.backend.hcl`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(
      `cannot find the state bucket of ${environment}: ${file} is unreadable (${(error as Error).message}); give the action's state-bucket input`,
    );
  }
  const bucket = /^\s*bucket\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  if (!bucket) throw new Error(`${file} has no bucket = "..." line; give the action's state-bucket input`);
  return bucket;
}

function validateRecord(value: unknown, where: string): RunningRecord {
  const r = (value ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof r.release_id !== "string" || !RELEASE_ID.test(r.release_id))
    problems.push("release_id: must be 64 hex");
  if (typeof r.commit !== "string" || !COMMIT.test(r.commit))
    problems.push(`commit: must be a 40-hex commit, got ${JSON.stringify(r.commit)}`);
  for (const k of ["deployed_at", "run_url"])
    if (typeof r[k] !== "string" || !r[k]) problems.push(`${k}: required`);
  if (problems.length)
    throw new Error(
      `${where} is not a release record (${problems.join("; ")}): it was not written by dataflow-template mode record. Run a promotion to this environment to record what runs there`,
    );
  return r as unknown as RunningRecord;
}

/** The record of `environment`, or undefined when no promotion reached it yet. */
export async function readRecord(bucket: Bucket, environment: string): Promise<RunningRecord | undefined> {
  const where = `gs://${bucket.name}/${recordObject(environment)}`;
  const file = bucket.file(recordObject(environment));
  let bytes: Buffer;
  try {
    const [exists] = await file.exists();
    if (!exists) return undefined;
    [bytes] = await file.download();
  } catch (error) {
    throw new Error(
      `could not read ${where} (the ${environment}-plan or ${environment} identity reads objects under env/${environment}/ of the state bucket, terraform/bootstrap/iam.tf): ${(error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new Error(`${where} is not JSON (${(error as Error).message})`);
  }
  return validateRecord(parsed, where);
}

async function writeRecord(bucket: Bucket, environment: string, record: RunningRecord): Promise<void> {
  await bucket.file(recordObject(environment)).save(`${JSON.stringify(record, null, 2)}\n`, {
    resumable: false,
    contentType: "application/json",
  });
}

/** Records `release` as running in `environment` (after a successful apply); not verified yet. */
export async function recordRunning(
  bucket: Bucket,
  environment: string,
  release: ReleaseManifest,
  runUrl: string,
  now = new Date(),
): Promise<RunningRecord> {
  const record: RunningRecord = {
    release_id: release.id,
    commit: release.provenance.commit,
    deployed_at: now.toISOString(),
    run_url: runUrl,
  };
  try {
    await writeRecord(bucket, environment, record);
  } catch (error) {
    throw new Error(
      `could not record release ${shortId(release.id)} as running in ${environment} (gs://${bucket.name}/${recordObject(environment)}; only the ${environment} deploy identity may write under env/${environment}/). The apply itself succeeded: run the promotion again (its plan is empty) to record it. ${(error as Error).message}`,
    );
  }
  return record;
}

/** Marks the running release of `environment` verified (its post-deploy integration test passed). */
export async function markVerified(
  bucket: Bucket,
  environment: string,
  releaseId: string,
  runUrl: string,
  now = new Date(),
): Promise<RunningRecord> {
  const current = await readRecord(bucket, environment);
  if (!current || current.release_id !== releaseId)
    throw new Error(
      `cannot mark release ${shortId(releaseId)} verified in ${environment}: the record there names ${current ? `release ${shortId(current.release_id)}` : "no release"} (another promotion recorded since?). Run the promotion again`,
    );
  const record = { ...current, verified_at: now.toISOString(), verified_run_url: runUrl };
  await writeRecord(bucket, environment, record);
  return record;
}

/** Whether `commit` is main or an ancestor of it (GitHub "Compare two commits", base commit, head main). */
export async function isAncestorOfMain(octokit: Octokit, repo: Repo, commit: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${commit}...main`,
      per_page: 1,
    });
    return data.status === "ahead" || data.status === "identical";
  } catch (error) {
    // 404: no common history (a commit of another repository or a deleted branch) -- not on main.
    if ((error as { status?: number }).status === 404) return false;
    throw new Error(
      `could not compare ${commit} with main (GET /repos/${repo.owner}/${repo.repo}/compare/${commit}...main; contents: read): ${(error as Error).message}`,
    );
  }
}

/**
 * Checks a record against its release manifest and main before anything is checked out or run from it;
 * refuses, with what to do, otherwise.
 */
export async function checkedRelease(args: {
  environment: string;
  record: RunningRecord;
  manifest: ReleaseManifest;
  onMain: (commit: string) => Promise<boolean>;
}): Promise<EnvironmentRelease> {
  const { environment, record, manifest } = args;
  const where = `the record of ${environment} (${recordObject(environment)})`;
  if (record.commit !== manifest.provenance.commit)
    throw new Error(
      `${where} names commit ${record.commit} for release ${shortId(record.release_id)}, whose manifest was built from ${manifest.provenance.commit}: refusing to check out or run either. Someone wrote the record by hand; promote the release to ${environment} again to rewrite it`,
    );
  if (!(await args.onMain(record.commit)))
    throw new Error(
      `${where}: commit ${record.commit} of release ${shortId(record.release_id)} is not on main (GitHub compare): releases are built from main only. Refusing it; promote a release of main to ${environment} to rewrite the record`,
    );
  return {
    releaseId: record.release_id,
    commit: record.commit,
    deployedAt: record.deployed_at,
    runUrl: record.run_url,
    ...(record.verified_at ? { verifiedAt: record.verified_at } : {}),
  };
}
