/**
 * The action's inputs: one table (names, parsers and action.yml defaults, read by @shopstream/action-kit),
 * then what depends on several inputs or on the platform declaration, with every problem listed at once.
 */
import { isAbsolute, join } from "node:path";
import {
  type InputGetter,
  InputProblem,
  type InputValues,
  input,
  matching,
  oneOf,
  readInputs as readTable,
  text,
} from "@shopstream/action-kit";
import { DECLARATION, type PlatformDeclaration, resolveEnvironment } from "@shopstream/platform";

export interface Inputs {
  /** `local`: the runner reads the stores itself; `production`: the verify Cloud Run job does. */
  mode: "local" | "production";
  projectId: string;
  environment: string;
  topic: string;
  mongodbUri: string;
  database: string;
  collection: string;
  deadLetterCollection: string;
  dataset: string;
  location: string;
  timeoutMs: number;
  pollMs: number;
  latencyThresholdMs: number;
  latencyObjective: number;
  sqlDir: string;
  cleanup: boolean;
  pubsubEmulatorHost?: string;
  bigqueryEmulatorHost?: string;
  /** Production mode: `projects/P/locations/R/jobs/J` of the verify job. */
  verifyJob: string;
  resultsBucket: string;
  runEndpoint: string;
  storageEndpoint: string;
}

const NAME = /^[A-Za-z][A-Za-z0-9._~%+-]{2,254}$/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

function projectId(raw: string): string {
  if (PROJECT_ID.test(raw)) return raw;
  throw new InputProblem(
    `must be a Google Cloud project ID (6-30 lower-case letters, digits, hyphens), got "${raw}"; set it from a repository variable`,
  );
}

function seconds(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max)
      throw new InputProblem(`must be a number of seconds between ${min} and ${max}, got "${raw}"`);
    return value;
  };
}

function trueOrFalse(raw: string): boolean {
  const value = raw.toLowerCase();
  if (value !== "true" && value !== "false") throw new InputProblem(`must be true or false, got "${value}"`);
  return value === "true";
}

function positiveMilliseconds(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new InputProblem(`must be a positive integer of milliseconds, got "${raw}"`);
  return value;
}

function share(raw: string): number {
  const value = Number(raw);
  if (!(value > 0 && value <= 1))
    throw new InputProblem(`must be a share between 0 and 1 such as 0.95, got "${raw}"`);
  return value;
}

const MONGODB_URI = /^mongodb(\+srv)?:\/\//;
const MONGODB_URI_EXPECTED =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression shown to the user
  "must be a MongoDB connection string (mongodb:// or mongodb+srv://); pass it from a secret: mongodb-uri: ${{ secrets.MONGODB_URI }}";

/** A MongoDB connection string, or "" (local mode requires one, production mode refuses one: readInputs). */
function mongodbUri(raw: string): string {
  if (raw && !MONGODB_URI.test(raw)) throw new InputProblem(MONGODB_URI_EXPECTED);
  return raw;
}

