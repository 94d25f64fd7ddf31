/** @shopstream/udf — Dataflow UDF bundles: build, verify, run in Node (vm) and Nashorn, golden corpus. */
export { UDF_CLOCKED_FUNCTION_NAME, UDF_FUNCTION_NAME, UDF_SPECS, type UdfSpec, udfSpec } from "./apps";
export { buildUdf, REPO_ROOT, type UdfBundle } from "./build";
export { GOLDEN_NOW, type GoldenCase, goldenCases } from "./golden";
export { NASHORN_HOME, NashornRunner, nashornInstalled } from "./nashorn";
export { referenceOutcome } from "./reference";
export { assertEs5, type Es5Problem, verifyEs5 } from "./verify";
export { type LoadedUdf, loadUdfInVm, type UdfOutcome } from "./vm";
