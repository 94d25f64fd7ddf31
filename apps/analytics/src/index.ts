/** @shopstream/analytics — Pub/Sub -> BigQuery events and the SQL aggregates. */

export { toWarehouseRow } from "@shopstream/transforms";
export {
  type AggregateDefinition,
  alignWindow,
  composeAggregateQuery,
  loadAggregates,
  loadDedupedEvents,
  loadStages,
  parseAggregate,
  parseStage,
  SQL_DIR,
  type StageDefinition,
} from "./aggregates";
export {
  BigQueryDeadLetterSink,
  createBigQuery,
  DEAD_LETTER_TABLE,
  DIRTY_MINUTES_TABLE,
  EVENTS_TABLE,
  EventsTableSink,
  ensureWarehouse,
} from "./bigquery";
export { DirtyJournal, defaultStateDir, journalPath } from "./journal";
export { AggregateRefresher, buildRefreshStatements, columnsRead, groupRanges } from "./refresher";
export { type AnalyticsWorkerOptions, type RunningAnalyticsWorker, startAnalyticsWorker } from "./worker";
