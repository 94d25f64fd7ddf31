/**
 * The release: one immutable, content-addressed manifest of everything a promotion deploys (ADR 0002).
 * Built once when a commit reaches main, carried unchanged dev -> staging -> prod. Its ID is the SHA-256 of
 * the canonical JSON of its `content` (provenance is recorded beside it but does not change the ID, so a
 * rebuild of the same bytes is recognisable and a different build never shares an ID).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { UDF_SPECS } from "@shopstream/transforms";

/** Version of the manifest format; bump on any incompatible change. */
export const RELEASE_SCHEMA_VERSION = 1;

/**
 * A dated release folder of the Google-provided templates, `YYYY-MM-DD-NN_RCNN`: the tag and folder names of
 * GoogleCloudPlatform/DataflowTemplates releases (e.g. tag 2026-08-18-00_RC00 at
 * 09dc8fcacd714daf96c59ebc6361d197d5fae569; `.github/workflows/release.yml` tags `${candidateName^^}`,
 * contributor-docs/release-process.md stages with `-DstagePrefix=<date>-00_RC00`). `latest` moves and is
 * refused.
 */
export const DATED_TEMPLATE_VERSION = /^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}_RC[0-9]{2}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const IMAGE_BY_DIGEST =
  /^[a-z0-9-]+-docker\.pkg\.dev\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/[a-z0-9._-]+\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/;
const COMMIT = /^[0-9a-f]{40}$/;

/** What is deployed; the release ID is the hash of this. */
export interface ReleaseContent {
  schema: typeof RELEASE_SCHEMA_VERSION;
  /** Google-provided Flex templates: the dated folder and the template of each app. */
  google_templates: { version: string; templates: Record<string, string> };
  /** UDF bundle per app: the SHA-256 of its bytes (object `<app>/<sha256>/udf.js`) and its function. */
  udfs: Record<string, { sha256: string; function_name: string }>;
  /** apps/analytics/sql/** (the scheduled queries Terraform renders): path -> SHA-256, and their aggregate. */
  sql: { sha256: string; files: Record<string, string> };
  /** packages/events/generated/* (table schemas, JSON Schema, Avro): path -> SHA-256, and their aggregate. */
  contract: { sha256: string; files: Record<string, string> };
  /** The reconciliation / SLI-exporter jobs' image, pinned by digest. */
  jobs_image: string;
}

/** Where and from what it was built; beside the content, outside the ID. */
export interface ReleaseProvenance {
  commit: string;
  repository: string;
  run_id: string;
  built_at: string;
}

export interface ReleaseManifest {
  id: string;
  content: ReleaseContent;
  provenance: ReleaseProvenance;
}

/** JSON with object keys sorted at every level: the same content always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function releaseId(content: ReleaseContent): string {
  return createHash("sha256").update(canonicalJson(content), "utf8").digest("hex");
}

/** The first 12 characters, for summaries and Slack. */
export const shortId = (id: string): string => id.slice(0, 12);

/** Every file under `dir` (recursively), as repository-relative POSIX path -> SHA-256, plus their aggregate. */
export function hashTree(root: string, dir: string): { sha256: string; files: Record<string, string> } {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else
        files[relative(root, full).split(sep).join("/")] = createHash("sha256")
          .update(readFileSync(full))
          .digest("hex");
    }
  };
  walk(join(root, dir));
  if (!Object.keys(files).length) throw new Error(`${dir} holds no files: nothing to pin in the release`);
  return { sha256: createHash("sha256").update(canonicalJson(files)).digest("hex"), files };
}

/** The folders whose bytes a release pins besides the UDFs (Terraform renders or loads them at plan time). */
export const SQL_DIR = "apps/analytics/sql";
export const CONTRACT_DIR = "packages/events/generated";

export interface ReleaseParts {
  templateVersion: string;
  udfs: Record<string, { sha256: string; function_name: string }>;
  /** Repository root holding SQL_DIR and CONTRACT_DIR. */
  root: string;
  jobsImage: string;
  provenance: ReleaseProvenance;
}

