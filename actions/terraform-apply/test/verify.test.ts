import type { PlanMeta } from "../../terraform-plan/src/marker";
import {
  checkCommit,
  checkEnvironment,
  checkHash,
  checkProtection,
  checkPullRequestFreshness,
  Refusal,
} from "../src/verify";

const meta: PlanMeta = {
  environment: "prod",
  sha256: "a".repeat(64),
  commit: "head1",
  baseRef: "main",
  baseSha: "base1",
  createdAt: "2025-11-26T00:00:00Z",
};

const reason = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return error instanceof Refusal ? error.reason : `not a refusal: ${error}`;
  }
  return "passed";
};

describe("apply gate", () => {
  it("accepts the reviewed hash (case-insensitive), refuses any other with plan-changed", () => {
    expect(reason(() => checkHash("A".repeat(64), "a".repeat(64), "x"))).toBe("passed");
    expect(reason(() => checkHash("b".repeat(64), "a".repeat(64), "x"))).toBe("plan-changed");
    expect(() => checkHash("b".repeat(64), "a".repeat(64), "plan comment on #3")).toThrow(
      /plan-changed: .*re-run the plan and review it again/,
    );
    expect(reason(() => checkHash("b".repeat(64), undefined, "x"))).toBe("plan-not-found");
  });

  it("refuses a plan of another environment", () => {
    expect(reason(() => checkEnvironment(meta, "staging"))).toBe("wrong-environment");
  });

  it("refuses when commits were pushed or the base moved since the plan", () => {
    expect(
      reason(() => checkPullRequestFreshness(meta, { headSha: "head1", baseRef: "main", baseAheadBy: 0 })),
    ).toBe("passed");
    expect(
      reason(() => checkPullRequestFreshness(meta, { headSha: "head2", baseRef: "main", baseAheadBy: 0 })),
    ).toBe("plan-outdated");
    expect(
      reason(() => checkPullRequestFreshness(meta, { headSha: "head1", baseRef: "main", baseAheadBy: 2 })),
    ).toBe("plan-outdated-base");
  });

  it("promotion: refuses a plan made from another commit", () => {
    expect(reason(() => checkCommit(meta, "head1"))).toBe("passed");
    expect(reason(() => checkCommit(meta, "other"))).toBe("plan-outdated");
  });

  it("needs the environment and, by default, required reviewers", () => {
    expect(reason(() => checkProtection("prod", undefined, true))).toBe("environment-missing");
    expect(reason(() => checkProtection("prod", [{ type: "wait_timer" }], true))).toBe(
      "environment-unprotected",
    );
    expect(
      reason(() => checkProtection("prod", [{ type: "required_reviewers", reviewers: [{}] }], true)),
    ).toBe("passed");
    expect(reason(() => checkProtection("dev", [], false))).toBe("passed");
  });
});
