/**
 * @shopstream/release — the release concept of ADR 0002: the immutable manifest (release.ts), the releases
 * bucket (release-store.ts), the authoritative record of what runs where (running-record.ts) and the GitHub
 * deployments shown for display and read as the SLO audit's deploy markers (deployments.ts).
 */
export {
  type DeployMarker,
  type Octokit,
  RELEASE_TASK,
  type Repo,
  recordRelease,
  releaseToPromote,
  successfulReleases,
} from "./deployments";
export {
  buildRelease,
  CONTRACT_DIR,
  canonicalJson,
  checkTreeMatches,
  commitPointerObject,
  DATED_TEMPLATE_VERSION,
  hashTree,
  RELEASE_SCHEMA_VERSION,
  type ReleaseContent,
  type ReleaseManifest,
  type ReleaseParts,
  type ReleaseProvenance,
  releaseId,
  releaseObject,
  releaseTfvars,
  SQL_DIR,
  shortId,
  treeDifferences,
  validateRelease,
} from "./release";
export { RELEASE_UDF_PREFIX, readRelease, releaseOfCommit, storeRelease } from "./release-store";
export {
  checkedRelease,
  type EnvironmentRelease,
  isAncestorOfMain,
  markVerified,
  type RunningRecord,
  readRecord,
  recordObject,
  recordRunning,
  stateBucketOf,
} from "./running-record";
