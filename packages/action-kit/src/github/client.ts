/**
 * The GitHub REST client the actions use (`@actions/github`'s Octokit) and the small facts about the run that
 * every action needs: which repository, which API, the run's web link.
 */
import { context, getOctokit } from "@actions/github";

/** The Octokit client `@actions/github` returns. */
export type Octokit = ReturnType<typeof getOctokit>;

/** owner/repo of the repository the action runs in. */
export interface Repo {
  owner: string;
  repo: string;
}

/**
 * An Octokit for `token` against the run's API (GITHUB_API_URL: GitHub Enterprise Server, or a test's fake);
 * github.com when unset.
 */
export function githubClient(token: string): Octokit {
  return getOctokit(token, { baseUrl: process.env.GITHUB_API_URL || "https://api.github.com" });
}

/** The web link of this workflow run. */
export function runUrl(repo: Repo = context.repo, runId: number = context.runId): string {
  return `${context.serverUrl}/${repo.owner}/${repo.repo}/actions/runs/${runId}`;
}

/** The HTTP status of an Octokit request error, if any. */
export function httpStatus(error: unknown): number | undefined {
  return typeof error === "object" && error && "status" in error
    ? Number((error as { status: unknown }).status)
    : undefined;
}
