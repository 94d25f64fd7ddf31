/**
 * The override's own protection, checked before it is honoured: the `slo-override` environment must really
 * gate it and this run must have an approval recorded for it, whose approvers the report names. The check is
 * the one terraform-apply makes for `<target>-destroy` (@shopstream/action-kit `verifyProtectedApproval`).
 */

import { type ApprovalContext, verifyProtectedApproval } from "@shopstream/action-kit";

/** The environment whose approval an override needs (promote.yml's `override` job). */
export const OVERRIDE_ENVIRONMENT = "slo-override";

/** Where to check: the repository, this workflow run, and the branch promotions deploy from. */
export type OverrideContext = ApprovalContext;

/**
 * Returns the logins that approved `slo-override` in this run; throws a Refusal (with what to fix) when the
 * environment does not protect the override or nobody approved it.
 */
export function verifyOverride(c: OverrideContext): Promise<string[]> {
  return verifyProtectedApproval(
    c,
    OVERRIDE_ENVIRONMENT,
    `the promote workflow's "approve SLO override" job`,
  );
}
