/**
 * The hidden markers of the plan comment. The first line finds the comment of one environment; the meta line
 * records what was reviewed (plan SHA-256, commits, run) so terraform-apply can refuse anything else.
 */
import { MARKER_PREFIX } from "./defaults";

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
  return `<!-- ${MARKER_PREFIX} env=${environment} -->`;
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
