// Identities: every permission a component needs (permissions.json, each row citing the upstream code path or
// document that needs it) is granted by Terraform on the right resource, and nothing listed as forbidden is.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadHcl } from "../../tools/terraform/hcl";
import { type Grant, moduleGrants } from "./iam-grants";

interface Need {
  who: string;
  module: string;
  member: string;
  permission: string;
  grant: string;
  scope: string;
  condition?: string;
  when: string;
  source: string;
}
interface Forbidden {
  who: string;
  module: string;
  member: string;
  permissions: string[];
  /** A grant whose IAM condition matches this is allowed (e.g. a role-limited projectIamAdmin). */
  unlessCondition?: string;
  why: string;
}
interface Table {
  roles: Record<string, string[]>;
  needs: Need[];
  forbidden: Forbidden[];
}

beforeAll(loadHcl);

const table = JSON.parse(readFileSync(join(__dirname, "permissions.json"), "utf8")) as Table;
const grantsOf = new Map<string, Grant[]>();
const grants = (dir: string): Grant[] => {
  if (!grantsOf.has(dir)) grantsOf.set(dir, moduleGrants(dir));
  return grantsOf.get(dir) ?? [];
};
const permissionsOf = (g: Grant) => g.roles.flatMap((r) => table.roles[r] ?? []);

describe("permissions table", () => {
  test("every row cites where the need comes from and names the moment it is needed", () => {
    const bare = table.needs
      .filter((n) => n.source.length < 40 || !n.when)
      .map((n) => `${n.who}: ${n.permission}`);
    expect(bare).toEqual([]);
  });

  test("every role granted anywhere in Terraform is recorded (so no grant escapes the checks)", () => {
    const dirs = [
      "modules/dataflow",
      "modules/bigquery",
      "modules/pubsub",
      "modules/mongodb",
      "modules/jobs",
      "bootstrap",
    ];
    const unknown = dirs.flatMap((d) =>
      grants(d).flatMap((g) => g.roles.filter((r) => !(r in table.roles)).map((r) => `${g.address}: ${r}`)),
    );
    expect(unknown).toEqual([]);
  });
});

describe.each(table.needs.map((n) => [`${n.who} needs ${n.permission} (${n.when})`, n] as const))(
  "%s",
  (_title, need) => {
    test("is granted on the right resource", () => {
      const matching = grants(need.module).filter(
        (g) =>
          g.type === need.grant &&
          new RegExp(need.member).test(g.member) &&
          new RegExp(need.scope).test(g.scope) &&
          (need.condition === undefined || new RegExp(need.condition).test(g.condition)) &&
          permissionsOf(g).includes(need.permission),
      );
      expect(matching.map((g) => g.address)).not.toEqual([]);
    });
  },
);

describe.each(table.forbidden.map((f) => [f.who, f] as const))("%s", (_who, rule) => {
  test(`never holds ${rule.permissions.join(", ")} (${rule.why})`, () => {
    const found = grants(rule.module)
      .filter((g) => new RegExp(rule.member).test(g.member))
      .filter(
        (g) => rule.unlessCondition === undefined || !new RegExp(rule.unlessCondition).test(g.condition),
      )
      .flatMap((g) =>
        permissionsOf(g)
          .filter((p) => rule.permissions.includes(p))
          .map((p) => `${g.address}: ${p} via ${g.roles.join(",")}`),
      );
    expect(found).toEqual([]);
  });
});

describe("deploy identity", () => {
  test("every role it holds is needed by a row of the table (each role is there for a reason)", () => {
    const deployNeeds = table.needs.filter((n) => n.module === "bootstrap" && n.member.includes("deploy"));
    const unexplained = grants("bootstrap")
      .filter((g) => /google_service_account\.deploy/.test(g.member))
      .flatMap((g) =>
        g.roles
          .filter(
            (r) =>
              !deployNeeds.some((n) => n.grant === g.type && (table.roles[r] ?? []).includes(n.permission)),
          )
          .map((r) => `${g.address}: ${r}`),
      );
    expect(unexplained).toEqual([]);
  });

  test("may grant every project-level role the environment root's modules grant (deploy_grantable_roles)", () => {
    const variables = readFileSync(join(__dirname, "..", "bootstrap", "variables.tf"), "utf8");
    const block = /variable "deploy_grantable_roles" \{[\s\S]*?default\s*=\s*\[([\s\S]*?)\]/.exec(
      variables,
    )?.[1];
    const grantable = new Set(block?.match(/roles\/[A-Za-z0-9_.]+/g) ?? []);
    expect(grantable.size).toBeGreaterThan(0);
    const missing = ["modules/dataflow", "modules/bigquery", "modules/jobs"]
      .flatMap((d) => grants(d))
      .filter((g) => g.type === "google_project_iam_member")
      .flatMap((g) => g.roles.filter((r) => !grantable.has(r)).map((r) => `${g.address}: ${r}`));
    expect(missing).toEqual([]);
  });

  test("Workload Identity accepts deploy-environment tokens only from refs/heads/main", () => {
    const provider = readFileSync(join(__dirname, "..", "bootstrap", "main.tf"), "utf8");
    const condition = /attribute_condition\s*=\s*join\(" && ", \[([\s\S]*?)\]\)/.exec(provider)?.[1] ?? "";
    expect(condition).toMatch(/assertion\.environment in \$\{jsonencode\(local\.deploy_environments\)\}/);
    expect(condition).toMatch(/assertion\.ref == \\"refs\/heads\/main\\"/);
  });
});
