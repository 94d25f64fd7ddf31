import { getOctokit } from "@actions/github";
import { FakeGitHub } from "@shopstream/testkit";
import { RELEASE_TASK, recordRelease, releaseToPromote, successfulReleases } from "../src/deployments";
import type { EnvironmentRelease } from "../src/running-record";

const A = "a".repeat(64);
const B = "b".repeat(64);
const fake = new FakeGitHub();
let octokit: ReturnType<typeof getOctokit>;
const repo = { owner: "octo-org", repo: "shopstream" };

beforeAll(async () => {
  await fake.start();
  octokit = getOctokit("token", { baseUrl: fake.url });
});
afterAll(() => fake.stop());

const running = (releaseId: string, verified = true): EnvironmentRelease => ({
  releaseId,
  commit: "1".repeat(40),
  deployedAt: "2026-11-29T10:00:00.000Z",
  runUrl: "https://github.com/o/r/actions/runs/1",
  ...(verified ? { verifiedAt: "2026-11-29T10:20:00.000Z" } : {}),
});

it("shows the release on GitHub as a deployment of the environment (display only)", async () => {
  await recordRelease(octokit, repo, {
    environment: "dev",
    releaseId: A,
    commit: "1".repeat(40),
    logUrl: "https://github.com/o/r/actions/runs/1",
  });
  const created = fake.requests.find((r) => r.method === "POST" && r.path.endsWith("/deployments"));
  expect(created?.body).toMatchObject({
    task: RELEASE_TASK,
    environment: "dev",
    payload: { release_id: A },
    auto_merge: false,
    required_contexts: [],
  });
});

it("source release != requested release => refused with an actionable error", () => {
  const sourceRelease = running(A);
  expect(() => releaseToPromote({ source: "staging", target: "prod", requested: B, sourceRelease })).toThrow(
    /^release-mismatch: release bbbbbbbbbbbb is not what runs in staging \(release aaaaaaaaaaaa of commit 111111111111, deployed .* by https:\/\/github\.com\/o\/r\/actions\/runs\/1\)\. Promote aaaaaaaaaaaa to prod, or deploy bbbbbbbbbbbb to staging first/,
  );
  expect(releaseToPromote({ source: "staging", target: "prod", requested: "", sourceRelease })).toBe(A);
  expect(releaseToPromote({ source: "staging", target: "prod", requested: A, sourceRelease })).toBe(A);
});

it("a source release whose post-deploy integration test did not pass is not promoted", () => {
  expect(() =>
    releaseToPromote({ source: "staging", target: "prod", requested: "", sourceRelease: running(A, false) }),
  ).toThrow(/release aaaaaaaaaaaa runs in staging but its post-deploy integration test never passed there/);
});

it("nothing recorded in the source => refused, saying how to get a release there", () => {
  expect(() =>
    releaseToPromote({ source: "dev", target: "staging", requested: "", sourceRelease: undefined }),
  ).toThrow(
    /nothing recorded as running in dev: promote a release to dev first \(promote\.yml, source dev, target dev\)/,
  );
});

it("dev -> dev deploys the newest release of main (no verified mark needed), and says when there is none yet", () => {
  expect(
    releaseToPromote({ source: "dev", target: "dev", requested: "", sourceRelease: undefined, ofMain: B }),
  ).toBe(B);
  expect(() =>
    releaseToPromote({ source: "dev", target: "dev", requested: "", sourceRelease: undefined }),
  ).toThrow(/no release of this commit yet: the release workflow/);
  expect(() =>
    releaseToPromote({ source: "dev", target: "dev", requested: "nope", sourceRelease: undefined }),
  ).toThrow(/release: "nope" is not a release ID/);
});

it("an unreachable API names the call and the permission, and that the apply is recorded already", async () => {
  const offline = getOctokit("token", { baseUrl: "http://127.0.0.1:9", request: { retries: 0 } });
  await expect(
    recordRelease(offline, repo, { environment: "dev", releaseId: A, commit: "1".repeat(40), logUrl: "u" }),
  ).rejects.toThrow(
    /could not record release aaaaaaaaaaaa as running in dev .*deployments: write\)\. The apply itself succeeded and is recorded in the state bucket; .*run the promotion again \(its plan is empty\)/,
  );
});

it("a deployment with an invalid payload (anyone with deployments: write can make one) is skipped with a warning", async () => {
  await recordRelease(octokit, repo, {
    environment: "audit-env",
    releaseId: B,
    commit: "2".repeat(40),
    logUrl: "https://github.com/o/r/actions/runs/2",
  });
  const { data: forged } = await octokit.rest.repos.createDeployment({
    ...repo,
    ref: "main",
    environment: "audit-env",
    task: RELEASE_TASK,
    payload: { release_id: "not-a-release" },
    auto_merge: false,
    required_contexts: [],
  });
  const forgedId = (forged as { id: number }).id;
  await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: forgedId, state: "success" });
  const warnings: string[] = [];
  const markers = [];
  // before: the whole audit threw on the forged deployment
  for await (const m of successfulReleases(octokit, repo, "audit-env", (w) => warnings.push(w)))
    markers.push(m);
  expect(markers.map((m) => m.releaseId)).toEqual([B]);
  expect(warnings).toEqual([expect.stringContaining(`skipped deployment #${forgedId} of audit-env`)]);
});
