/**
 * The hidden markers of the pull-request comment protocol. An action keeps one comment (or job summary) per
 * environment, whose first line `<!-- shopstream:<action> env=<environment> -->` finds it again; the plan's
 * comment also carries a meta line recording what was reviewed (plan SHA-256, commits, run), the same
 * {@link PlanMeta} the plan artifact's meta.json holds and terraform-apply checks.
 */

/** First line of the comment (or job summary) an action keeps for one environment. */
export function commentMarker(action: string, environment: string): string {
  return `<!-- shopstream:${action} env=${environment} -->`;
}

/** Prefix of the plan comment's hidden lines. */
const MARKER_PREFIX = "shopstream:terraform-plan";

/** What the plan comment records about the reviewed plan. */
export interface PlanMeta {
  environment: string;
  /** SHA-256 (hex) of the binary plan file. */
  sha256: string;
  /** Commit the plan was made from (pull request head, or the promoted commit). */
  commit: string;
  /** Base branch and its commit when the plan was made (pull requests), for the outdated-base check. */
  baseRef?: string;
  baseSha?: string;
  runId?: number;
  artifactId?: number;
  artifactName?: string;
  createdAt: string;
}

/** First line of the comment of `environment`; searched for by exact prefix. */
export function markerLine(environment: string): string {
  return commentMarker("terraform-plan", environment);
}

/** The hidden line holding {@link PlanMeta} as JSON. */
export function metaLine(meta: PlanMeta): string {
  // "--" cannot appear inside an HTML comment; JSON of these fields never holds it, but be strict.
  return `<!-- ${MARKER_PREFIX}:meta ${JSON.stringify(meta).replace(/--/g, "\\u002d\\u002d")} -->`;
}

/** True when `body` is the plan comment of `environment`. */
export function isPlanComment(body: string | undefined | null, environment: string): boolean {
  return !!body && body.startsWith(markerLine(environment));
}

/** Reads {@link PlanMeta} back from a comment body; undefined when absent or malformed. */
export function parseMeta(body: string): PlanMeta | undefined {
  const match = body.match(new RegExp(`<!-- ${MARKER_PREFIX}:meta (\\{.*?\\}) -->`));
  if (!match?.[1]) return undefined;
  try {
    const meta = JSON.parse(match[1]) as PlanMeta;
    return typeof meta.sha256 === "string" && typeof meta.environment === "string" ? meta : undefined;
  } catch {
    return undefined;
  }
}
