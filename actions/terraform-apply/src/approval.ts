// TEMPORARY compatibility re-export for slo-gate (kit14b switches it to @shopstream/action-kit, where the
// approval check lives now). Delete this file once nothing imports it.
export { type ApprovalContext, verifyProtectedApproval } from "@shopstream/action-kit";
