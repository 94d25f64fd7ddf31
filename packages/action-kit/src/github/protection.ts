/**
 * Does a GitHub environment really gate what it guards (branch policy, required reviewers, no self-review, no
 * administrator bypass), and does the run deploy from the deploy branch: pure decisions shared by the apply
 * gate (terraform-apply) and the SLO override (slo-gate). Each refusal has a stable reason code (like dflook's
 * `plan-changed`) and a message that says what to do.
 */

/** Why an apply is refused. */
export type RefusalReason =
  | "plan-changed"
  | "plan-not-found"
  | "wrong-environment"
  | "plan-outdated"
  | "environment-missing"
  | "environment-unprotected"
  | "environment-self-review"
  | "environment-admin-bypass"
  | "environment-branch-policy"
  | "wrong-ref"
  | "not-approved";

/** A refusal: the apply must not run. */
export class Refusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
    this.name = "Refusal";
  }
}

/**
 * The fields of "Get an environment" the gate reads (GitHub's OpenAPI description, schema `environment`:
 * protection_rules of type required_reviewers carry `reviewers` and `prevent_self_review`;
 * `deployment_branch_policy` is `{protected_branches, custom_branch_policies}` or null for "any branch").
 * `can_admins_bypass` is in real responses but not in the description (google/go-github#2722).
 */
export interface EnvironmentSettings {
  protection_rules?: ProtectionRule[];
  can_admins_bypass?: boolean;
  deployment_branch_policy?: { protected_branches: boolean; custom_branch_policies: boolean } | null;
}

/** A protection rule as the environments API returns it. */
export interface ProtectionRule {
  type: string;
  reviewers?: unknown[];
  prevent_self_review?: boolean;
}

/** A custom deployment branch policy ("List deployment branch policies"). */
export interface BranchPolicy {
  name?: string;
  type?: "branch" | "tag";
}

/**
 * Fails unless the environment exists and lets only the deploy branch deploy: either protected branches only,
 * or custom policies that are all exact names of the deploy branch (a pattern such as `*` or `release/*`, or
 * any tag, would let other refs take the deploy identity). With required reviewers (staging, prod) the rule
 * must also stop self-review, and administrators must not be able to bypass it.
 */
export function checkProtection(
  environment: string,
  settings: EnvironmentSettings | undefined,
  requireReviewers: boolean,
  deployBranch: string,
  branchPolicies: readonly BranchPolicy[] = [],
): void {
  if (!settings) {
    throw new Refusal(
      "environment-missing",
      `the GitHub environment ${environment} does not exist; create it with its protection rules (docs/forking.md)`,
    );
  }
  const where = `Settings → Environments → ${environment}`;
  const policy = settings.deployment_branch_policy;
  if (!policy) {
    throw new Refusal(
      "environment-branch-policy",
      `the GitHub environment ${environment} lets any branch deploy; set "Deployment branches and tags" to the branch ${deployBranch} only (${where})`,
    );
  }
  if (policy.custom_branch_policies) {
    const other = branchPolicies.filter((p) => p.type === "tag" || p.name !== deployBranch);
    if (branchPolicies.length === 0 || other.length > 0) {
      throw new Refusal(
        "environment-branch-policy",
        `the GitHub environment ${environment} must allow only the branch ${deployBranch}, but its deployment branch rules are [${branchPolicies.map((p) => `${p.type ?? "branch"}:${p.name}`).join(", ")}] (${where})`,
      );
    }
  }
  if (!requireReviewers) return;
  const reviewers = (settings.protection_rules ?? []).filter(
    (r) => r.type === "required_reviewers" && (r.reviewers?.length ?? 0) > 0,
  );
  if (reviewers.length === 0) {
    throw new Refusal(
      "environment-unprotected",
      `the GitHub environment ${environment} has no required reviewers; add them (${where}) or set require-reviewers: false for it`,
    );
  }
  if (!reviewers.some((r) => r.prevent_self_review === true)) {
    throw new Refusal(
      "environment-self-review",
      `the GitHub environment ${environment} lets the person who started the promotion approve it; tick "Prevent self-review" (${where})`,
    );
  }
  if (settings.can_admins_bypass !== false) {
    throw new Refusal(
      "environment-admin-bypass",
      `administrators can bypass the protection rules of ${environment}${settings.can_admins_bypass === undefined ? " (GitHub did not say otherwise)" : ""}; untick "Allow administrators to bypass configured protection rules" (${where})`,
    );
  }
}

/** Fails unless the run deploys from the deploy branch (the environment's branch policy should already ensure it). */
export function checkRef(ref: string, deployBranch: string): void {
  if (ref !== `refs/heads/${deployBranch}`) {
    throw new Refusal(
      "wrong-ref",
      `this run is on ${ref || "(no ref)"}; promotions deploy only from refs/heads/${deployBranch} (run the workflow from ${deployBranch})`,
    );
  }
}
