/** @shopstream/config — typed environment configuration and the pipeline's resource names. */
export {
  bool,
  ConfigError,
  type ConfigOf,
  describeConfig,
  type Env,
  int,
  num,
  oneOf,
  readConfig,
  type SpecMap,
  str,
} from "./env";
export {
  BIGQUERY,
  deadLetterTopicOf,
  GOOGLE_CLOUD,
  MONGODB,
  PLATFORM_NAMES,
  PUBSUB,
  resourceVariables,
} from "./resources";
