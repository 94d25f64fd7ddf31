import { getOctokit } from "@actions/github";
import {
  findPlanComment,
  getPullRequest,
  markerLine,
  syncLabels,
  upsertPlanComment,
} from "@shopstream/action-kit";
import { FakeGitHub } from "@shopstream/testkit";
import { labelFamily } from "../src/labels";

describe("GitHub client wrapper against the contract fake", () => {
  const fake = new FakeGitHub();
  const repo = { owner: fake.owner, repo: fake.repo };
  let octokit: ReturnType<typeof getOctokit>;

  beforeAll(async () => {
    await fake.start();
    octokit = getOctokit("ghs_test", { baseUrl: fake.url });
  });
  afterAll(() => fake.stop());

  it("creates one comment per environment, then updates it in place", async () => {
    const first = await upsertPlanComment(octokit, repo, 1, "dev", `${markerLine("dev")}\nv1`);
    const prod = await upsertPlanComment(octokit, repo, 1, "prod", `${markerLine("prod")}\nv1`);
    const again = await upsertPlanComment(octokit, repo, 1, "dev", `${markerLine("dev")}\nv2`);
    expect(first.created).toBe(true);
    expect(prod.created).toBe(true);
    expect(again).toMatchObject({ created: false, id: first.id });
    expect(fake.comments.get(1)?.map((c) => c.body)).toEqual([
      `${markerLine("dev")}\nv2`,
      `${markerLine("prod")}\nv1`,
    ]);
    expect(fake.requests.at(-1)).toMatchObject({
      method: "PATCH",
      path: `/repos/${fake.owner}/${fake.repo}/issues/comments/${first.id}`,
    });
    expect(fake.requests.every((r) => r.authorization === "token ghs_test")).toBe(true);
  });

  it("finds the marker on a later page (Link pagination)", async () => {
    for (let i = 0; i < 230; i++) fake.addComment(2, `chatter ${i}`, { login: "dev", id: 5, type: "User" });
    fake.addComment(2, `${markerLine("dev")}\nold`);
    const found = await findPlanComment(octokit, repo, 2, "dev");
    expect(found?.body).toContain("old");
    const pages = fake.requests
      .filter((r) => r.path.endsWith("/issues/2/comments"))
      .map((r) => r.query.page ?? "1");
    expect(pages).toEqual(["1", "2", "3"]);
  });

  it("ignores a look-alike comment from another author when an author is required", async () => {
    fake.addComment(3, `${markerLine("dev")}\nforged`, { login: "mallory", id: 66, type: "User" });
    expect(await findPlanComment(octokit, repo, 3, "dev", "github-actions[bot]")).toBeUndefined();
    expect(await findPlanComment(octokit, repo, 3, "dev")).toBeDefined();
  });

  it("the fake enforces the 65,536-character limit like GitHub", async () => {
    await expect(
      octokit.rest.issues.createComment({ ...repo, issue_number: 9, body: "x".repeat(65_537) }),
    ).rejects.toMatchObject({
      status: 422,
    });
  });

  it("syncs the label family: creates with colour, adds wanted, removes stale, leaves others", async () => {
    fake.addPull(4, { headSha: "h1", baseSha: "b1", labels: ["tf:dev/no-changes", "needs-review"] });
    const family = labelFamily("dev");
    const result = await syncLabels(octokit, repo, 4, family, ["tf:dev/destroy", "tf:dev/policy-failed"]);
    expect(result).toEqual({
      added: ["tf:dev/destroy", "tf:dev/policy-failed"],
      removed: ["tf:dev/no-changes"],
    });
    expect(fake.labelsOn(4).sort()).toEqual(["needs-review", "tf:dev/destroy", "tf:dev/policy-failed"]);
    expect(fake.labels.get("tf:dev/destroy")?.color).toBe("b60205");
    // Second run: labels exist (422 on create is tolerated), nothing to do.
    fake.labels.delete("tf:dev/changes");
    const again = await syncLabels(octokit, repo, 4, family, ["tf:dev/destroy", "tf:dev/policy-failed"]);
    expect(again).toEqual({ added: [], removed: [] });
  });

  it("reads a pull request's head, base and labels", async () => {
    expect(await getPullRequest(octokit, repo, 4)).toMatchObject({
      number: 4,
      headSha: "h1",
      baseRef: "main",
      baseSha: "b1",
      labels: ["needs-review", "tf:dev/destroy", "tf:dev/policy-failed"],
    });
  });
});
