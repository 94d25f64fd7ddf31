import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256File } from "@shopstream/action-kit";
import { FakeGitHub } from "@shopstream/testkit";

/**
 * terraform-apply end to end: the reviewed plan's hash and meta.json (as the promotion passes them), the
 * contract fake of GitHub for the environment's protection, a fake `tofu`, and a local HTTP endpoint standing
 * in for Slack's chat.postMessage (recording the posted form).
 */
const work = mkdtempSync(join(tmpdir(), "tf-apply-main-"));
const fake = new FakeGitHub();
const slackPosts: string[] = [];
let slack: Server;
let run: () => Promise<void>;
const planFile = join(work, "prod.tfplan");
const metaFile = join(work, "meta.json");
const applied = join(work, "applied");
const URI = "mongodb+srv://ingestion:new-Secr3t-pw@cluster0.abcd.mongodb.net/shopstream";

function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith("INPUT_")) delete process.env[key];
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v;
}

function writeMeta(sha256: string, environment = "prod", commit = "head1"): void {
  writeFileSync(metaFile, JSON.stringify({ environment, sha256, commit, createdAt: "now" }));
}

const gated = () => {
  fake.environments.set("prod", [
    {
      type: "required_reviewers",
      reviewers: [{ type: "Team", reviewer: { id: 1 } }],
      prevent_self_review: true,
    },
    { type: "branch_policy" },
  ]);
  fake.environmentSettings.set("prod", {
    can_admins_bypass: false,
    deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    branch_policies: [{ name: "main", type: "branch" }],
  });
};

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
  fake.environments.set("staging", [{ type: "wait_timer", wait_timer: 5 }]);
  writeFileSync(planFile, "binary plan prod");
  const tofu = join(work, "tofu");
  const json = join(__dirname, "../../terraform-plan/test/fixtures/sensitive.json");
  writeFileSync(
    tofu,
    `#!/usr/bin/env bash
case "$1" in
  show) cat "\${FAKE_PLAN_JSON:-${json}}" ;;
  apply) touch "${applied}"; echo "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."
         echo "Outputs:"; echo 'connection = "${URI}"' ;;
esac
exit 0
`,
  );
  chmodSync(tofu, 0o755);
  const event = join(work, "event.json");
  writeFileSync(event, JSON.stringify({}));
  Object.assign(process.env, {
    GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
    GITHUB_EVENT_PATH: event,
    GITHUB_SHA: "head1",
    GITHUB_REF: "refs/heads/main",
    GITHUB_RUN_ID: "9",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: fake.url,
    GITHUB_STEP_SUMMARY: join(work, "summary.md"),
    GITHUB_OUTPUT: join(work, "output.txt"),
    RUNNER_TEMP: work,
    SLACK_API_URL: `http://127.0.0.1:${(slack.address() as AddressInfo).port}/api/`,
  });
  writeFileSync(join(work, "output.txt"), "");
  ({ run } = await import("../src/main"));
});
afterAll(async () => {
  await fake.stop();
  await new Promise((r) => slack.close(r));
});
beforeEach(async () => {
  process.exitCode = undefined;
  slackPosts.length = 0;
  writeFileSync(join(work, "summary.md"), "");
  gated();
  writeMeta(await sha256File(planFile));
});

const common = async () => ({
  environment: "prod",
  "plan-file": planFile,
  "meta-file": metaFile,
  "expected-sha256": await sha256File(planFile),
  "working-directory": work,
  "terraform-binary": join(work, "tofu"),
  "github-token": "ghs_apply",
  "slack-token": "xoxb-test",
  "slack-channel": "#deploys",
});

const summary = () => readFileSync(join(work, "summary.md"), "utf8");

async function refusedWith(reason: string): Promise<void> {
  await run();
  expect(process.exitCode).toBe(1);
  expect(summary()).toContain(`refused (\`${reason}\`)`);
  expect(slackPosts.join()).toContain(reason);
}

it("refuses with plan-changed when the plan file is not the reviewed one, and reports it", async () => {
  setInputs({ ...(await common()), "expected-sha256": "f".repeat(64) });
  await refusedWith("plan-changed");
});

it("refuses a meta.json whose hash differs (a plan swapped in the artifact)", async () => {
  writeMeta("e".repeat(64));
  setInputs(await common());
  await refusedWith("plan-changed");
});

it("no longer applies from a pull request's plan comment (forgeable by any workflow as github-actions[bot])", async () => {
  const before = fake.requests.length;
  setInputs({ ...(await common()), "pull-request": "7", "expected-sha256": "" });
  await run();
  expect(process.exitCode).toBe(1);
  expect(fake.requests.length).toBe(before);
});

it("refuses an environment without required reviewers", async () => {
  writeMeta(await sha256File(planFile), "staging");
  fake.environmentSettings.set("staging", {
    deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
  });
  setInputs({ ...(await common()), environment: "staging" });
  await refusedWith("environment-unprotected");
});

