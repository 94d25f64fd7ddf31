/**
 * Synthetic plans for the huge-plan test and the benchmark: `n` resources spread over 12 modules, mostly
 * creates with some updates, replaces and destroys, realistic attribute sizes.
 */
import type { PlanJson, ResourceChangeJson } from "./plan";

const TYPES = [
  "google_pubsub_subscription",
  "google_bigquery_table",
  "google_monitoring_alert_policy",
  "google_project_iam_member",
  "google_storage_bucket_object",
];

/** Builds a plan JSON document with `n` changed resources. */
export function syntheticPlan(n: number): PlanJson {
  const changes: ResourceChangeJson[] = [];
  for (let i = 0; i < n; i++) {
    const module = `module.shard_${String(i % 12).padStart(2, "0")}`;
    const type = TYPES[i % TYPES.length]!;
    const kind = i % 50 === 0 ? "replace" : i % 20 === 0 ? "update" : "create";
    const after = {
      name: `shopstream-dev-${type}-${i}`,
      project: "shop-dev",
      labels: { app: "shopstream", environment: "dev", "managed-by": "terraform", shard: String(i % 12) },
      description: `Synthetic resource number ${i} of the benchmark plan, with a description of realistic length.`,
      settings: { retries: i % 7, timeout: `${(i % 9) + 1}0s`, enabled: i % 3 !== 0 },
    };
    const before = kind === "create" ? null : { ...after, settings: { ...after.settings, retries: 0 } };
    changes.push({
      address: `${module}.${type}.r${i}`,
      module_address: module,
      mode: "managed",
      type,
      name: `r${i}`,
      change: {
        actions: kind === "replace" ? ["delete", "create"] : [kind],
        before,
        after,
        after_unknown: { id: true },
        before_sensitive: before ? {} : false,
        after_sensitive: {},
        ...(kind === "replace" ? { replace_paths: [["name"]] } : {}),
      },
    });
  }
  return { format_version: "1.2", terraform_version: "1.10.10", resource_changes: changes };
}
