/** @shopstream/local-pipeline — the main job: the whole pipeline on one machine. */
export { type PipelineOptions, type PipelineSummary, runPipeline } from "./pipeline";
export { type PipelineTotals, progressLine, totals } from "./progress";
export { ensurePubSubTopology, type TopologyNames } from "./provision";
export { type ChildSpec, Supervisor } from "./supervisor";
