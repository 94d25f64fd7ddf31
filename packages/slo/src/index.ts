/** SLOs as code: the declarations in policies/slo and everything computed from them. */
export * from "./audit";
export * from "./buckets";
export * from "./builtin-metrics";
export * from "./cloud";
export * from "./custom-metrics";
export * from "./declaration";
export * from "./duration";
export * from "./evaluate";
export * from "./exporter";
export * from "./filter";
export * from "./gate-policy";
export * from "./list-time-series-decode";
export * from "./load";
export * from "./local";
export * from "./math";
export * from "./report";
export { declarationJsonSchema, declarationSchema } from "./schema";
export * from "./terraform";
