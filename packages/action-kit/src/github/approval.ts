/**
 * An approval that only counts when the environment granting it really gates it. GitHub creates an
 * environment a job names on the fly, without any protection, so a fork that never created it (or whose
 * administrators may bypass it) would have an "approval" nobody gave. The environment must pass the apply
 * gate's check (protection.ts checkProtection: required reviewers, self-review prevented, no administrator bypass,
 * the deploy branch only), and this run must have an approval recorded for it ("Get the review history for a
 * workflow run", GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals, schema `environment-approvals`).
 * Used for `<target>-destroy` (data loss, terraform-apply) and `slo-override` (actions/slo-gate).
 */
import type { Octokit, Repo } from "./client";
import { environmentSettings } from "./environment";
import { checkProtection, Refusal } from "./protection";

/** Where to check: the repository, this workflow run, and the branch promotions deploy from. */
export interface ApprovalContext {
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
 * Returns the logins that approved `environment` in this run; throws a Refusal (with what to fix) when the
 * environment is not protected or nobody approved it. `job` names the workflow job that asks for the
 * approval, for the error message.
 */
export async function verifyProtectedApproval(
  c: ApprovalContext,
  environment: string,
  job: string,
): Promise<string[]> {
  const { settings, branchPolicies } = await environmentSettings(c.octokit, c.repo, environment);
  checkProtection(environment, settings, true, c.deployBranch, branchPolicies);
  const { data } = await c.octokit.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals", {
    ...c.repo,
    run_id: c.runId,
  });
  const approvers = (data as RunReview[])
    .filter((r) => r.state === "approved" && r.environments.some((e) => e.name === environment))
    .map((r) => r.user.login);
  if (approvers.length === 0)
    throw new Refusal(
      "not-approved",
      `run ${c.runId} has no approval recorded for the ${environment} environment; it needs the approval of that environment's reviewers (${job})`,
    );
  return [...new Set(approvers)];
}