const url = (what: string) => matching(/^https?:\/\//, what);

/**
 * Every input of action.yml, with its default. Resource names (topic, database, dataset...) default to the
 * platform declaration's names for `environment` (packages/platform): empty here, filled in by readInputs.
 */
export function inputTable(declaration: PlatformDeclaration = DECLARATION) {
  return {
    mode: input({ parse: oneOf("local", "production"), default: "local" }),
    "project-id": input({ parse: projectId, required: true }),
    environment: input({
      parse: text,
      required: `is required: one of ${Object.keys(declaration.environments).join(", ")} (packages/platform/platform.ts)`,
    }),
    topic: input({ parse: text, default: "" }),
    "mongodb-uri": input({ parse: mongodbUri, default: "", secret: true }),
    database: input({ parse: text, default: "" }),
    collection: input({ parse: text, default: "" }),
    "dead-letter-collection": input({ parse: text, default: "" }),
    dataset: input({ parse: text, default: "" }),
    location: input({ parse: text, default: "" }),
    "timeout-seconds": input({ parse: seconds(10, 6 * 3600), default: "1800" }),
    "poll-seconds": input({ parse: seconds(0.1, 300), default: "5" }),
    "latency-threshold-ms": input({ parse: positiveMilliseconds, default: "10000" }),
    "latency-objective": input({ parse: share, default: "0.95" }),
    "sql-dir": input({ parse: text, default: "apps/analytics/sql" }),
    cleanup: input({ parse: trueOrFalse, default: "true" }),
    "pubsub-emulator-host": input({
      parse: matching(/^[\w.-]+:\d+$/, "host:port like 127.0.0.1:8085", true),
      default: "",
    }),
    "bigquery-emulator-host": input({
      parse: matching(/^https?:\/\//, "a URL like http://127.0.0.1:9050", true),
      default: "",
    }),
    region: input({ parse: text, default: "" }),
    "verify-job": input({ parse: text, default: "" }),
    "results-bucket": input({ parse: text, default: "" }),
    "run-api-endpoint": input({ parse: url("a URL"), default: "https://run.googleapis.com" }),
    "storage-api-endpoint": input({ parse: url("a URL"), default: "https://storage.googleapis.com" }),
  };
}

/** The table of the repository's declaration (the one action.yml describes). */
export const INPUTS = inputTable();

type Values = InputValues<ReturnType<typeof inputTable>>;

/**
 * Reads and validates every input; throws one error listing every problem. Resource names come from the
 * platform declaration for `environment` (packages/platform); the name inputs only override them.
 */
export function readInputs(
  read: InputGetter,
  workspace: string,
  declaration: PlatformDeclaration = DECLARATION,
): Inputs {
  // derive is pure: once to list its problems with the table's, once more on the values that passed.
  const values = readTable(inputTable(declaration), read, (v) => derive(v, workspace, declaration).problems);
  return derive(values, workspace, declaration).derived;
}

/** What depends on several inputs or on the declaration: names, the mode's own rules, the verify job. */
function derive(
  v: Values,
  workspace: string,
  declaration: PlatformDeclaration,
): { problems: string[]; derived: Inputs } {
  const problems: string[] = [];
  const mode = v.mode ?? "local";
  const environment = v.environment ?? "";
  const { names, problem } = environment
    ? resolveEnvironment(environment, declaration)
    : { names: undefined, problem: undefined };
  if (problem) problems.push(problem);
  const topic = v.topic || names?.pubsub.topic || "";
  if (!NAME.test(topic) || topic.startsWith("goog"))
    problems.push(
      `topic must be a Pub/Sub topic ID (3-255 characters, starting with a letter), got "${topic}"`,
    );
  const mongodbUri = v.mongodbUri ?? "";
  if (mode === "production" && mongodbUri)
    problems.push(
      "mongodb-uri is for mode: local only; in production the verify Cloud Run job reads MongoDB with its own read-only user",
    );
  // A URI that is not one was refused by its parser (listed in input order); local mode needs one.
  if (mode === "local" && !mongodbUri && v.mongodbUri !== undefined)
    problems.push(`mongodb-uri ${MONGODB_URI_EXPECTED}`);
  const database = v.database || names?.mongodb.database || "";
  const collection = v.collection || names?.mongodb.collection || "";
  const deadLetterCollection = v.deadLetterCollection || names?.mongodb.deadLetterCollection || "";
  for (const [name, value] of [
    ["database", database],
    ["collection", collection],
    ["dead-letter-collection", deadLetterCollection],
  ] as const)
    if (!/^[A-Za-z0-9_-]{1,63}$/.test(value))
      problems.push(`${name} must be 1-63 letters, digits, underscores or hyphens, got "${value}"`);
  // The dataset holding `events` and the aggregates as the local analytics worker writes them.
  const dataset = v.dataset || names?.bigquery.analyticsDataset || "";
  if (!/^[A-Za-z0-9_]{1,1024}$/.test(dataset))
    problems.push(`dataset must be a BigQuery dataset ID (letters, digits, underscores), got "${dataset}"`);
  const projectId = v.projectId ?? "";
  const region = v.region || names?.locations.region || "";
  const jobName = v.verifyJob || (names ? `${names.prefix}-itest-verify` : "");
  // The jobs module's default bucket name (terraform/modules/jobs/verify.tf).
  const resultsBucket = v.resultsBucket || `${projectId}-itest-results`;
  if (mode === "production") {
    if (!/^[a-z]+-[a-z]+\d+$/.test(region))
      problems.push(`region must be a Cloud Run region such as europe-west1, got "${region}"`);
    if (!/^[a-z][a-z0-9-]{0,48}$/.test(jobName))
      problems.push(`verify-job must be a Cloud Run job name, got "${jobName}"`);
    if (!/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(resultsBucket))
      problems.push(
        `results-bucket must be the bucket the verify job writes to (terraform output of modules/jobs \`verify.results_bucket\`), got "${resultsBucket}"`,
      );
  }
  const sqlDir = v.sqlDir ?? "";
  return {
    problems,
    derived: {
      mode,
      projectId,
      environment,
      topic,
      mongodbUri,
      database,
      collection,
      deadLetterCollection,
      dataset,
      location: v.location || names?.locations.bigquery || "",
      timeoutMs: (v.timeoutSeconds ?? 0) * 1000,
      pollMs: (v.pollSeconds ?? 0) * 1000,
      latencyThresholdMs: v.latencyThresholdMs ?? 0,
      latencyObjective: v.latencyObjective ?? 0,
      sqlDir: isAbsolute(sqlDir) ? sqlDir : join(workspace, sqlDir),
      cleanup: v.cleanup ?? true,
      ...(v.pubsubEmulatorHost ? { pubsubEmulatorHost: v.pubsubEmulatorHost } : {}),
      ...(v.bigqueryEmulatorHost ? { bigqueryEmulatorHost: v.bigqueryEmulatorHost } : {}),
      verifyJob: `projects/${projectId}/locations/${region}/jobs/${jobName}`,
      resultsBucket,
      runEndpoint: v.runApiEndpoint ?? "",
      storageEndpoint: v.storageApiEndpoint ?? "",
    },
  };
}
