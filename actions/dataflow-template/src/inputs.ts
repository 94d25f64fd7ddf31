/**
 * Every input of action.yml as one table (read by @shopstream/action-kit; test/action-yml.test.ts keeps it
 * equal to action.yml). The bundle inputs are parsed here, all problems reported together with a fix for each;
 * the inputs of one mode (releases-bucket, release-id, environment...) are required by that mode (src/modes).
 */
import {
  bool,
  type InputGetter,
  InputProblem,
  type InputValues,
  input,
  readInputs as readTable,
  text,
} from "@shopstream/action-kit";
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

/** The bundle inputs' problems, listed together (`message` is the kit's list). */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const PREFIX_SEGMENT = /^[A-Za-z0-9._=-]+$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const TEMPLATE_VERSION = /^(latest|[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}_RC[0-9]{2})$/;
const KNOWN_APPS = UDF_SPECS.map((s) => s.app);

// Each parser's complaint starts with ":" so that it reads "<input>: <problem>".

function bucket(raw: string): string {
  if (!raw)
    throw new InputProblem(": required, the UDF bucket name (bootstrap output udf_bucket_names[env])");
  if (raw.startsWith("gs://"))
    throw new InputProblem(
      `: give the bucket name without gs:// (got "${raw}", use "${raw.slice(5).split("/")[0]}")`,
    );
  if (!BUCKET.test(raw) || raw.includes(".."))
    throw new InputProblem(`: "${raw}" is not a valid bucket name (3-222 lower-case letters, digits, . _ -)`);
  return raw;
}

function prefix(raw: string): string {
  const value = raw.replace(/^\/+|\/+$/g, "");
  if (value && !value.split("/").every((s) => PREFIX_SEGMENT.test(s)))
    throw new InputProblem(`: "${value}" must be path segments of letters, digits, . _ = - separated by /`);
  return value;
}

function region(raw: string): string {
  if (!raw) throw new InputProblem(": required, the Dataflow region of the jobs (e.g. europe-west1)");
  if (!REGION.test(raw)) throw new InputProblem(`: "${raw}" is not a Google Cloud region like europe-west1`);
  return raw;
}

function templateVersion(raw: string): string {
  if (!TEMPLATE_VERSION.test(raw))
    throw new InputProblem(
      `: "${raw}" must be "latest" or a dated release folder like 2024-06-04-00_RC00 (see gs://dataflow-templates-REGION/)`,
    );
  return raw;
}

function apps(raw: string): string[] {
  const names = raw ? raw.split(/[\s,]+/).filter(Boolean) : KNOWN_APPS;
  const unknown = names.filter((app) => !KNOWN_APPS.includes(app));
  if (unknown.length)
    throw new InputProblem(
      `: ${unknown.map((app) => `unknown app "${app}"`).join(", ")} (known: ${KNOWN_APPS.join(", ")})`,
    );
  return names;
}

function dryRun(raw: string): boolean {
  const value = raw.toLowerCase();
  if (value !== "true" && value !== "false")
    throw new InputProblem(`: must be true or false, got "${value}"`);
  return value === "true";
}

function appParameters(raw: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  if (!raw) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw) as unknown;
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
  } catch (error) {
    throw new InputProblem(
      `: must be a JSON object like {"analytics": {"numStorageWriteApiStreams": "2"}} (${(error as Error).message})`,
    );
  }
  const problems: string[] = [];
  for (const [app, params] of Object.entries(parsed as Record<string, unknown>)) {
    if (!KNOWN_APPS.includes(app)) problems.push(`unknown app "${app}"`);
    if (!params || typeof params !== "object" || Array.isArray(params)) {
      problems.push(`${app}: must be an object of string parameters`);
      continue;
    }
    const strings: Record<string, string> = {};
    for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
      if (typeof value !== "string")
        problems.push(`${app}.${key}: template parameters are strings, got ${typeof value}`);
      else strings[key] = value;
    }
    out[app] = strings;
  }
  if (problems.length) throw new InputProblem(`: ${problems.join("; ")}`);
  return out;
}

function storageEndpoint(raw: string): string | undefined {
  if (raw && !/^https?:\/\/[^/\s]+$/.test(raw))
    throw new InputProblem(`: "${raw}" must be an origin like http://127.0.0.1:4443`);
  return raw || undefined;
}

/** The inputs of a bundle publish (every mode that uploads or copies bundles). */
const PUBLISH_INPUTS = {
  bucket: input({ parse: bucket, default: "" }),
  prefix: input({ parse: prefix, default: "" }),
  region: input({ parse: region, default: "" }),
  "template-version": input({ parse: templateVersion, default: "latest" }),
  apps: input({ parse: apps, default: "" }),
  "udf-dir": input({ parse: text, default: "tools/udf/dist" }),
  // An empty build command means "the bundles are built already" (release copies, tests).
  "build-command": input({
    parse: text,
    default: "npx tsx tools/udf/src/cli.ts build --out tools/udf/dist",
    keepEmpty: true,
  }),
  "dry-run": input({ parse: dryRun, default: "false" }),
  project: input({ parse: text, default: "" }),
  "app-parameters": input({ parse: appParameters, default: "" }),
  "storage-endpoint": input({ parse: storageEndpoint, default: "" }),
};

/** Every input of action.yml; the mode's own inputs are required by the mode (src/modes, context.ts). */
export const INPUTS = {
  mode: input({ parse: text, default: "publish" }),
  "releases-bucket": input({ parse: text, default: "" }),
  "release-id": input({ parse: text, default: "" }),
  "jobs-image": input({ parse: text, default: "" }),
  "source-environment": input({ parse: text, default: "" }),
  "target-environment": input({ parse: text, default: "" }),
  environment: input({ parse: text, default: "" }),
  "require-release-checkout": input({ parse: bool, default: "true" }),
  "github-token": input({ parse: text, default: "", secret: true }),
  "state-bucket": input({ parse: text, default: "" }),
  ...PUBLISH_INPUTS,
  "tfvars-file": input({ parse: text, default: "" }),
};

type PublishValues = InputValues<typeof PUBLISH_INPUTS>;

/** Reads and validates the bundle inputs; all problems are reported together with a fix for each. */
export function readInputs(read: InputGetter): Inputs {
  let values: PublishValues;
  try {
    values = readTable(PUBLISH_INPUTS, read);
  } catch (error) {
    throw new InputError((error as Error).message);
  }
  return {
    bucket: values.bucket,
    prefix: values.prefix,
    region: values.region,
    templateVersion: values.templateVersion,
    apps: values.apps,
    udfDir: values.udfDir,
    buildCommand: values.buildCommand,
    dryRun: values.dryRun,
    project: values.project || undefined,
    appParameters: values.appParameters,
    storageEndpoint: values.storageEndpoint,
  };
}
