/**
 * The pull-request labels the plan action sets per environment (like tfcmt's): one of no-changes / changes /
 * destroy, plus policy-failed, all in the family `tf:<env>/...` so stale ones can be removed.
 */
import type { LabelSpec, PlanSummary } from "@shopstream/action-kit";
import type { PolicyResult } from "./policy";

/** The label family of one environment. */
export function labelFamily(environment: string): LabelSpec[] {
  const l = (suffix: string, color: string, description: string): LabelSpec => ({
    name: `tf:${environment}/${suffix}`,
    color,
    description: `${description} (${environment})`,
  });
  return [
    l("no-changes", "0e8a16", "Terraform plan has no changes"),
    l("changes", "fbca04", "Terraform plan creates or updates resources"),
    l("destroy", "b60205", "Terraform plan destroys or replaces resources"),
    l("policy-failed", "d93f0b", "A Terraform policy denies this plan"),
    l("plan-error", "000000", "Terraform plan failed"),
  ];
}

/** The labels of the family a plan result should carry. */
export function wantedLabels(
  environment: string,
  summary: PlanSummary | undefined,
  policy?: PolicyResult,
): string[] {
  const p = `tf:${environment}/`;
  if (!summary) return [`${p}plan-error`];
  const out: string[] = [];
  const c = summary.counts;
  if (c.delete || c.replace) out.push(`${p}destroy`);
  else if (summary.hasChanges) out.push(`${p}changes`);
  else out.push(`${p}no-changes`);
  if (policy?.status === "fail") out.push(`${p}policy-failed`);
  return out;
}
