import { getOctokit } from "@actions/github";
import { FakeGitHub } from "../../../packages/testkit/src/github";
import { currentRelease, RELEASE_TASK, recordRelease, releaseToPromote } from "../src/deployments";

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
beforeEach(() => {
  fake.deployments.length = 0;
  fake.deploymentStatuses.clear();
});

const record = (environment: string, releaseId: string, commit = "1".repeat(40)) =>
  recordRelease(octokit, repo, {
    environment,
    releaseId,
    commit,
    logUrl: "https://github.com/o/r/actions/runs/1",
  });

it("the record of an apply is what the next promotion reads back, with when it was deployed", async () => {
  await record("dev", A);
  const running = await currentRelease(octokit, repo, "dev");
  expect(running).toEqual({
    releaseId: A,
    commit: "1".repeat(40),
    deploymentId: expect.any(Number),
    deployedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
  });
  const created = fake.requests.find((r) => r.method === "POST" && r.path.endsWith("/deployments"));
  expect(created?.body).toMatchObject({
    task: RELEASE_TASK,
    environment: "dev",
    payload: { release_id: A },
    auto_merge: false,
    required_contexts: [],
  });
  expect(await currentRelease(octokit, repo, "staging")).toBeUndefined();
});

it("a newer release replaces the older one; deployments that never succeeded do not count", async () => {
  await record("dev", A);
  await record("dev", B);
  // A failed attempt after B: created, but its newest status is failure.
  const failed = fake.addDeployment({
    ref: "2".repeat(40),
    task: RELEASE_TASK,
    environment: "dev",
    payload: { release_id: A },
  });
  fake.addDeploymentStatus(failed, { state: "failure" });
  // GitHub's own deployment of the environment job (task "deploy", no payload) is ignored.
  fake.addDeploymentStatus(fake.addDeployment({ ref: "main", environment: "dev" }), { state: "success" });
  expect((await currentRelease(octokit, repo, "dev"))?.releaseId).toBe(B);
});

it("source release != requested release => refused with an actionable error", async () => {
  await record("staging", A);
  const sourceRelease = await currentRelease(octokit, repo, "staging");
  expect(() => releaseToPromote({ source: "staging", target: "prod", requested: B, sourceRelease })).toThrow(
    /^release-mismatch: release bbbbbbbbbbbb is not what runs in staging \(release aaaaaaaaaaaa of commit 111111111111, deployed .*, deployment #\d+\)\. Promote aaaaaaaaaaaa to prod, or deploy bbbbbbbbbbbb to staging first/,
  );
  expect(releaseToPromote({ source: "staging", target: "prod", requested: "", sourceRelease })).toBe(A);
  expect(releaseToPromote({ source: "staging", target: "prod", requested: A, sourceRelease })).toBe(A);
});

it("nothing recorded in the source => refused, saying how to get a release there", () => {
  expect(() =>
    releaseToPromote({ source: "dev", target: "staging", requested: "", sourceRelease: undefined }),
  ).toThrow(
    /nothing recorded as running in dev: promote a release to dev first \(promote\.yml, source dev, target dev\)/,
  );
});

it("dev -> dev deploys the newest release of main, and says when there is none yet", () => {
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

it("a release deployment without a valid release_id is reported, not skipped silently", async () => {
  const d = fake.addDeployment({
    ref: "main",
    task: RELEASE_TASK,
    environment: "prod",
    payload: { release_id: "x" },
  });
  fake.addDeploymentStatus(d, { state: "success" });
  await expect(currentRelease(octokit, repo, "prod")).rejects.toThrow(
    /deployment #\d+ of prod .* has no valid payload\.release_id/,
  );
});

it("an unreachable API names the call and the permission", async () => {
  const offline = getOctokit("token", { baseUrl: "http://127.0.0.1:9", request: { retries: 0 } });
  await expect(currentRelease(offline, repo, "dev")).rejects.toThrow(
    /could not read the deployments of dev \(GET \/repos\/octo-org\/shopstream\/deployments .*deployments: read\)/,
  );
  await expect(
    recordRelease(offline, repo, { environment: "dev", releaseId: A, commit: "1".repeat(40), logUrl: "u" }),
  ).rejects.toThrow(
    /could not record release aaaaaaaaaaaa as running in dev .*deployments: write\)\. The apply itself succeeded/,
  );
});
