/**
 * One release from main to prod, through the action as the workflows call it (run() with INPUT_* and the
 * runner's GITHUB_* variables), against fake-gcs-server (the real @google-cloud/storage client) and the GitHub
 * fake of packages/testkit (compare, deployments): release -> resolve (dev -> dev) -> publish -> record (the
 * state bucket's env/dev/release/running.json) -> verified -> resolve (dev -> staging) -> a mismatching
 * release is refused.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Storage } from "@google-cloud/storage";
import { FakeGitHub } from "@shopstream/testkit";
import { buildAll } from "@shopstream/udf";
import { type FakeGcs, startFakeGcs } from "./fake-gcs";

const repoRoot = join(__dirname, "../../..");
const work = mkdtempSync(join(tmpdir(), "release-flow-"));
const udfDir = join(work, "udf");
const RELEASES = "shopstream-test-releases";
const DEV = "shopstream-dev-udf";
const STAGING = "shopstream-staging-udf";
const STATE = "shopstream-test-tfstate";
const BROKEN_STATE = "shopstream-test-tfstate-broken";
const COMMIT = "c".repeat(40);
const IMAGE = `europe-west1-docker.pkg.dev/shop-admin-1/shopstream-images/reconciler@sha256:${"e".repeat(64)}`;
let run: () => Promise<void>;
let gcs: FakeGcs;
let storage: Storage;
const github = new FakeGitHub();

function outputs(): Record<string, string> {
  const text = readFileSync(process.env.GITHUB_OUTPUT!, "utf8");
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) out[m[1]!] = m[3]!;
  return out;
}

async function action(
  inputs: Record<string, string>,
): Promise<{ failed: boolean; outputs: Record<string, string>; log: string }> {
  for (const key of Object.keys(process.env)) if (key.startsWith("INPUT_")) delete process.env[key];
  for (const [k, v] of Object.entries({ "storage-endpoint": gcs.endpoint, project: "test", ...inputs }))
    process.env[`INPUT_${k.replace(/ /g, "_").toUpperCase()}`] = v;
  writeFileSync(process.env.GITHUB_OUTPUT!, "");
  const log: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => {
    log.push(String(c));
    return true;
  });
  process.exitCode = undefined;
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  const failed = process.exitCode === 1;
  process.exitCode = undefined;
  return { failed, outputs: outputs(), log: log.join("") };
}

beforeAll(async () => {
  gcs = await startFakeGcs();
  storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: "test" });
  for (const b of [RELEASES, DEV, STAGING, STATE, BROKEN_STATE]) await storage.createBucket(b);
  await buildAll(udfDir);
  await github.start();
  github.branches.set("main", ["b".repeat(40), COMMIT]);
  Object.assign(process.env, {
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
    GITHUB_SHA: COMMIT,
    GITHUB_RUN_ID: "42",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_OUTPUT: join(work, "output"),
    RUNNER_TEMP: work,
  });
  delete process.env.GITHUB_STEP_SUMMARY;
  // @actions/github reads GITHUB_API_URL when it is loaded, as on a runner where it is set before the start.
  ({ run } = await import("../src/main"));
}, 120_000);

afterAll(async () => {
  await gcs?.stop();
  await github.stop();
});

let releaseId = "";

it("mode release stores the bundles, the manifest and the commit's pointer once", async () => {
  const built = await action({
    mode: "release",
    "releases-bucket": RELEASES,
    region: "europe-west1",
    "template-version": "2026-08-18-00_RC00",
    "jobs-image": IMAGE,
    "udf-dir": udfDir,
    "build-command": "",
  });
  expect(built.log).not.toMatch(/::error::/);
  expect(built.failed).toBe(false);
  releaseId = built.outputs["release-id"]!;
  expect(releaseId).toMatch(/^[0-9a-f]{64}$/);
  const [manifest] = await storage.bucket(RELEASES).file(`releases/${releaseId}/release.json`).download();
  expect(JSON.parse(manifest.toString()).content.google_templates.version).toBe("2026-08-18-00_RC00");
  const [pointer] = await storage.bucket(RELEASES).file(`commits/${COMMIT}.json`).download();
  expect(JSON.parse(pointer.toString())).toEqual({ release_id: releaseId });

  // A re-run (another image digest: another build) keeps the commit's first release.
  const again = await action({
    mode: "release",
    "releases-bucket": RELEASES,
    region: "europe-west1",
    "template-version": "2026-08-18-00_RC00",
    "jobs-image": IMAGE.replace(/e{64}$/, "f".repeat(64)),
    "udf-dir": udfDir,
    "build-command": "",
  });
  expect(again.log).not.toMatch(/::error::/);
  expect(again.failed).toBe(false);
  expect(again.outputs["release-id"]).toBe(releaseId);
  expect(again.log).toMatch(/already has release [0-9a-f]{12} \(releases are built once\)/);
}, 120_000);

it("a release never pins latest", async () => {
  const r = await action({
    mode: "release",
    "releases-bucket": RELEASES,
    region: "europe-west1",
    "template-version": "latest",
    "jobs-image": IMAGE,
    "udf-dir": udfDir,
    "build-command": "",
  });
  expect(r.failed).toBe(true);
  expect(r.log).toMatch(/::error::template-version: "latest" must be a dated release folder/);
});

it("drift and pull-request plans: an environment with no recorded release yet resolves to none, with a notice, not a failure", async () => {
  const before = github.deployments.length;
  const none = await action({
    mode: "resolve",
    environment: "dev",
    "releases-bucket": RELEASES, // drift.yml and terraform-plan.yml pass it; resolve checks inputs first
    "state-bucket": STATE,
    "github-token": "t",
  });
  expect(none.log).not.toMatch(/::error::/);
  expect(none.failed).toBe(false);
  expect(none.outputs["release-id"]).toBe("");
  expect(none.outputs["release-commit"]).toBe("");
  expect(none.outputs["release-summary"]).toBe("no release recorded as running in dev yet");
  expect(none.log).toMatch(
    /::notice::no release recorded as running in dev yet .*environments\/dev\.tfvars as it is/,
  );
  expect(github.deployments.length).toBe(before); // read only

  const both = await action({
    mode: "resolve",
    environment: "dev",
    "source-environment": "dev",
    "target-environment": "staging",
    "github-token": "t",
  });
  expect(both.failed).toBe(true);
  expect(both.log).toMatch(/::error::mode resolve: give either environment .* not both/);
});

it("dev -> dev resolves this commit's release; publish copies its bundles and pins it; record says it runs in dev", async () => {
  const resolved = await action({
    mode: "resolve",
    "releases-bucket": RELEASES,
    "source-environment": "dev",
    "target-environment": "dev",
    "github-token": "t",
  });
  expect(resolved.log).not.toMatch(/::error::/);
  expect(resolved.failed).toBe(false);
  expect(resolved.outputs["release-id"]).toBe(releaseId);
  expect(resolved.outputs["release-commit"]).toBe(COMMIT);

  const tfvarsFile = join(work, "dev.tfvars.json");
  const cwd = process.cwd();
  process.chdir(repoRoot); // the checkout of the release's commit: its SQL and contract hashes are checked
  try {
    const published = await action({
      "release-id": releaseId,
      "releases-bucket": RELEASES,
      bucket: DEV,
      region: "europe-west1",
      "dry-run": "false",
      "tfvars-file": tfvarsFile,
    });
    expect(published.log).not.toMatch(/::error::/);
    expect(published.failed).toBe(false);
  } finally {
    process.chdir(cwd);
  }
  const tfvars = JSON.parse(readFileSync(tfvarsFile, "utf8")) as Record<string, unknown>;
  expect(tfvars).toMatchObject({
    dataflow_template_version: "2026-08-18-00_RC00",
    reconciler_image: IMAGE,
    release_id: releaseId,
    dataflow_jobs_enabled: true,
  });
  const manifest = JSON.parse(
    (await storage.bucket(RELEASES).file(`releases/${releaseId}/release.json`).download())[0].toString(),
  ) as { content: { udfs: Record<string, { sha256: string }> } };
  for (const [app, udf] of Object.entries(manifest.content.udfs)) {
    expect((tfvars.udfs as Record<string, { gcs_path: string }>)[app]!.gcs_path).toBe(
      `gs://${DEV}/${app}/${udf.sha256}/udf.js`,
    );
    const [exists] = await storage.bucket(DEV).file(`${app}/${udf.sha256}/udf.js`).exists();
    expect(exists).toBe(true);
  }

  const recorded = await action({
    mode: "record",
    environment: "dev",
    "release-id": releaseId,
    "releases-bucket": RELEASES,
    "state-bucket": STATE,
    "github-token": "t",
  });
  expect(recorded.log).not.toMatch(/::error::/);
  expect(recorded.failed).toBe(false);
  const [record] = await storage.bucket(STATE).file("env/dev/release/running.json").download();
  expect(JSON.parse(record.toString())).toEqual({
    release_id: releaseId,
    commit: COMMIT,
    deployed_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    run_url: "https://github.com/octo-org/shopstream/actions/runs/42",
  });
  // dev -> dev again: the gate's source-live-since is when dev got its release, verified or not (before: "",
  // so "never measured" could never fail for dev -> dev).
  const redeploy = await action({
    mode: "resolve",
    "releases-bucket": RELEASES,
    "state-bucket": STATE,
    "source-environment": "dev",
    "target-environment": "dev",
    "github-token": "t",
  });
  expect(redeploy.failed).toBe(false);
  expect(redeploy.outputs["source-deployed-at"]).toBe(
    (JSON.parse(record.toString()) as { deployed_at: string }).deployed_at,
  );
  // A record that cannot be read warns instead of blocking the dev -> dev that rewrites it.
  await storage.bucket(BROKEN_STATE).file("env/dev/release/running.json").save("{not json");
  const broken = await action({
    mode: "resolve",
    "releases-bucket": RELEASES,
    "state-bucket": BROKEN_STATE,
    "source-environment": "dev",
    "target-environment": "dev",
    "github-token": "t",
  });
  expect(broken.failed).toBe(false);
  expect(broken.outputs["release-id"]).toBe(releaseId);
  expect(broken.outputs["source-deployed-at"]).toBe("");
  expect(broken.log).toMatch(/::warning::cannot read the release recorded as running in dev .*is not JSON/);
  // Display only.
  expect(github.deployments.at(-1)).toMatchObject({
    environment: "dev",
    task: "deploy:release",
    payload: { release_id: releaseId },
  });

  // Not verified yet (the post-deploy test runs after the record): dev's release is not promoted further.
  const early = await action({
    mode: "resolve",
    "releases-bucket": RELEASES,
    "state-bucket": STATE,
    "source-environment": "dev",
    "target-environment": "staging",
    "github-token": "t",
  });
  expect(early.failed).toBe(true);
  expect(early.log).toMatch(
    /::error::release [0-9a-f]{12} runs in dev but its post-deploy integration test never passed/,
  );
  const verified = await action({
    mode: "verified",
    environment: "dev",
    "release-id": releaseId,
    "state-bucket": STATE,
  });
  expect(verified.log).not.toMatch(/::error::/);
  expect(verified.failed).toBe(false);
}, 120_000);

it("drift and pull-request plans resolve the release recorded as running in the environment", async () => {
  const inputs = { mode: "resolve", "releases-bucket": RELEASES, "state-bucket": STATE };
  const running = await action({ ...inputs, environment: "dev", "github-token": "t" });
  expect(running.log).not.toMatch(/::error::/);
  expect(running.failed).toBe(false);
  expect(running.outputs["release-id"]).toBe(releaseId);
  expect(running.outputs["release-commit"]).toBe(COMMIT);
  expect(running.outputs["source-deployed-at"]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  expect(running.outputs["release-summary"]).toMatch(
    new RegExp(`^release ${releaseId.slice(0, 12)} \\(commit ${COMMIT.slice(0, 12)}, deployed `),
  );
  // Another environment's record is not this one's.
  const staging = await action({ ...inputs, environment: "staging", "github-token": "t" });
  expect(staging.failed).toBe(false);
  expect(staging.outputs["release-id"]).toBe("");
  // A record is checked against main before it is used: that takes the token.
  const noToken = await action({ ...inputs, environment: "dev" });
  expect(noToken.failed).toBe(true);
  expect(noToken.log).toMatch(/::error::github-token: required in mode resolve \(contents: read/);
});

it("dev -> staging carries dev's release and reports when dev got it; another release is refused", async () => {
  const resolved = await action({
    mode: "resolve",
    "releases-bucket": RELEASES,
    "state-bucket": STATE,
    "source-environment": "dev",
    "target-environment": "staging",
    "github-token": "t",
  });
  expect(resolved.log).not.toMatch(/::error::/);
  expect(resolved.failed).toBe(false);
  expect(resolved.outputs["release-id"]).toBe(releaseId);
  expect(resolved.outputs["source-deployed-at"]).toMatch(/^\d{4}-\d{2}-\d{2}T/);

  const other = "9".repeat(64);
  const refused = await action({
    mode: "resolve",
    "releases-bucket": RELEASES,
    "state-bucket": STATE,
    "source-environment": "dev",
    "target-environment": "staging",
    "release-id": other,
    "github-token": "t",
  });
  expect(refused.failed).toBe(true);
  expect(refused.log).toMatch(/::error::release-mismatch: release 999999999999 is not what runs in dev/);

  const fromStaging = await action({
    mode: "resolve",
    "releases-bucket": RELEASES,
    "state-bucket": STATE,
    "source-environment": "staging",
    "target-environment": "prod",
    "github-token": "t",
  });
  expect(fromStaging.failed).toBe(true);
  expect(fromStaging.log).toMatch(/::error::nothing recorded as running in staging/);
}, 120_000);

it("a checkout that is not the release's commit is refused before anything is planned", async () => {
  const other = mkdtempSync(join(tmpdir(), "other-checkout-"));
  const { cpSync, appendFileSync } = await import("node:fs");
  cpSync(join(repoRoot, "apps/analytics/sql"), join(other, "apps/analytics/sql"), { recursive: true });
  cpSync(join(repoRoot, "packages/events/generated"), join(other, "packages/events/generated"), {
    recursive: true,
  });
  appendFileSync(join(other, "apps/analytics/sql/deduped_events.sql"), "\n-- changed\n");
  const cwd = process.cwd();
  process.chdir(other);
  try {
    const r = await action({
      "release-id": releaseId,
      "releases-bucket": RELEASES,
      bucket: STAGING,
      region: "europe-west1",
      "dry-run": "true",
    });
    expect(r.failed).toBe(true);
    expect(r.log).toMatch(/::error::the checkout is not release [0-9a-f]{12}/);

    // A pull-request plan plans its own SQL against the running release: the difference is a notice.
    const tfvarsFile = join(work, "pull-request.tfvars.json");
    const pr = await action({
      "release-id": releaseId,
      "releases-bucket": RELEASES,
      "require-release-checkout": "false",
      bucket: STAGING,
      region: "europe-west1",
      "dry-run": "true",
      "tfvars-file": tfvarsFile,
    });
    expect(pr.log).not.toMatch(/::error::/);
    expect(pr.failed).toBe(false);
    expect(pr.log).toMatch(
      /::notice::this checkout's SQL or contract schemas differ from release [0-9a-f]{12} .*apps\/analytics\/sql differs from release [0-9a-f]{12}: apps\/analytics\/sql\/deduped_events\.sql/s,
    );
    expect(JSON.parse(readFileSync(tfvarsFile, "utf8"))).toMatchObject({
      dataflow_template_version: "2026-08-18-00_RC00",
      reconciler_image: IMAGE,
      release_id: releaseId,
    });
  } finally {
    process.chdir(cwd);
  }
}, 120_000);
