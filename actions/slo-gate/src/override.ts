/**
 * The override's own protection, checked before it is honoured: the `slo-override` environment must
 * really gate it (GitHub creates an environment a job names on the fly, without any protection, so a fork
 * that never created it would have an override nobody approves), with the same check as the apply gate
 * (actions/terraform-apply/src/verify.ts checkProtection: required reviewers, self-review prevented, no
 * administrator bypass, the deploy branch only); and this run must have an approval recorded for it
 * ("Get the review history for a workflow run", GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals),
 * whose approvers the report names.
 */

import { environmentSettings } from "../../terraform-apply/src/main";
import { checkProtection, Refusal } from "../../terraform-apply/src/verify";
import type { Octokit, Repo } from "../../terraform-plan/src/github";

/** The environment whose approval an override needs (promote.yml's `override` job). */
export const OVERRIDE_ENVIRONMENT = "slo-override";

/** Where to check: the repository, this workflow run, and the branch promotions deploy from. */
export interface OverrideContext {
  octokit: Octokit;
  repo: Repo;
  runId: number;
  deployBranch: string;
}

/** One review of a run's environment deployments (schema `environment-approvals`, the fields read). */
interface RunReview {
  environments: { name?: string }[];
  state: "approved" | "rejected" | "pending";
  user: { login: string };
  comment: string;
}

/**
 * Returns the logins that approved `slo-override` in this run; throws a Refusal (with what to fix) when the
 * environment does not protect the override or nobody approved it.
 */
export async function verifyOverride(c: OverrideContext): Promise<string[]> {
  const { settings, branchPolicies } = await environmentSettings(c.octokit, c.repo, OVERRIDE_ENVIRONMENT);
  checkProtection(OVERRIDE_ENVIRONMENT, settings, true, c.deployBranch, branchPolicies);
  const { data } = await c.octokit.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals", {
    ...c.repo,
    run_id: c.runId,
  });
  const approvers = (data as RunReview[])
    .filter((r) => r.state === "approved" && r.environments.some((e) => e.name === OVERRIDE_ENVIRONMENT))
    .map((r) => r.user.login);
  if (approvers.length === 0)
    throw new Refusal(
      "environment-unprotected",
      `run ${c.runId} has no approval recorded for the ${OVERRIDE_ENVIRONMENT} environment; an override needs the approval of its reviewers (the promote workflow's "approve SLO override" job)`,
    );
  return [...new Set(approvers)];
}
