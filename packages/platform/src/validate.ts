/**
 * Validates the declaration and every name derived from it, reporting every problem at once. A derived
 * name is checked with the longest project ID Google Cloud allows (30 characters), so a declaration that
 * passes here cannot produce a name Google Cloud refuses because of its length.
 */
import type { PlatformDeclaration } from "./declaration";
import { bootstrapNames, platformNames, withProjectId } from "./derive";
import { checkName, LIMITS, type NamedResource, namedBootstrapResources, namedResources } from "./limits";

/** Longest application name: keeps `<app>-<short>-sli-exporter` within 30 characters. */
export const MAX_APP_LENGTH = 12;
/** Longest environment name: keeps `<project>-<app>-<env>-dataflow` within 63 characters. */
export const MAX_ENVIRONMENT_LENGTH = 10;
/** Longest short environment code (service-account IDs). */
export const MAX_SHORT_LENGTH = 4;
/** Google Cloud project IDs have 6-30 characters (Resource Manager: "Creating and managing projects"). */
export const LONGEST_PROJECT_ID = "p".repeat(30);

export class PlatformDeclarationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid platform declaration (packages/platform/platform.ts):\n  - ${problems.join("\n  - ")}`);
    this.name = "PlatformDeclarationError";
  }
}

const APP = new RegExp(`^[a-z][a-z0-9-]{1,${MAX_APP_LENGTH - 2}}[a-z0-9]$`);
const ENVIRONMENT = new RegExp(`^[a-z][a-z0-9]{1,${MAX_ENVIRONMENT_LENGTH - 1}}$`);
const SHORT = new RegExp(`^[a-z][a-z0-9]{1,${MAX_SHORT_LENGTH - 1}}$`);
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;

function integer(problems: string[], field: string, value: number, min: number, max: number, source: string) {
  if (!Number.isInteger(value) || value < min || value > max)
    problems.push(`${field} must be an integer between ${min} and ${max} (${source}), got ${value}`);
}

/** Every problem of the declaration and of the names derived from it; empty when valid. */
export function declarationProblems(d: PlatformDeclaration): string[] {
  const problems: string[] = [];
  if (!APP.test(d.app))
    problems.push(
      `app must be 3-${MAX_APP_LENGTH} lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen, got "${d.app}"`,
    );
  if (/^goog|g[o0]{2}gle/i.test(d.app))
    problems.push(
      `app must not start with "goog" or contain "google" (Pub/Sub and Cloud Storage refuse them), got "${d.app}"`,
    );

  const environments = Object.entries(d.environments);
  if (!environments.some(([, e]) => e.cloud))
    problems.push("environments must declare at least one cloud environment");
  const shorts = new Map<string, string>();
  for (const [name, env] of environments) {
    if (!ENVIRONMENT.test(name))
      problems.push(
        `environment name "${name}" must be 2-${MAX_ENVIRONMENT_LENGTH} lower-case letters or digits, starting with a letter`,
      );
    if (!SHORT.test(env.short))
      problems.push(
        `environments.${name}.short must be 2-${MAX_SHORT_LENGTH} lower-case letters or digits, starting with a letter, got "${env.short}"`,
      );
    const other = shorts.get(env.short);
    if (other)
      problems.push(
        `environments.${name}.short "${env.short}" is already used by ${other}: service-account IDs would collide`,
      );
    shorts.set(env.short, name);
    const region = env.locations?.region ?? d.locations.region;
    if (!REGION.test(region))
      problems.push(`environments.${name}: region must look like europe-west1, got "${region}"`);
  }
  if (!REGION.test(d.locations.region))
    problems.push(`locations.region must look like europe-west1, got "${d.locations.region}"`);
  if (!/^[A-Za-z0-9-]+$/.test(d.locations.bigquery))
    problems.push(
      `locations.bigquery must be a BigQuery location such as EU, US or europe-west1, got "${d.locations.bigquery}"`,
    );
  if (!/^[A-Z0-9_]+$/.test(d.locations.atlasRegion))
    problems.push(
      `locations.atlasRegion must be an Atlas region name such as WESTERN_EUROPE, got "${d.locations.atlasRegion}"`,
    );

  const p = d.delivery;
  integer(problems, "delivery.ackDeadlineSeconds", p.ackDeadlineSeconds, 10, 600, "Pub/Sub ack deadline");
  integer(problems, "delivery.minimumBackoffSeconds", p.minimumBackoffSeconds, 0, 600, "Pub/Sub RetryPolicy");
  integer(problems, "delivery.maximumBackoffSeconds", p.maximumBackoffSeconds, 0, 600, "Pub/Sub RetryPolicy");
  if (p.minimumBackoffSeconds > p.maximumBackoffSeconds)
    problems.push(
      `delivery.minimumBackoffSeconds (${p.minimumBackoffSeconds}) must not exceed maximumBackoffSeconds (${p.maximumBackoffSeconds})`,
    );
  integer(
    problems,
    "delivery.maxDeliveryAttempts",
    p.maxDeliveryAttempts,
    5,
    100,
    "Pub/Sub dead-letter policy",
  );

  // Derived names: only meaningful once the parts are well-formed.
  if (problems.length === 0) {
    const check = (where: string, resources: NamedResource[]) => {
      for (const r of resources) {
        const name = withProjectId(r.name, LONGEST_PROJECT_ID);
        const problem = checkName(name, LIMITS[r.kind]);
        if (problem) problems.push(`${where}: ${r.path} "${name}" ${problem}`);
      }
    };
    for (const [name] of environments) check(`environment ${name}`, namedResources(platformNames(d, name)));
    check("bootstrap", namedBootstrapResources(bootstrapNames(d)));
    const namespace = (n: ReturnType<typeof platformNames>) =>
      [n.mongodb.collection, n.mongodb.deadLetterCollection].map((c) => `${n.mongodb.database}.${c}`);
    for (const [name] of environments)
      for (const ns of namespace(platformNames(d, name)))
        if (Buffer.byteLength(ns) > 255)
          problems.push(
            `environment ${name}: MongoDB namespace "${ns}" exceeds 255 bytes (${LIMITS.mongodbCollection.source})`,
          );
  }
  return problems;
}

/** Throws a PlatformDeclarationError listing every problem. */
export function validateDeclaration(d: PlatformDeclaration): PlatformDeclaration {
  const problems = declarationProblems(d);
  if (problems.length) throw new PlatformDeclarationError(problems);
  return d;
}
