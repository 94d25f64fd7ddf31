/**
 * The bundled action as the runner runs it (`node dist/index.js`, INPUT_* variables, a GITHUB_OUTPUT file)
 * against the GitHub fake: a plan that destroys data stores into an environment whose `prod-destroy` was never
 * created ends in exactly one actionable ::error:: line, exit code 1 and result=refused, and nothing applied.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256File } from "@shopstream/action-kit";
import { FakeGitHub } from "@shopstream/testkit";

const DIST = join(__dirname, "..", "dist", "index.js");
const DESTROYS = join(__dirname, "../../terraform-plan/test/fixtures/stateful-destroys.json");

it("a data-losing plan without a protected prod-destroy fails in one ::error:: line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tf-apply-dist-"));
  const fake = new FakeGitHub();
  fake.environments.set("prod", [
    {
      type: "required_reviewers",
      reviewers: [{ type: "Team", reviewer: { id: 1 } }],
      prevent_self_review: true,
    },
  ]);
  fake.environmentSettings.set("prod", { can_admins_bypass: false });
  await fake.start();
  try {
    const plan = join(dir, "prod.tfplan");
    writeFileSync(plan, "binary plan prod");
    const sha256 = await sha256File(plan);
    writeFileSync(
      join(dir, "meta.json"),
      JSON.stringify({ environment: "prod", sha256, commit: "head1", createdAt: "now" }),
    );
    const applied = join(dir, "applied");
    const tofu = join(dir, "tofu");
    writeFileSync(
      tofu,
      `#!/usr/bin/env bash\ncase "$1" in show) cat "${DESTROYS}" ;; apply) touch "${applied}" ;; esac\nexit 0\n`,
    );
    chmodSync(tofu, 0o755);
    const output = join(dir, "output");
    const event = join(dir, "event.json");
    writeFileSync(output, "");
    writeFileSync(event, "{}");
    writeFileSync(join(dir, "summary.md"), ""); // the runner creates it
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
      GITHUB_EVENT_PATH: event,
      GITHUB_SHA: "head1",
      GITHUB_REF: "refs/heads/main",
      GITHUB_RUN_ID: "9",
      GITHUB_API_URL: fake.url,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
      RUNNER_TEMP: dir,
    };
    const inputs = {
      environment: "prod",
      "plan-file": plan,
      "meta-file": join(dir, "meta.json"),
      "expected-sha256": sha256,
      "working-directory": dir,
      "terraform-binary": tofu,
      "github-token": "ghs_apply",
    };
    for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
    // Asynchronous: the GitHub fake answers from this process.
    const child = spawn(process.execPath, [DIST], { env });
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    const code = await new Promise<number | null>((r) => child.on("close", r));
    const errors = stdout.split("\n").filter((l) => l.startsWith("::error::"));
    expect(code).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/environment-missing: the GitHub environment prod-destroy does not exist/);
    expect(readFileSync(output, "utf8")).toMatch(/result<<[\s\S]*refused/);
    expect(existsSync(applied)).toBe(false);
  } finally {
    await fake.stop();
  }
}, 60_000);
