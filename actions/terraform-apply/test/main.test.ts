import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeGitHub } from "../../../packages/testkit/src/github";
import { markerLine, metaLine } from "../../terraform-plan/src/marker";
import { sha256File } from "../../terraform-plan/src/terraform";

/**
 * terraform-apply end to end: the reviewed plan comment on the contract fake of GitHub, a fake `tofu`, and a
 * local HTTP endpoint standing in for Slack's chat.postMessage (recording the posted form).
 */
const work = mkdtempSync(join(tmpdir(), "tf-apply-main-"));
const fake = new FakeGitHub();
const slackPosts: string[] = [];
let slack: Server;
let run: () => Promise<void>;
const planFile = join(work, "prod.tfplan");
const applied = join(work, "applied");

function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith("INPUT_")) delete process.env[key];
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v;
}

async function reviewedComment(sha256: string, commit = "head1", baseSha = "base1") {
  fake.comments.set(7, []);
  fake.addComment(
    7,
    `${markerLine("prod")}\n${metaLine({ environment: "prod", sha256, commit, baseRef: "main", baseSha, createdAt: "now" })}\nplan`,
  );
}

beforeAll(async () => {
  await fake.start();
  slack = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      slackPosts.push(`${req.url} ${decodeURIComponent(body)}`);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, channel: "C1", ts: "1.2" }));
    });
  });
  await new Promise<void>((r) => slack.listen(0, "127.0.0.1", r));
  fake.addPull(7, { headSha: "head1", baseSha: "base1" });
  fake.environments.set("prod", [
    { type: "required_reviewers", reviewers: [{ type: "Team", reviewer: { id: 1 } }] },
  ]);
  fake.environments.set("staging", [{ type: "wait_timer", wait_timer: 5 }]);
  writeFileSync(planFile, "binary plan prod");
  const tofu = join(work, "tofu");
  writeFileSync(
    tofu,
    `#!/usr/bin/env bash\n[ "$1" = apply ] && { touch "${applied}"; echo "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."; }\nexit 0\n`,
  );
  chmodSync(tofu, 0o755);
  const event = join(work, "event.json");
  writeFileSync(event, JSON.stringify({}));
  Object.assign(process.env, {
    GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
    GITHUB_EVENT_PATH: event,
    GITHUB_SHA: "head1",
    GITHUB_RUN_ID: "9",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: fake.url,
    GITHUB_STEP_SUMMARY: join(work, "summary.md"),
    GITHUB_OUTPUT: join(work, "output.txt"),
    SLACK_API_URL: `http://127.0.0.1:${(slack.address() as AddressInfo).port}/api/`,
  });
  writeFileSync(join(work, "summary.md"), "");
  writeFileSync(join(work, "output.txt"), "");
  ({ run } = await import("../src/main"));
});
afterAll(async () => {
  await fake.stop();
  await new Promise((r) => slack.close(r));
});
beforeEach(() => {
  process.exitCode = undefined;
  slackPosts.length = 0;
});

const common = () => ({
  environment: "prod",
  "plan-file": planFile,
  "pull-request": "7",
  "working-directory": work,
  "terraform-binary": join(work, "tofu"),
  "github-token": "ghs_apply",
  "slack-token": "xoxb-test",
  "slack-channel": "#deploys",
});

const applyComment = () => fake.comments.get(7)!.find((c) => c.body.includes("terraform-apply"))?.body ?? "";

it("refuses with plan-changed when the plan file is not the reviewed one, and reports it", async () => {
  await reviewedComment("f".repeat(64));
  setInputs(common());
  await run();
  expect(process.exitCode).toBe(1);
  expect(applyComment()).toContain("⛔ Terraform apply · `prod` · refused (`plan-changed`)");
  expect(slackPosts.join()).toContain("plan-changed");
});

it("ignores a forged plan comment from someone else", async () => {
  const sha = await sha256File(planFile);
  fake.comments.set(7, []);
  fake.addComment(
    7,
    `${markerLine("prod")}\n${metaLine({ environment: "prod", sha256: sha, commit: "head1", createdAt: "x" })}`,
    {
      login: "mallory",
      id: 3,
      type: "User",
    },
  );
  setInputs(common());
  await run();
  expect(process.exitCode).toBe(1);
  expect(applyComment()).toContain("plan-not-found");
});

it("refuses a plan made on an outdated base", async () => {
  await reviewedComment(await sha256File(planFile));
  fake.pushCommits("main", "base2");
  setInputs(common());
  await run();
  expect(process.exitCode).toBe(1);
  expect(applyComment()).toContain("plan-outdated-base");
  await reviewedComment(await sha256File(planFile), "head1", "base2");
});

it("refuses an environment without required reviewers", async () => {
  setInputs({
    ...common(),
    environment: "staging",
    "pull-request": "",
    "expected-sha256": await sha256File(planFile),
  });
  await run();
  expect(process.exitCode).toBe(1);
});

it("applies the reviewed plan and reports to the pull request and Slack", async () => {
  await reviewedComment(await sha256File(planFile), "head1", "base2");
  setInputs(common());
  await run();
  expect(process.exitCode).toBeUndefined();
  expect(applyComment()).toContain("✅ Terraform apply · `prod` · applied");
  expect(applyComment()).toContain("Resources: 1 added");
  expect(slackPosts[0]).toContain("chat.postMessage");
  expect(slackPosts[0]).toContain("#deploys");
  expect(fake.requests.some((r) => r.path.endsWith("/environments/prod"))).toBe(true);
});
