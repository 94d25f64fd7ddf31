/** @shopstream/udf — Dataflow UDF bundles of @shopstream/transforms: build, verify, run in Node (vm) and Nashorn. */
export { buildUdf, REPO_ROOT, type UdfBundle } from "./build";
export { buildAll, DEFAULT_OUT_DIR, GOLDEN_DIR, goldenFile, renderGolden } from "./cli";
export { NASHORN_HOME, NashornRunner, nashornInstalled } from "./nashorn";
export { assertEs5, type Es5Problem, verifyEs5 } from "./verify";
export { type LoadedUdf, loadUdfInVm, type UdfOutcome } from "./vm";
