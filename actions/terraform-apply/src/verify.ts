/**
 * The apply gate's own decisions about the plan, as pure functions: is this the reviewed plan, for this
 * environment, made from the commit being applied. The environment's protection is checked by
 * @shopstream/action-kit (checkProtection, checkRef), which shares the refusal vocabulary.
 */
import { type PlanMeta, Refusal } from "@shopstream/action-kit";

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

/** Commit mode (promotions): the plan was made from the commit being applied. */
export function checkCommit(meta: PlanMeta, sha: string): void {
  if (meta.commit !== sha) {
    throw new Refusal(
      "plan-outdated",
      `the plan was made on ${meta.commit.slice(0, 12)} but this run applies ${sha.slice(0, 12)}`,
    );
  }
}
