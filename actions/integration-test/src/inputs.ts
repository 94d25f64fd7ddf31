/** The action's inputs, read and validated once, with errors that say how to fix them. */
import { isAbsolute, join } from "node:path";
import { DECLARATION, type PlatformDeclaration, resolveEnvironment } from "@shopstream/platform";

/** Reads one input (core.getInput in the action, a map in tests). */
export type InputReader = (name: string) => string;

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

function seconds(
  read: InputReader,
  name: string,
  fallback: number,
  problems: string[],
  min: number,
  max: number,
) {
  const raw = read(name) || String(fallback);
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    problems.push(`${name} must be a number of seconds between ${min} and ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

/**
 * Reads and validates every input; throws one error listing every problem. Resource names come from the
 * platform declaration for `environment` (packages/platform); the name inputs only override them.
 */
export function readInputs(
  read: InputReader,
  workspace: string,
  declaration: PlatformDeclaration = DECLARATION,
): Inputs {
  const problems: string[] = [];
  const modeRaw = read("mode") || "local";
  if (modeRaw !== "local" && modeRaw !== "production")
    problems.push(`mode must be local or production, got "${modeRaw}"`);
  const mode = modeRaw === "production" ? "production" : "local";
  const projectId = read("project-id");
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(projectId))
    problems.push(
      `project-id must be a Google Cloud project ID (6-30 lower-case letters, digits, hyphens), got "${projectId}"; set it from a repository variable`,
    );
  const environment = read("environment");
  const { names, problem } = resolveEnvironment(environment, declaration);
  if (problem) problems.push(problem);
  const topic = read("topic") || names?.pubsub.topic || "";
  if (!NAME.test(topic) || topic.startsWith("goog"))
    problems.push(
      `topic must be a Pub/Sub topic ID (3-255 characters, starting with a letter), got "${topic}"`,
    );
  const mongodbUri = read("mongodb-uri");
  if (mode === "production" && mongodbUri)
    problems.push(
      "mongodb-uri is for mode: local only; in production the verify Cloud Run job reads MongoDB with its own read-only user",
    );
  if (mode === "local" && !/^mongodb(\+srv)?:\/\//.test(mongodbUri))
    problems.push(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression shown to the user
      "mongodb-uri must be a MongoDB connection string (mongodb:// or mongodb+srv://); pass it from a secret: mongodb-uri: ${{ secrets.MONGODB_URI }}",
    );
  const database = read("database") || names?.mongodb.database || "";
  const collection = read("collection") || names?.mongodb.collection || "";
  const deadLetterCollection = read("dead-letter-collection") || names?.mongodb.deadLetterCollection || "";
  for (const [name, value] of [
    ["database", database],
    ["collection", collection],
    ["dead-letter-collection", deadLetterCollection],
  ] as const)
    if (!/^[A-Za-z0-9_-]{1,63}$/.test(value))
      problems.push(`${name} must be 1-63 letters, digits, underscores or hyphens, got "${value}"`);
  // The dataset holding `events` and the aggregates as the local analytics worker writes them.
  const dataset = read("dataset") || names?.bigquery.analyticsDataset || "";
  if (!/^[A-Za-z0-9_]{1,1024}$/.test(dataset))
    problems.push(`dataset must be a BigQuery dataset ID (letters, digits, underscores), got "${dataset}"`);
  const location = read("location") || names?.locations.bigquery || "";
  const timeoutMs = seconds(read, "timeout-seconds", 1800, problems, 10, 6 * 3600) * 1000;
  const pollMs = seconds(read, "poll-seconds", 5, problems, 0.1, 300) * 1000;
  const thresholdRaw = read("latency-threshold-ms") || "10000";
  const latencyThresholdMs = Number(thresholdRaw);
  if (!Number.isInteger(latencyThresholdMs) || latencyThresholdMs <= 0)
    problems.push(`latency-threshold-ms must be a positive integer of milliseconds, got "${thresholdRaw}"`);
  const objectiveRaw = read("latency-objective") || "0.95";
  const latencyObjective = Number(objectiveRaw);
  if (!(latencyObjective > 0 && latencyObjective <= 1))
    problems.push(`latency-objective must be a share between 0 and 1 such as 0.95, got "${objectiveRaw}"`);
  const dir = read("sql-dir") || "apps/analytics/sql";
  const sqlDir = isAbsolute(dir) ? dir : join(workspace, dir);
  const cleanupRaw = (read("cleanup") || "true").toLowerCase();
  if (cleanupRaw !== "true" && cleanupRaw !== "false")
    problems.push(`cleanup must be true or false, got "${cleanupRaw}"`);
  const pubsubEmulatorHost = read("pubsub-emulator-host") || undefined;
  const bigqueryEmulatorHost = read("bigquery-emulator-host") || undefined;
  if (pubsubEmulatorHost && !/^[\w.-]+:\d+$/.test(pubsubEmulatorHost))
    problems.push(`pubsub-emulator-host must be host:port like 127.0.0.1:8085, got "${pubsubEmulatorHost}"`);
  if (bigqueryEmulatorHost && !/^https?:\/\//.test(bigqueryEmulatorHost))
    problems.push(
      `bigquery-emulator-host must be a URL like http://127.0.0.1:9050, got "${bigqueryEmulatorHost}"`,
    );
  const region = read("region") || names?.locations.region || "";
  const jobName = read("verify-job") || (names ? `${names.prefix}-itest-verify` : "");
  // The jobs module's default bucket name (terraform/modules/jobs/verify.tf).
  const resultsBucket = read("results-bucket") || `${projectId}-itest-results`;
  const runEndpoint = read("run-api-endpoint") || "https://run.googleapis.com";
  const storageEndpoint = read("storage-api-endpoint") || "https://storage.googleapis.com";
  if (mode === "production") {
    if (!/^[a-z]+-[a-z]+\d+$/.test(region))
      problems.push(`region must be a Cloud Run region such as europe-west1, got "${region}"`);
    if (!/^[a-z][a-z0-9-]{0,48}$/.test(jobName))
      problems.push(`verify-job must be a Cloud Run job name, got "${jobName}"`);
    if (!/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(resultsBucket))
      problems.push(
        `results-bucket must be the bucket the verify job writes to (terraform output of modules/jobs \`verify.results_bucket\`), got "${resultsBucket}"`,
      );
    for (const [name, url] of [
      ["run-api-endpoint", runEndpoint],
      ["storage-api-endpoint", storageEndpoint],
    ] as const)
      if (!/^https?:\/\//.test(url)) problems.push(`${name} must be a URL, got "${url}"`);
  }
  if (problems.length > 0) throw new Error(`invalid inputs:\n  - ${problems.join("\n  - ")}`);
  return {
    mode,
    projectId,
    environment,
    topic,
    mongodbUri,
    database,
    collection,
    deadLetterCollection,
    dataset,
    location,
    timeoutMs,
    pollMs,
    latencyThresholdMs,
    latencyObjective,
    sqlDir,
    cleanup: cleanupRaw === "true",
    ...(pubsubEmulatorHost ? { pubsubEmulatorHost } : {}),
    ...(bigqueryEmulatorHost ? { bigqueryEmulatorHost } : {}),
    verifyJob: `projects/${projectId}/locations/${region}/jobs/${jobName}`,
    resultsBucket,
    runEndpoint,
    storageEndpoint,
  };
}
