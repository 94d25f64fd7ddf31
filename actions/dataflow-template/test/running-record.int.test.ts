/**
 * The authoritative record of what runs where (@shopstream/release, packages/release/src/running-record.ts) against fake-gcs-server (the real
 * @google-cloud/storage client; its own process on a free port, not the shared stack) and the GitHub fake's
 * "Compare two commits": a record is refused before anything is checked out or run from it unless its commit
 * is 40 hex, the manifest's provenance commit and on main.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getOctokit } from "@actions/github";
import { Storage } from "@google-cloud/storage";
import {
  buildRelease,
  checkedRelease,
  isAncestorOfMain,
  markVerified,
  readRecord,
  recordObject,
  recordRunning,
  releaseToPromote,
  stateBucketOf,
} from "@shopstream/release";
import { FakeGitHub } from "@shopstream/testkit";
import { type FakeGcs, startFakeGcs } from "./fake-gcs";

const STATE = "admin-shopstream-tfstate";
const OLD = "0".repeat(40);
const COMMIT = "1".repeat(40);
const HEAD = "2".repeat(40);
const PR_HEAD = "7".repeat(40);
const repo = { owner: "octo-org", repo: "shopstream" };
const github = new FakeGitHub();
let gcs: FakeGcs;
let storage: Storage;
let octokit: ReturnType<typeof getOctokit>;

function release(commit = COMMIT) {
  const root = mkdtempSync(join(tmpdir(), "record-tree-"));
  mkdirSync(join(root, "apps/analytics/sql"), { recursive: true });
  mkdirSync(join(root, "packages/events/generated"), { recursive: true });
  writeFileSync(join(root, "apps/analytics/sql/deduped_events.sql"), "SELECT 2;\n");
  writeFileSync(join(root, "packages/events/generated/shop-event.avsc"), "{}\n");
  return buildRelease({
    templateVersion: "2026-08-18-00_RC00",
    udfs: {
      ingestion: { sha256: "a".repeat(64), function_name: "transform" },
      analytics: { sha256: "b".repeat(64), function_name: "transform" },
    },
    root,
    jobsImage: `europe-west1-docker.pkg.dev/shop-tools-1/jobs/reconciler@sha256:${"e".repeat(64)}`,
    provenance: { commit, repository: "octo-org/shopstream", run_id: "7", built_at: "2026-11-30T05:00:00Z" },
  });
}

beforeAll(async () => {
  gcs = await startFakeGcs();
  storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: "test" });
  await storage.createBucket(STATE);
  await github.start();
  octokit = getOctokit("t", { baseUrl: github.url });
  github.branches.set("main", [OLD, COMMIT, HEAD]);
  github.branches.set("feature", [OLD, PR_HEAD]);
}, 60_000);
afterAll(async () => {
  await gcs?.stop();
  await github.stop();
});
beforeEach(async () => {
  await storage.bucket(STATE).deleteFiles({ prefix: "env/" });
});

const onMain = (commit: string) => isAncestorOfMain(octokit, repo, commit);
const bucket = () => storage.bucket(STATE);

it("lives under the environment's state prefix, the one bootstrap grants its deploy identity alone", () => {
  // terraform/bootstrap/iam.tf state_prefix_condition: objects under env/<env>/ only.
  expect(recordObject("prod")).toBe("env/prod/release/running.json");
  expect(stateBucketOf("dev", join(__dirname, "../../.."))).toBe("your-admin-project-id-shopstream-tfstate");
  expect(stateBucketOf("dev", "/nonexistent", " given ")).toBe("given");
  expect(() => stateBucketOf("dev", "/nonexistent")).toThrow(/give the action's state-bucket input/);
});

it("an apply's record reads back, checked against its manifest and main; verified only after the test", async () => {
  const r = release();
  await recordRunning(bucket(), "dev", r, "https://github.com/o/r/actions/runs/1");
  expect(await readRecord(bucket(), "staging")).toBeUndefined();
  const record = (await readRecord(bucket(), "dev"))!;
  expect(record).toEqual({
    release_id: r.id,
    commit: COMMIT,
    deployed_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    run_url: "https://github.com/o/r/actions/runs/1",
  });
  const running = await checkedRelease({ environment: "dev", record, manifest: r, onMain });
  expect(running).toMatchObject({ releaseId: r.id, commit: COMMIT });
  expect(running.verifiedAt).toBeUndefined();
  // An unverified release is not promoted further (its post-deploy test failed or never ran).
  expect(() =>
    releaseToPromote({ source: "dev", target: "staging", requested: "", sourceRelease: running }),
  ).toThrow(/post-deploy integration test never passed there \(no verified mark/);

  await markVerified(bucket(), "dev", r.id, "https://github.com/o/r/actions/runs/1");
  const verified = await checkedRelease({
    environment: "dev",
    record: (await readRecord(bucket(), "dev"))!,
    manifest: r,
    onMain,
  });
  expect(verified.verifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  expect(releaseToPromote({ source: "dev", target: "staging", requested: "", sourceRelease: verified })).toBe(
    r.id,
  );
  // The mark belongs to the release it verified: another release recorded since is not verified by it.
  await expect(markVerified(bucket(), "dev", "9".repeat(64), "u")).rejects.toThrow(
    /cannot mark release 999999999999 verified in dev: the record there names release/,
  );
}, 30_000);

it("a forged record naming a pull request's ref is refused, whatever GitHub deployments say", async () => {
  const r = release();
  await bucket()
    .file(recordObject("prod"))
    .save(
      JSON.stringify({
        release_id: r.id,
        commit: "refs/pull/7/head",
        deployed_at: "2026-01-01T00:00:00Z",
        run_url: "u",
      }),
    );
  await expect(readRecord(bucket(), "prod")).rejects.toThrow(
    /not a release record \(commit: must be a 40-hex commit, got "refs\/pull\/7\/head"\)/,
  );
});

it("a record whose commit is not the manifest's, or not on main, is refused", async () => {
  const r = release();
  const record = { release_id: r.id, commit: PR_HEAD, deployed_at: "2026-01-01T00:00:00Z", run_url: "u" };
  await expect(checkedRelease({ environment: "prod", record, manifest: r, onMain })).rejects.toThrow(
    /names commit 7{40} for release [0-9a-f]{12}, whose manifest was built from 1{40}: refusing/,
  );
  // Even a manifest of a commit off main (it cannot be built by release.yml, which runs on main only).
  const offMain = release(PR_HEAD);
  await expect(
    checkedRelease({
      environment: "prod",
      record: { ...record, release_id: offMain.id },
      manifest: offMain,
      onMain,
    }),
  ).rejects.toThrow(/commit 7{40} of release [0-9a-f]{12} is not on main \(GitHub compare\)/);
  expect(await onMain(COMMIT)).toBe(true);
  expect(await onMain(HEAD)).toBe(true);
  expect(await onMain(PR_HEAD)).toBe(false);
  expect(await onMain("3".repeat(40))).toBe(false); // unknown to the repository: 404
});

it("a record that cannot be written says to run the promotion again, not to re-run the apply job", async () => {
  await expect(recordRunning(storage.bucket("no-such-bucket"), "dev", release(), "u")).rejects.toThrow(
    /could not record release [0-9a-f]{12} as running in dev .*The apply itself succeeded: run the promotion again \(its plan is empty\) to record it/,
  );
});
