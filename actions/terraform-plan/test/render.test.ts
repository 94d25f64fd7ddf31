import { isPlanComment, type PlanMeta, parseMeta, STATEFUL_TYPES, summarize } from "@shopstream/action-kit";
import { syntheticPlan } from "@shopstream/action-kit/testing";
import { COMMENT_BUDGET, GITHUB_COMMENT_LIMIT } from "../src/defaults";
import type { PolicyResult } from "../src/policy";
import { renderComment } from "../src/render";
import { fixture } from "./helpers";

const meta: PlanMeta = {
  environment: "dev",
  sha256: "a".repeat(64),
  commit: "c0ffee0000000000000000000000000000000000",
  baseSha: "ba5e000000000000000000000000000000000000",
  baseRef: "main",
  runId: 42,
  createdAt: "2025-11-26T16:00:00.000Z",
};
const pass: PolicyResult = { status: "pass", verdicts: [] };

function render(name: string, policy: PolicyResult = pass, extra: object = {}) {
  return renderComment({
    environment: "dev",
    summary: summarize(fixture(name), STATEFUL_TYPES),
    policy,
    meta,
    runUrl: "https://github.com/o/r/actions/runs/42",
    artifactUrl: "https://github.com/o/r/actions/runs/42/artifacts/7",
    ...extra,
  });
}

describe("plan comment", () => {
  it("starts with the marker and records the plan hash", () => {
    const { body } = render("creates-only");
    expect(isPlanComment(body, "dev")).toBe(true);
    expect(isPlanComment(body, "prod")).toBe(false);
    expect(parseMeta(body)).toEqual(meta);
  });

  it("creates only: counts, module table, collapsed diff", () => {
    const { body, truncated } = render("creates-only");
    expect(truncated).toBe(false);
    expect(body).toContain(
      "### 📝 Terraform plan · `dev` · 7 to create, 0 to update, 0 to replace, 0 to destroy",
    );
    expect(body).toContain("| 7 | 0 | 0 | 0 |");
    expect(body).toContain("| `module.pubsub` | 5 |  |  |  |");
    expect(body).toContain("<details><summary>Full diff (sensitive values masked)</summary>");
    expect(body).not.toContain("[!CAUTION]");
  });

  it("stateful destroys are flagged at the top, before the counts", () => {
    const { body } = render("stateful-destroys");
    const caution = body.indexOf("[!CAUTION]");
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(body.indexOf("| 🟢 create"));
    expect(body).toContain("**5 stateful resources will lose data**");
    expect(body).toContain("`mongodbatlas_advanced_cluster`".replace(/`/g, "")); // type listed
    expect(body).toContain("allow-destroy:dev");
    expect(body).not.toMatch(/CAUTION[\s\S]*google_monitoring_dashboard[\s\S]*\| 🟢 create/);
  });

  it("an allowed destroy is a warning, not a caution", () => {
    const { body } = render("stateful-destroys", pass, { destroyAllowed: true });
    expect(body).toContain("[!WARNING]");
    expect(body).toContain("allowed by the label `allow-destroy:dev`");
  });

  it("lists policy verdicts with resource addresses", () => {
    const policy: PolicyResult = {
      status: "fail",
      verdicts: [
        {
          severity: "deny",
          policy: "stateful_destroy",
          address: "module.bigquery.google_bigquery_dataset.raw",
          message: "a | b",
        },
        { severity: "warn", policy: "plan_complete", message: "incomplete" },
      ],
    };
    const { body } = render("stateful-destroys", policy);
    expect(body).toContain("### ❌ Terraform plan");
    expect(body).toContain("**Policies:** ❌ 1 denied, ⚠️ 1 warning");
    expect(body).toContain(
      "| ❌ deny | `stateful_destroy` | `module.bigquery.google_bigquery_dataset.raw` | a \\| b |",
    );
    expect(body).toContain("| ⚠️ warn | `plan_complete` | — | incomplete |");
  });

  it("no-op says so and has no diff", () => {
    const { body } = render("no-op");
    expect(body).toContain("### ✅ Terraform plan · `dev` · no changes");
    expect(body).toContain("**No changes.**");
    expect(body).not.toContain("<details>");
  });

  it("sensitive values never reach the comment", () => {
    const { body } = render("sensitive");
    expect(body).not.toMatch(/Secr3t|xoxb-/);
  });

  it("a 5,000-resource plan fits GitHub's limit with a truncation note and the artifact link", () => {
    const summary = summarize(syntheticPlan(5000), STATEFUL_TYPES);
    const result = renderComment({
      environment: "dev",
      summary,
      policy: pass,
      meta,
      artifactUrl: "https://x/artifacts/7",
    });
    expect(result.bytes).toBeLessThanOrEqual(COMMENT_BUDGET);
    expect(result.body.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(result.truncated).toBe(true);
    expect(result.modulesCompacted).toBe(true);
    expect(result.diffShown).toBeGreaterThan(50);
    expect(result.body).toContain(`${result.diffShown} of 5000 resources shown`);
    expect(result.body).toContain("[plan artifact](https://x/artifacts/7)");
    expect(result.body).toContain("| 4700 | 200 | 100 | 0 |");
    // The diff code fence is closed: truncation happens between resources.
    expect(result.body.match(/```/g)?.length).toBe(2);
  });

  it("the job summary budget keeps the whole diff of a mid-size plan", () => {
    const summary = summarize(syntheticPlan(500), STATEFUL_TYPES);
    const result = renderComment({ environment: "dev", summary, policy: pass, meta, budget: 1_000_000 });
    expect(result.truncated).toBe(false);
    expect(result.modulesCompacted).toBe(false);
  });

  it("never exceeds a tiny budget", () => {
    const summary = summarize(syntheticPlan(300), STATEFUL_TYPES);
    const result = renderComment({ environment: "dev", summary, policy: pass, meta, budget: 4000 });
    expect(result.bytes).toBeLessThanOrEqual(4000);
  });
});
