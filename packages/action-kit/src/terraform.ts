/**
 * @shopstream/action-kit/terraform: the parts of the kit that load no @actions/* package (those are ESM-only
 * and read the runner's environment), so scripts and benchmarks run under tsx can import them: plan JSON
 * reading and summarising, masking, the Terraform command runner, the plan comment's markers, Markdown helpers.
 */
export * from "./markdown";
export * from "./terraform/defaults";
export * from "./terraform/mask";
export * from "./terraform/plan";
export * from "./terraform/plan-meta";
export * from "./terraform/runner";
