/**
 * .github/scripts/plan-summary.sh, the always-running required check "terraform-plan", run as the workflow
 * runs it (bash, the job's env). A dispatched run (dependabot-dist.yml) never plans, so it must not turn a
 * Terraform change green; a pull request or merge-queue run that had nothing to plan passes.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const script = join(__dirname, "../../../.github/scripts/plan-summary.sh");

function summary(env: Record<string, string>): { status: number | null; stdout: string; summary: string } {
  const dir = mkdtempSync(join(tmpdir(), "plan-summary-"));
  const file = join(dir, "summary.md");
  writeFileSync(file, "");
  const result = spawnSync("bash", [script], {
    // No PULL_REQUEST: the script never calls the GitHub API here.
    env: { PATH: process.env.PATH ?? "", GITHUB_STEP_SUMMARY: file, CHANGES_RESULT: "success", ...env },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, summary: readFileSync(file, "utf8") };
}

describe("plan-summary.sh", () => {
  it("fails a dispatched run when Terraform inputs changed (it never plans)", () => {
    const run = summary({ EVENT: "workflow_dispatch", TERRAFORM_CHANGED: "true", PLAN_RESULT: "skipped" });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error::Terraform inputs changed, and a dispatched run does not plan/m);
  });

  it("passes a dispatched run that touches no Terraform input", () => {
    const run = summary({ EVENT: "workflow_dispatch", TERRAFORM_CHANGED: "false", PLAN_RESULT: "skipped" });
    expect(run.status).toBe(0);
    expect(run.summary).toContain("touches no Terraform input");
  });

  it("passes a merge-queue run whose plans ran on the pull request", () => {
    const run = summary({ EVENT: "merge_group", TERRAFORM_CHANGED: "true", PLAN_RESULT: "skipped" });
    expect(run.status).toBe(0);
  });

  it("names the release each environment was planned against, or that none is recorded yet", () => {
    const run = summary({
      EVENT: "pull_request",
      TERRAFORM_CHANGED: "true",
      PLAN_RESULT: "success",
      CHANGES_DEV: "true",
      CHANGES_STAGING: "false",
      CHANGES_PROD: "false",
      RELEASE_DEV: "release 0123456789ab",
      RELEASE_STAGING: "release 0123456789ab",
      RELEASE_PROD: "none recorded yet: environments/prod.tfvars as it is",
    });
    expect(run.status).toBe(0);
    expect(run.summary).toContain("| dev | changes | release 0123456789ab |");
    expect(run.summary).toContain(
      "| prod | no changes | none recorded yet: environments/prod.tfvars as it is |",
    );
  });

  it("fails when a plan failed", () => {
    const run = summary({ EVENT: "pull_request", TERRAFORM_CHANGED: "true", PLAN_RESULT: "failure" });
    expect(run.status).toBe(1);
  });
});
