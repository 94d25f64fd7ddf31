/** @shopstream/analytics — Pub/Sub -> BigQuery events and the SQL aggregates. */
export {
  type AggregateDefinition,
  alignWindow,
  composeAggregateQuery,
  loadAggregates,
  loadDedupedEvents,
  parseAggregate,
  SQL_DIR,
} from "./aggregates";
export {
  BigQueryDeadLetterSink,
  createBigQuery,
  DEAD_LETTER_TABLE,
  EVENTS_TABLE,
  EventsTableSink,
  ensureWarehouse,
} from "./bigquery";
export { AggregateRefresher } from "./refresher";
export { toWarehouseRow } from "./transform";
export { type AnalyticsWorkerOptions, type RunningAnalyticsWorker, startAnalyticsWorker } from "./worker";