/** Builds and validates the manifest; every problem is reported at once. */
export function buildRelease(parts: ReleaseParts): ReleaseManifest {
  const content: ReleaseContent = {
    schema: RELEASE_SCHEMA_VERSION,
    google_templates: {
      version: parts.templateVersion,
      templates: Object.fromEntries(UDF_SPECS.map((s) => [s.app, s.template])),
    },
    udfs: parts.udfs,
    sql: hashTree(parts.root, SQL_DIR),
    contract: hashTree(parts.root, CONTRACT_DIR),
    jobs_image: parts.jobsImage,
  };
  return validateRelease({ id: releaseId(content), content, provenance: parts.provenance }, "new release");
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function checkHashes(
  problems: string[],
  where: string,
  value: unknown,
): { sha256: string; files: Record<string, string> } | undefined {
  if (!isObject(value) || !isObject(value.files) || typeof value.sha256 !== "string") {
    problems.push(`${where}: must be {sha256, files: {path: sha256}}`);
    return undefined;
  }
  for (const [path, sha] of Object.entries(value.files)) {
    if (typeof sha !== "string" || !SHA256.test(sha))
      problems.push(`${where}.files["${path}"]: not a SHA-256`);
  }
  const aggregate = createHash("sha256").update(canonicalJson(value.files)).digest("hex");
  if (value.sha256 !== aggregate)
    problems.push(`${where}.sha256: ${value.sha256} is not the hash of its files (${aggregate})`);
  return value as { sha256: string; files: Record<string, string> };
}

/**
 * Validates a manifest read from anywhere (bucket, artifact): shape, every pin, and that its ID is the hash of
 * its content. `source` names where it came from in the error.
 */
export function validateRelease(value: unknown, source: string): ReleaseManifest {
  const problems: string[] = [];
  if (!isObject(value) || !isObject(value.content) || !isObject(value.provenance)) {
    throw new Error(`${source}: not a release manifest ({id, content, provenance} expected)`);
  }
  const c = value.content;
  if (c.schema !== RELEASE_SCHEMA_VERSION)
    problems.push(
      `content.schema: ${String(c.schema)} is not ${RELEASE_SCHEMA_VERSION} (built by another version of this action?)`,
    );
  const templates = c.google_templates;
  if (!isObject(templates) || typeof templates.version !== "string" || !isObject(templates.templates)) {
    problems.push("content.google_templates: must be {version, templates: {app: template}}");
  } else {
    if (!DATED_TEMPLATE_VERSION.test(templates.version))
      problems.push(
        `content.google_templates.version: "${templates.version}" is not a dated release folder like 2026-08-18-00_RC00 ("latest" moves under a running environment)`,
      );
    for (const spec of UDF_SPECS) {
      if (templates.templates[spec.app] !== spec.template)
        problems.push(`content.google_templates.templates.${spec.app}: must be ${spec.template}`);
    }
  }
  if (!isObject(c.udfs)) problems.push("content.udfs: must be {app: {sha256, function_name}}");
  else
    for (const spec of UDF_SPECS) {
      const u = c.udfs[spec.app];
      if (
        !isObject(u) ||
        typeof u.sha256 !== "string" ||
        !SHA256.test(u.sha256) ||
        typeof u.function_name !== "string" ||
        !u.function_name
      )
        problems.push(`content.udfs.${spec.app}: must be {sha256 (64 hex), function_name}`);
    }
  checkHashes(problems, "content.sql", c.sql);
  checkHashes(problems, "content.contract", c.contract);
  if (typeof c.jobs_image !== "string" || !IMAGE_BY_DIGEST.test(c.jobs_image))
    problems.push(
      `content.jobs_image: "${String(c.jobs_image)}" must be REGION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE@sha256:<64 hex> (pinned by digest)`,
    );
  const p = value.provenance;
  if (typeof p.commit !== "string" || !COMMIT.test(p.commit))
    problems.push("provenance.commit: must be a 40-hex commit");
  for (const k of ["repository", "run_id", "built_at"])
    if (typeof p[k] !== "string" || !p[k]) problems.push(`provenance.${k}: required`);
  if (problems.length)
    throw new Error(`${source}: invalid release manifest:\n${problems.map((x) => `  - ${x}`).join("\n")}`);
  const id = releaseId(c as unknown as ReleaseContent);
  if (value.id !== id)
    throw new Error(
      `${source}: release ID ${String(value.id)} is not the hash of its content (${id}): the manifest was changed after it was built. Do not promote it; rebuild the release from its commit`,
    );
  return value as unknown as ReleaseManifest;
}

/** Paths of a release's objects in the releases bucket. */
export const releaseObject = (id: string): string => `releases/${id}/release.json`;
export const releaseUdfObject = (id: string, file: string): string => `releases/${id}/udf/${file}`;
export const commitPointerObject = (commit: string): string => `commits/${commit}.json`;

/**
 * Checks the checked-out tree against the release (the promotion checks out the release's commit, so a
 * difference means the checkout or the release is not what it claims): SQL and contract bytes.
 */
export function checkTreeMatches(release: ReleaseManifest, root: string): void {
  const problems = treeDifferences(release, root);
  if (problems.length)
    throw new Error(
      `the checkout is not release ${shortId(release.id)} (commit ${release.provenance.commit}):\n${problems.map((x) => `  - ${x}`).join("\n")}\nCheck out the release's commit before planning it`,
    );
}

/** Where the checkout's aggregate SQL and contract schemas differ from the release's, one line per folder. */
export function treeDifferences(release: ReleaseManifest, root: string): string[] {
  const problems: string[] = [];
  for (const [key, dir] of [
    ["sql", SQL_DIR],
    ["contract", CONTRACT_DIR],
  ] as const) {
    const here = hashTree(root, dir);
    if (here.sha256 !== release.content[key].sha256) {
      const changed = [
        ...new Set([...Object.keys(here.files), ...Object.keys(release.content[key].files)]),
      ].filter((f) => here.files[f] !== release.content[key].files[f]);
      problems.push(`${dir} differs from release ${shortId(release.id)}: ${changed.join(", ")}`);
    }
  }
  return problems;
}

/**
 * The var-file entries that pin the release in Terraform, merged into dataflow-template's tfvars file (passed
 * after environments/<env>.tfvars, so they win): template version, jobs image, release ID.
 */
export function releaseTfvars(release: ReleaseManifest): {
  dataflow_template_version: string;
  reconciler_image: string;
  release_id: string;
} {
  return {
    dataflow_template_version: release.content.google_templates.version,
    reconciler_image: release.content.jobs_image,
    release_id: release.id,
  };
}
