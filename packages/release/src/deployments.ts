/**
 * GitHub deployments, for display only (the repository's Deployments page and the environment's activity
 * log): each promotion also records the release it applied as a deployment of the target environment (task
 * `deploy:release`, payload `{release_id, commit}`, then a `success` status). They are NOT what runs where:
 * anyone with write access, and any workflow with `deployments: write`, can create one, bypassing environment
 * protection (github/branch-deploy#388). The authoritative record is running-record.ts. Shapes: "Create a
 * deployment" / deployment statuses, components.schemas.deployment of @octokit/openapi-types 28.0.0.
 */
import type { Octokit, Repo } from "./github";
import { shortId } from "./release";
import type { EnvironmentRelease } from "./running-record";

export type { Octokit, Repo } from "./github";

/** Our deployments' task: GitHub also records a deployment (task `deploy`, empty payload) per environment job. */
export const RELEASE_TASK = "deploy:release";
const ID = /^[0-9a-f]{64}$/;

/** A release that went live in an environment, as GitHub deployments show it (display and audit markers only). */
export interface DeployMarker {
  releaseId: string;
  commit: string;
  deploymentId: number;
  /** When the release's apply succeeded there (the `success` status), RFC 3339. */
  deployedAt: string;
}

function payloadOf(payload: unknown): Record<string, unknown> {
  if (typeof payload === "string") {
    try {
      const parsed = JSON.parse(payload) as unknown;
      return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return payload && typeof payload === "object" ? (payload as Record<string, unknown>) : {};
}

/**
 * Every release that went live in `environment`, newest first: the `deploy:release` deployments (the newest
 * `limit`) that reached `success`, with when (the deploy markers the SLO audit attributes budget spend by).
 * Display data: anyone who can create deployments can add one (see the header), so nothing that gates a
 * promotion reads this; the running release comes from running-record.ts. For the same reason one deployment
 * without a valid payload is skipped with `warn`, not fatal: it must not break the audit of everyone else's.
 */
export async function* successfulReleases(
  octokit: Octokit,
  repo: Repo,
  environment: string,
  warn: (message: string) => void,
  limit = 30,
): AsyncGenerator<DeployMarker> {
  const { data: deployments } = await octokit.rest.repos.listDeployments({
    ...repo,
    environment,
    task: RELEASE_TASK,
    per_page: limit,
  });
  const newestFirst = [...deployments].sort((a, b) => Number(b.id) - Number(a.id));
  for (const d of newestFirst) {
    const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({
      ...repo,
      deployment_id: Number(d.id),
      per_page: 10,
    });
    const success = [...statuses]
      .sort((a, b) => Number(a.id) - Number(b.id))
      .find((st) => st.state === "success");
    if (!success) continue;
    const payload = payloadOf(d.payload);
    if (typeof payload.release_id !== "string" || !ID.test(payload.release_id)) {
      warn(
        `skipped deployment #${d.id} of ${environment} (task ${RELEASE_TASK}): no valid payload.release_id, so it was not recorded by dataflow-template (mode record); mark it inactive or delete it`,
      );
      continue;
    }
    yield {
      releaseId: payload.release_id,
      commit: typeof payload.commit === "string" ? payload.commit : d.sha,
      deploymentId: Number(d.id),
      deployedAt: success.created_at,
    };
  }
}

/**
 * Refuses a promotion whose release is not the one running in the source. `requested` is the release the
 * caller asked for ("" = the source's). dev -> dev deploys the newest release of main instead (`ofMain`).
 * Returns the release to promote.
 */
export function releaseToPromote(args: {
  source: string;
  target: string;
  requested: string;
  sourceRelease: EnvironmentRelease | undefined;
  ofMain?: string;
}): string {
  const { source, target, requested, sourceRelease, ofMain } = args;
  if (requested && !ID.test(requested))
    throw new Error(
      `release: "${requested}" is not a release ID (64 hex characters, the SHA-256 of its manifest)`,
    );
  if (source === target) {
    const id = requested || ofMain;
    if (!id)
      throw new Error(
        `no release of this commit yet: the release workflow (.github/workflows/release.yml) builds one when a commit reaches main; wait for it to finish, then run the promotion again`,
      );
    return id;
  }
  if (!sourceRelease) {
    throw new Error(
      `nothing recorded as running in ${source}: promote a release to ${source} first (promote.yml, source ${source === "dev" ? "dev, target dev" : `…, target ${source}`}); ${target} only receives what ran in ${source}`,
    );
  }
  if (requested && requested !== sourceRelease.releaseId) {
    throw new Error(
      `release-mismatch: release ${shortId(requested)} is not what runs in ${source} (release ${shortId(sourceRelease.releaseId)} of commit ${sourceRelease.commit.slice(0, 12)}, deployed ${sourceRelease.deployedAt} by ${sourceRelease.runUrl}). Promote ${shortId(sourceRelease.releaseId)} to ${target}, or deploy ${shortId(requested)} to ${source} first and let its SLO gate judge it there`,
    );
  }
  if (!sourceRelease.verifiedAt) {
    throw new Error(
      `release ${shortId(sourceRelease.releaseId)} runs in ${source} but its post-deploy integration test never passed there (no verified mark; applied by ${sourceRelease.runUrl}). Fix it and promote a release that passes to ${source}, or run the ${source} promotion again; ${target} only receives verified releases`,
    );
  }
  return sourceRelease.releaseId;
}

/** Shows `releaseId` as deployed to `environment` on GitHub (display only; after the authoritative record). */
export async function recordRelease(
  octokit: Octokit,
  repo: Repo,
  args: { environment: string; releaseId: string; commit: string; logUrl: string },
): Promise<number> {
  try {
    return await createRecord(octokit, repo, args);
  } catch (error) {
    throw new Error(
      `could not record release ${shortId(args.releaseId)} as running in ${args.environment} (POST /repos/${repo.owner}/${repo.repo}/deployments and its status; the job needs permissions deployments: write). The apply itself succeeded and is recorded in the state bucket; this record is for display only: run the promotion again (its plan is empty) to show it. ${(error as Error).message}`,
    );
  }
}

async function createRecord(
  octokit: Octokit,
  repo: Repo,
  args: { environment: string; releaseId: string; commit: string; logUrl: string },
): Promise<number> {
  const { data } = await octokit.rest.repos.createDeployment({
    ...repo,
    ref: args.commit,
    task: RELEASE_TASK,
    environment: args.environment,
    payload: { release_id: args.releaseId, commit: args.commit },
    description: `release ${shortId(args.releaseId)}`,
    // No merge of the default branch into the ref, no commit-status checks: the record follows an apply
    // that already happened ("Create a deployment": auto_merge defaults to true, required_contexts to all).
    auto_merge: false,
    required_contexts: [],
    transient_environment: false,
    production_environment: args.environment === "prod",
  });
  if (!("id" in data))
    throw new Error(
      `GitHub did not create the deployment record of ${args.environment}: ${JSON.stringify(data)}`,
    );
  await octokit.rest.repos.createDeploymentStatus({
    ...repo,
    deployment_id: Number(data.id),
    state: "success",
    log_url: args.logUrl,
    description: `release ${shortId(args.releaseId)} applied`,
    auto_inactive: true,
  });
  return Number(data.id);
}
