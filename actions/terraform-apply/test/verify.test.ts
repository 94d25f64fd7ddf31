import {
  checkProtection,
  checkRef,
  type EnvironmentSettings,
  type PlanMeta,
  Refusal,
} from "@shopstream/action-kit";
import { checkCommit, checkEnvironment, checkHash } from "../src/verify";

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

  it("promotion: refuses a plan made from another commit", () => {
    expect(reason(() => checkCommit(meta, "head1"))).toBe("passed");
    expect(reason(() => checkCommit(meta, "other"))).toBe("plan-outdated");
  });

  const mainOnly = { protected_branches: false, custom_branch_policies: true };
  const gated: EnvironmentSettings = {
    can_admins_bypass: false,
    deployment_branch_policy: mainOnly,
    protection_rules: [
      { type: "required_reviewers", reviewers: [{}], prevent_self_review: true },
      { type: "branch_policy" },
    ],
  };
  const main = [{ name: "main", type: "branch" as const }];

  it("needs the environment and, by default, required reviewers", () => {
    expect(reason(() => checkProtection("prod", undefined, true, "main"))).toBe("environment-missing");
    expect(
      reason(() =>
        checkProtection("prod", { ...gated, protection_rules: [{ type: "wait_timer" }] }, true, "main", main),
      ),
    ).toBe("environment-unprotected");
    expect(reason(() => checkProtection("prod", gated, true, "main", main))).toBe("passed");
    expect(
      reason(() => checkProtection("dev", { deployment_branch_policy: mainOnly }, false, "main", main)),
    ).toBe("passed");
  });

  it("refuses an environment any branch, a wildcard or a tag can deploy to", () => {
    expect(reason(() => checkProtection("dev", { deployment_branch_policy: null }, false, "main"))).toBe(
      "environment-branch-policy",
    );
    for (const policies of [
      [],
      [{ name: "*" }],
      [...main, { name: "release/*" }],
      [{ name: "main", type: "tag" as const }],
    ]) {
      expect(reason(() => checkProtection("prod", gated, true, "main", policies))).toBe(
        "environment-branch-policy",
      );
    }
    // Protected branches only: GitHub enforces that only protected branches deploy.
    expect(
      reason(() =>
        checkProtection(
          "prod",
          { ...gated, deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } },
          true,
          "main",
        ),
      ),
    ).toBe("passed");
  });

  it("refuses self-review and admin bypass where reviewers are required", () => {
    const selfReview = {
      ...gated,
      protection_rules: [{ type: "required_reviewers", reviewers: [{}], prevent_self_review: false }],
    };
    expect(reason(() => checkProtection("prod", selfReview, true, "main", main))).toBe(
      "environment-self-review",
    );
    expect(
      reason(() => checkProtection("prod", { ...gated, can_admins_bypass: true }, true, "main", main)),
    ).toBe("environment-admin-bypass");
    const { can_admins_bypass: _, ...unknownBypass } = gated;
    expect(reason(() => checkProtection("prod", unknownBypass, true, "main", main))).toBe(
      "environment-admin-bypass",
    );
  });

  it("refuses a run that is not on the deploy branch", () => {
    expect(reason(() => checkRef("refs/heads/main", "main"))).toBe("passed");
    expect(reason(() => checkRef("refs/heads/feature", "main"))).toBe("wrong-ref");
    expect(reason(() => checkRef("refs/tags/main", "main"))).toBe("wrong-ref");
  });
});
