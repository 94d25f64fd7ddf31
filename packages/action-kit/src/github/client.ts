/**
 * The GitHub REST client the actions use (`@actions/github`'s Octokit) and the small facts about the run that
 * every action needs. Only types come from @actions/github here: loading it reads the GITHUB_* environment
 * once (its `context`), which an action (or a test that sets that environment first) must control.
 */
import type { getOctokit } from "@actions/github";

/** The Octokit client `@actions/github` returns. */
export type Octokit = ReturnType<typeof getOctokit>;

/** owner/repo of the repository the action runs in. */
export interface Repo {
  owner: string;
  repo: string;
}

/** The options for `getOctokit`: the run's API (GITHUB_API_URL: GitHub Enterprise Server, a test's fake), else github.com. */
export function octokitOptions(): { baseUrl: string } {
  return { baseUrl: process.env.GITHUB_API_URL || "https://api.github.com" };
}

/** What {@link runUrl} reads of `@actions/github`'s `context`. */
export interface RunContext {
  serverUrl: string;
  repo: Repo;
  runId: number;
}

/** The web link of a workflow run (pass `context` of @actions/github). */
export function runUrl({ serverUrl, repo, runId }: RunContext): string {
  return `${serverUrl}/${repo.owner}/${repo.repo}/actions/runs/${runId}`;
}

/** The HTTP status of an Octokit request error, if any. */
export function httpStatus(error: unknown): number | undefined {
  return typeof error === "object" && error && "status" in error
    ? Number((error as { status: unknown }).status)
    : undefined;
}
