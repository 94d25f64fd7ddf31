/**
 * @shopstream/action-kit: what every GitHub Action of this repository shares. The error boundary
 * (`runAction`, `failureBoundary`), the declarative input reader, the pull-request comment protocol (marker,
 * lookup, labels, plan meta), the GitHub environment-protection and approval checks, the Terraform runner
 * (commands, plan JSON, masking) and job-summary helpers. Imported by actions/* only; see README.md.
 */
export * from "./github/approval";
export * from "./github/client";
export * from "./github/environment";
export * from "./github/protection";
export * from "./github/pull-request";
export * from "./inputs";
export * from "./markdown";
export * from "./run";
export * from "./summary";
export * from "./terraform/defaults";
export * from "./terraform/mask";
export * from "./terraform/plan";
export * from "./terraform/plan-meta";
export * from "./terraform/runner";
