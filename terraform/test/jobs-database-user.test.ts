// The scheduled jobs (apps/reconciler) read MongoDB with their own read-only Atlas user: reconciliation needs
// `read` on the raw collection's database, the SLI exporter `serverStatus` (clusterMonitor on admin). They
// must never receive the ingestion user's readWrite URI.
import { join } from "node:path";
import { attr, blocks, type HclItem, loadHcl, parseHclFile, stringLiteral } from "../../tools/terraform/hcl";
import { terraformRoot } from "../../tools/terraform/readme";

let mongodbMain: HclItem[] = [];
beforeAll(async () => {
  await loadHcl();
  mongodbMain = parseHclFile(join(terraformRoot, "modules", "mongodb", "main.tf"));
});
const user = (name: string) =>
  blocks(mongodbMain, "resource").find(
    (b) => b.labels[0] === "mongodbatlas_database_user" && b.labels[1] === name,
  );

/** `role@database` of each `roles {}` block of a database user. */
const rolesOf = (name: string) =>
  blocks(user(name)?.body ?? [], "roles")
    .map((r) => {
      const role = stringLiteral(attr(r.body, "role_name")?.expr ?? "") ?? attr(r.body, "role_name")?.expr;
      const db =
        stringLiteral(attr(r.body, "database_name")?.expr ?? "") ?? attr(r.body, "database_name")?.expr;
      return `${role}@${db}`;
    })
    .sort();

test("the jobs user may read the database and monitor the cluster, and write nothing", () => {
  expect(rolesOf("jobs")).toEqual(["clusterMonitor@admin", "read@var.database_name"]);
});

test("the jobs module receives the jobs user's URI secret, not the ingestion user's", () => {
  const rootMain = parseHclFile(join(terraformRoot, "main.tf"));
  const jobs = blocks(rootMain, "module").find((b) => b.labels[0] === "jobs");
  expect(attr(jobs?.body ?? [], "mongodb_uri_secret_id")?.expr).toBe("module.mongodb.jobs_uri_secret_id");
  const mongodb = blocks(rootMain, "module").find((b) => b.labels[0] === "mongodb");
  expect(attr(mongodb?.body ?? [], "secret_ids")?.expr).toMatch(
    /jobs_uri\s*=\s*local\.names\.mongodb\.jobs_uri_secret/,
  );
  expect(attr(mongodb?.body ?? [], "jobs_database_username")?.expr).toBe(
    "local.names.mongodb.jobs_database_user",
  );
});

test("the jobs user's password rotates with the ingestion user's (password_generation)", () => {
  const password = blocks(mongodbMain, "resource").find(
    (b) => b.labels[0] === "random_password" && b.labels[1] === "jobs_user",
  );
  expect(attr(password?.body ?? [], "keepers")?.expr ?? "").toMatch(/var\.password_generation/);
});
