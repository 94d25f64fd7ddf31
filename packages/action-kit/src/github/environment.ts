/**
 * Reads a GitHub environment's protection as the apply gate checks it ("Get an environment" and "List
 * deployment branch policies").
 */
import { httpStatus, type Octokit, type Repo } from "./client";
import type { BranchPolicy, EnvironmentSettings } from "./protection";

/** "Get an environment", plus its custom branch policies when it has them; undefined when it does not exist. */
export async function environmentSettings(
  octokit: Octokit,
  repo: Repo,
  name: string,
): Promise<{ settings?: EnvironmentSettings; branchPolicies: BranchPolicy[] }> {
  let settings: EnvironmentSettings;
  try {
    ({ data: settings } = (await octokit.rest.repos.getEnvironment({ ...repo, environment_name: name })) as {
      data: EnvironmentSettings;
    });
  } catch (error) {
    if (httpStatus(error) === 404) return { branchPolicies: [] };
    throw new Error(
      `cannot read the GitHub environment ${name} (GET /repos/${repo.owner}/${repo.repo}/environments/${name}): ${(error as Error).message}; the job needs permissions: actions: read, and GITHUB_API_URL must be reachable`,
    );
  }
  if (!settings.deployment_branch_policy?.custom_branch_policies) return { settings, branchPolicies: [] };
  // The paginate plugin unwraps `{ total_count, branch_policies }` into the concatenated array.
  const policies = (await octokit.paginate(
    "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies",
    { ...repo, environment_name: name, per_page: 100 },
  )) as BranchPolicy[];
  return { settings, branchPolicies: policies };
}
