/**
 * Local stand-ins for the Google Cloud services of the pipeline: install with `tools/stack/install.sh`,
 * then start, check and stop them from TypeScript.
 *
 * - Pub/Sub  -> Google's emulator from the gcloud CLI (in memory)
 * - MongoDB  -> FerretDB v1.24.2 on SQLite (MongoDB wire protocol)
 * - BigQuery -> bqemulator 1.4.0 (DuckDB, REST + gRPC)
 */
export type { StackPaths } from "./paths";
export { findRepoRoot, stackPaths } from "./paths";
export type { PortOwner, Profile, ServiceName } from "./ports";
export {
  BIGQUERY_GRPC_OFFSET,
  DEFAULT_PORTS,
  describePortOwner,
  findPortOwner,
  isPortFree,
  PROFILES,
  parseSsListeners,
  resolvePorts,
  SERVICE_NAMES,
} from "./ports";
export type { PidRecord } from "./process";
export { groupMembers, parseProcStat } from "./process";
export { waitUntilReady } from "./readiness";
export type { ServiceHandle } from "./service-controller";
export { bigqueryApiEndpoint, mongoUri } from "./services";
export type { AttachOptions, ServiceStatus, Stack, StackEnv, StackOptions } from "./stack";
export {
  attachStack,
  DEFAULT_PROJECT_ID,
  formatEnv,
  stackEnv,
  stackStatus,
  startStack,
  stopProfile,
} from "./stack";
