/**
 * The pull-request side of the comment protocol: find and update in place the one comment an action keeps per
 * environment (found by its hidden marker line, see ../terraform/plan-meta.ts), the label family an action
 * manages, and the pull request's base, head and labels. Small functions over an Octokit, so tests run them
 * against the GitHub fake of @shopstream/testkit.
 */
import { isPlanComment } from "../terraform/plan-meta";
import { httpStatus, type Octokit, type Repo } from "./client";

/** An issue comment (fields used here). */
export interface Comment {
  id: number;
  body?: string;
  html_url: string;
  user: { login: string; type?: string } | null;
}

/**
 * Finds the plan comment of `environment` on a pull request (all pages), written by `author` when given, so
 * that a comment pasted by someone else with the same marker is ignored.
 */
export async function findPlanComment(
  octokit: Octokit,
  repo: Repo,
  issue: number,
  environment: string,
  author?: string,
): Promise<Comment | undefined> {
  const comments = (await octokit.paginate(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issue,
    per_page: 100,
  })) as Comment[];
  // The newest one wins if several exist (e.g. after a concurrent run).
  return comments
    .filter((c) => isPlanComment(c.body, environment) && (!author || c.user?.login === author))
    .at(-1);
}

/** Creates the plan comment of the environment, or updates it in place. */
export async function upsertPlanComment(
  octokit: Octokit,
  repo: Repo,
  issue: number,
  environment: string,
  body: string,
  author?: string,
): Promise<{ id: number; url: string; created: boolean }> {
  const existing = await findPlanComment(octokit, repo, issue, environment, author);
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
    return { id: data.id, url: data.html_url, created: false };
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issue, body });
  return { id: data.id, url: data.html_url, created: true };
}

/** A label this action manages, with its colour and description. */
export interface LabelSpec {
  name: string;
  color: string;
  description: string;
}

/**
 * Makes the pull request carry exactly `wanted` among the labels of `family` (e.g. all `tf:dev/...` labels):
 * creates missing labels with their colour, adds the wanted ones, removes the stale ones.
 * @returns the labels added and removed
 */
export async function syncLabels(
  octokit: Octokit,
  repo: Repo,
  issue: number,
  family: readonly LabelSpec[],
  wanted: readonly string[],
): Promise<{ added: string[]; removed: string[] }> {
  const current = (
    (await octokit.paginate(octokit.rest.issues.listLabelsOnIssue, {
      ...repo,
      issue_number: issue,
      per_page: 100,
    })) as {
      name: string;
    }[]
  ).map((l) => l.name);
  const familyNames = new Set(family.map((l) => l.name));
  const toAdd = wanted.filter((w) => !current.includes(w));
  const toRemove = current.filter((c) => familyNames.has(c) && !wanted.includes(c));
  for (const name of toAdd) {
    const spec = family.find((l) => l.name === name);
    if (!spec) continue;
    try {
      await octokit.rest.issues.createLabel({ ...repo, ...spec });
    } catch (error) {
      if (httpStatus(error) !== 422) throw error; // 422 already_exists: fine
    }
  }
  if (toAdd.length) await octokit.rest.issues.addLabels({ ...repo, issue_number: issue, labels: toAdd });
  for (const name of toRemove) {
    try {
      await octokit.rest.issues.removeLabel({ ...repo, issue_number: issue, name });
    } catch (error) {
      if (httpStatus(error) !== 404) throw error; // removed concurrently
    }
  }
  return { added: toAdd, removed: toRemove };
}

/** Base and head of a pull request, and its labels. */
export interface PullRequestInfo {
  number: number;
  headSha: string;
  baseRef: string;
  baseSha: string;
  labels: string[];
  state: string;
}

/** Reads a pull request. */
export async function getPullRequest(octokit: Octokit, repo: Repo, number: number): Promise<PullRequestInfo> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return {
    number: data.number,
    headSha: data.head.sha,
    baseRef: data.base.ref,
    baseSha: data.base.sha,
    labels: data.labels.map((l) => l.name ?? "").filter(Boolean),
    state: data.state,
  };
}
