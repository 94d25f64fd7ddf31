/** @shopstream/reconciler — the reconciliation job and the SLI exporter job, as a library for tests. */
export * from "./compare";
export * from "./config";
export * from "./event-latency";
export * from "./export-slis";
export * from "./latency";
export * from "./metrics";
export * from "./reconcile";
export * from "./state";
export * from "./stores";
export * from "./verify";
export * from "./windows";
