/** The GitHub client and repository the release code talks to (shared by deployments and the running record). */
import type { getOctokit } from "@actions/github";

export type Octokit = ReturnType<typeof getOctokit>;
export interface Repo {
  owner: string;
  repo: string;
}
