/** Every input, read and validated up front; all problems are reported together with a fix for each. */
import { UDF_SPECS } from "@shopstream/transforms";

export interface Inputs {
  bucket: string;
  prefix: string;
  region: string;
  templateVersion: string;
  apps: string[];
  udfDir: string;
  buildCommand: string;
  dryRun: boolean;
  project: string | undefined;
  appParameters: Record<string, Record<string, string>>;
  storageEndpoint: string | undefined;
}

export type InputReader = (name: string) => string;

export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid inputs:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "InputError";
  }
}

const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const PREFIX_SEGMENT = /^[A-Za-z0-9._=-]+$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const TEMPLATE_VERSION = /^(latest|[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}_RC[0-9]{2})$/;

export function readInputs(read: InputReader): Inputs {
  const problems: string[] = [];
  const get = (name: string) => read(name).trim();

  let bucket = get("bucket");
  if (!bucket)
    problems.push("bucket: required, the UDF bucket name (bootstrap output udf_bucket_names[env])");
  else {
    if (bucket.startsWith("gs://")) {
      problems.push(
        `bucket: give the bucket name without gs:// (got "${bucket}", use "${bucket.slice(5).split("/")[0]}")`,
      );
    } else if (!BUCKET.test(bucket) || bucket.includes("..")) {
      problems.push(
        `bucket: "${bucket}" is not a valid bucket name (3-222 lower-case letters, digits, . _ -)`,
      );
    }
    bucket = bucket.replace(/^gs:\/\//, "");
  }

  const prefix = get("prefix").replace(/^\/+|\/+$/g, "");
  if (prefix && !prefix.split("/").every((s) => PREFIX_SEGMENT.test(s))) {
    problems.push(`prefix: "${prefix}" must be path segments of letters, digits, . _ = - separated by /`);
  }

  const region = get("region");
  if (!region) problems.push("region: required, the Dataflow region of the jobs (e.g. europe-west1)");
  else if (!REGION.test(region))
    problems.push(`region: "${region}" is not a Google Cloud region like europe-west1`);

  const templateVersion = get("template-version") || "latest";
  if (!TEMPLATE_VERSION.test(templateVersion)) {
    problems.push(
      `template-version: "${templateVersion}" must be "latest" or a dated release folder like 2024-06-04-00_RC00 (see gs://dataflow-templates-REGION/)`,
    );
  }

  const known = UDF_SPECS.map((s) => s.app);
  const appsText = get("apps");
  const apps = appsText ? appsText.split(/[\s,]+/).filter(Boolean) : known;
  for (const app of apps) {
    if (!known.includes(app)) problems.push(`apps: unknown app "${app}" (known: ${known.join(", ")})`);
  }

  const dryRunText = (get("dry-run") || "false").toLowerCase();
  if (!["true", "false"].includes(dryRunText))
    problems.push(`dry-run: must be true or false, got "${dryRunText}"`);

  const appParameters: Record<string, Record<string, string>> = {};
  const parametersText = get("app-parameters");
  if (parametersText) {
    try {
      const parsed = JSON.parse(parametersText) as unknown;
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      for (const [app, params] of Object.entries(parsed as Record<string, unknown>)) {
        if (!known.includes(app)) problems.push(`app-parameters: unknown app "${app}"`);
        if (!params || typeof params !== "object" || Array.isArray(params)) {
          problems.push(`app-parameters.${app}: must be an object of string parameters`);
          continue;
        }
        appParameters[app] = {};
        for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
          if (typeof value !== "string") {
            problems.push(
              `app-parameters.${app}.${key}: template parameters are strings, got ${typeof value}`,
            );
          } else (appParameters[app] as Record<string, string>)[key] = value;
        }
      }
    } catch (error) {
      problems.push(
        `app-parameters: must be a JSON object like {"analytics": {"numStorageWriteApiStreams": "2"}} (${(error as Error).message})`,
      );
    }
  }

  const storageEndpoint = get("storage-endpoint") || undefined;
  if (storageEndpoint && !/^https?:\/\/[^/\s]+$/.test(storageEndpoint)) {
    problems.push(`storage-endpoint: "${storageEndpoint}" must be an origin like http://127.0.0.1:4443`);
  }

  if (problems.length) throw new InputError(problems);
  return {
    bucket,
    prefix,
    region,
    templateVersion,
    apps,
    udfDir: get("udf-dir") || "tools/udf/dist",
    buildCommand: get("build-command"),
    dryRun: dryRunText === "true",
    project: get("project") || undefined,
    appParameters,
    storageEndpoint,
  };
}