it("refuses an environment whose branch rules let another branch deploy", async () => {
  fake.environmentSettings.set("prod", {
    can_admins_bypass: false,
    deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    branch_policies: [
      { name: "main", type: "branch" },
      { name: "release/*", type: "branch" },
    ],
  });
  setInputs(await common());
  await refusedWith("environment-branch-policy");
  expect(fake.requests.some((r) => r.path.endsWith("/environments/prod/deployment-branch-policies"))).toBe(
    true,
  );
});

it("refuses self-review and admin bypass", async () => {
  fake.environments.set("prod", [
    {
      type: "required_reviewers",
      reviewers: [{ type: "User", reviewer: { id: 2 } }],
      prevent_self_review: false,
    },
  ]);
  setInputs(await common());
  await refusedWith("environment-self-review");
  gated();
  fake.environmentSettings.set("prod", { ...fake.environmentSettings.get("prod")!, can_admins_bypass: true });
  await refusedWith("environment-admin-bypass");
});

it("refuses a run that is not on main", async () => {
  process.env.GITHUB_REF = "refs/heads/feature";
  try {
    setInputs(await common());
    await refusedWith("wrong-ref");
  } finally {
    process.env.GITHUB_REF = "refs/heads/main";
  }
});

it("applies the reviewed plan, masks what apply prints, and reports to the summary and Slack", async () => {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    setInputs(await common());
    await run();
  } finally {
    spy.mockRestore();
  }
  expect(process.exitCode).toBeUndefined();
  expect(summary()).toContain("✅ Terraform apply · `prod` · applied");
  expect(summary()).toContain("Resources: 1 added");
  expect(summary()).not.toContain("new-Secr3t-pw");
  const log = written.join("");
  expect(
    log
      .split("\n")
      .filter((l) => !l.startsWith("::add-mask::"))
      .join("\n"),
  ).not.toContain("new-Secr3t-pw");
  expect(log).toContain(`::add-mask::${URI}`);
  expect(slackPosts[0]).toContain("chat.postMessage");
  expect(slackPosts[0]).toContain("#deploys");
});

describe("a plan that destroys or replaces data stores needs a protected, approved <env>-destroy", () => {
  const destroys = join(__dirname, "../../terraform-plan/test/fixtures/stateful-destroys.json");
  const protectDestroy = () => {
    fake.environments.set("prod-destroy", [
      {
        type: "required_reviewers",
        reviewers: [{ type: "Team", reviewer: { id: 3 } }],
        prevent_self_review: true,
      },
    ]);
    fake.environmentSettings.set("prod-destroy", {
      can_admins_bypass: false,
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      branch_policies: [{ name: "main", type: "branch" }],
    });
  };
  const approve = (environment: string, state: "approved" | "rejected" = "approved") =>
    fake.runApprovals.set(9, [
      {
        environments: [environment],
        state,
        user: { login: "dba", id: 5, type: "User" },
        comment: "restore tested",
      },
    ]);
  beforeEach(async () => {
    process.env.FAKE_PLAN_JSON = destroys;
    fake.environments.delete("prod-destroy");
    fake.environmentSettings.delete("prod-destroy");
    fake.runApprovals.delete(9);
    setInputs(await common());
    rmSync(applied, { force: true });
  });
  afterAll(() => {
    delete process.env.FAKE_PLAN_JSON;
  });

  it("refuses when prod-destroy was never created (GitHub would create it unprotected) or is unprotected", async () => {
    approve("prod-destroy");
    // before: applied (approve-destroy only echoed, and an environment GitHub creates on the fly approves at once)
    await refusedWith("environment-missing");
    expect(summary()).toContain("prod-destroy does not exist");
    expect(existsSync(applied)).toBe(false);
    fake.environmentSettings.set("prod-destroy", { can_admins_bypass: true });
    fake.environments.set("prod-destroy", []);
    writeFileSync(join(work, "summary.md"), "");
    process.exitCode = undefined;
    await refusedWith("environment-unprotected");
    expect(existsSync(applied)).toBe(false);
  });

  it("refuses when this run has no approval for prod-destroy", async () => {
    protectDestroy();
    approve("prod");
    await refusedWith("not-approved");
    expect(summary()).toContain("no approval recorded for the prod-destroy environment");
    expect(summary()).toContain("module.bigquery.google_bigquery_dataset.raw");
    expect(fake.requests.some((r) => r.path.endsWith("/actions/runs/9/approvals"))).toBe(true);
    expect(existsSync(applied)).toBe(false);
  });

  it("refuses when this run's only review of prod-destroy rejected it", async () => {
    protectDestroy();
    approve("prod-destroy", "rejected");
    await refusedWith("not-approved");
    expect(summary()).toContain("no approval recorded for the prod-destroy environment");
    expect(existsSync(applied)).toBe(false);
  });

  it("applies when prod-destroy is protected and approved in this run", async () => {
    protectDestroy();
    approve("prod-destroy");
    await run();
    expect(process.exitCode).toBeUndefined();
    expect(existsSync(applied)).toBe(true);
    expect(summary()).toContain("applied");
  });
});
