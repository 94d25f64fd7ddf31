/**
 * The apply gate's decisions, as pure functions: is this the reviewed plan, for this environment, made on a
 * base that is still current, into an environment with protection rules. Each refusal has a stable reason
 * code (like dflook's `plan-changed`) and a message that says what to do.
 */
import type { PlanMeta } from "../../terraform-plan/src/marker";

/** Why an apply is refused. */
export type RefusalReason =
  | "plan-changed"
  | "plan-not-found"
  | "wrong-environment"
  | "plan-outdated"
  | "plan-outdated-base"
  | "environment-missing"
  | "environment-unprotected";

/** A refusal: the apply must not run. */
export class Refusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
    this.name = "Refusal";
  }
}

/** Fails with `plan-changed` unless the plan file's hash is the reviewed one. */
export function checkHash(actual: string, reviewed: string | undefined, source: string): void {
  if (!reviewed) {
    throw new Refusal("plan-not-found", `no reviewed plan hash found (${source}); run terraform-plan first`);
  }
  if (actual.toLowerCase() !== reviewed.toLowerCase()) {
    throw new Refusal(
      "plan-changed",
      `the plan file's SHA-256 ${actual.slice(0, 12)}… is not the reviewed plan's ${reviewed.slice(0, 12)}… (${source}); the plan changed after review — re-run the plan and review it again`,
    );
  }
}

/** Fails unless the plan was made for this environment. */
export function checkEnvironment(meta: PlanMeta, environment: string): void {
  if (meta.environment !== environment) {
    throw new Refusal("wrong-environment", `the plan was made for ${meta.environment}, not ${environment}`);
  }
}

/** The state of the pull request and its base at apply time. */
export interface PullRequestNow {
  headSha: string;
  baseRef: string;
  /** Commits on the base branch that the plan's base does not have (compare plan.baseSha...baseRef). */
  baseAheadBy: number;
}

/** Pull-request mode: no commits pushed since the plan, and the base branch has not moved. */
export function checkPullRequestFreshness(meta: PlanMeta, now: PullRequestNow): void {
  if (meta.commit !== now.headSha) {
    throw new Refusal(
      "plan-outdated",
      `the plan was made on ${meta.commit.slice(0, 12)} but the pull request head is ${now.headSha.slice(0, 12)}; re-run the plan`,
    );
  }
  if (now.baseAheadBy > 0) {
    throw new Refusal(
      "plan-outdated-base",
      `${now.baseRef} moved ${now.baseAheadBy} commit(s) since the plan (made on base ${meta.baseSha?.slice(0, 12)}); update the branch and re-run the plan`,
    );
  }
}

/** Commit mode (promotions): the plan was made from the commit being applied. */
export function checkCommit(meta: PlanMeta, sha: string): void {
  if (meta.commit !== sha) {
    throw new Refusal(
      "plan-outdated",
      `the plan was made on ${meta.commit.slice(0, 12)} but this run applies ${sha.slice(0, 12)}`,
    );
  }
}

/** A protection rule as the environments API returns it. */
export interface ProtectionRule {
  type: string;
  reviewers?: unknown[];
}

/** Fails unless the environment exists and (when required) has required reviewers. */
export function checkProtection(
  environment: string,
  rules: ProtectionRule[] | undefined,
  requireReviewers: boolean,
): void {
  if (!rules) {
    throw new Refusal(
      "environment-missing",
      `the GitHub environment ${environment} does not exist; create it with its protection rules (docs/forking.md)`,
    );
  }
  if (
    requireReviewers &&
    !rules.some((r) => r.type === "required_reviewers" && (r.reviewers?.length ?? 0) > 0)
  ) {
    throw new Refusal(
      "environment-unprotected",
      `the GitHub environment ${environment} has no required reviewers; add them (Settings → Environments) or set require-reviewers: false for it`,
    );
  }
}
