// Reads the IAM grants a Terraform module declares, without evaluating it: each `*_iam_member` resource
// with the roles it can grant (literal roles, or the `roles/...` literals of the locals and variables its
// expressions reference), its member and scope expressions and its condition. Shared by the identity and
// secret tests.
import { join } from "node:path";
import { attr, blocks, deepAttributes, type HclBlock, readModule } from "../../tools/terraform/hcl";
import { terraformRoot } from "../../tools/terraform/readme";

export interface Grant {
  address: string;
  type: string;
  roles: string[];
  member: string;
  scope: string;
  condition: string;
  text: string;
}

const scopeAttributes = [
  "dataset_id",
  "table_id",
  "subscription",
  "topic",
  "bucket",
  "secret_id",
  "service_account_id",
  "crypto_key_id",
  "repository",
  "name",
  "project",
];

/** Every IAM member resource of the module in `terraform/<dir>`. */
export function moduleGrants(dir: string): Grant[] {
  const mod = readModule(join(terraformRoot, dir));
  const named = new Map<string, string>();
  for (const items of mod.files.values()) {
    for (const l of blocks(items, "locals"))
      for (const a of l.body) if (a.kind === "attribute") named.set(`local.${a.name}`, a.expr);
  }
  for (const v of mod.variables) named.set(`var.${v.name}`, `${v.type ?? ""} ${v.default ?? ""}`);

  /** The expression text plus, transitively, the text of the locals and variables it references. */
  const expand = (text: string, seen = new Set<string>()): string => {
    // keys(x) contributes only x's keys, never its values (e.g. setproduct(keys(var.environments), ...)).
    const valuesOnly = text.replace(/\bkeys\((?:local|var)\.[A-Za-z0-9_]+\)/g, "");
    let out = text;
    for (const ref of valuesOnly.match(/\b(?:local|var)\.[A-Za-z0-9_]+/g) ?? []) {
      if (seen.has(ref) || !named.has(ref)) continue;
      seen.add(ref);
      out += `\n${expand(named.get(ref) ?? "", seen)}`;
    }
    return out;
  };

  const grants: Grant[] = [];
  for (const items of mod.files.values()) {
    for (const b of blocks(items, "resource")) {
      const type = b.labels[0] ?? "";
      if (!type.endsWith("_iam_member")) continue;
      const text = deepAttributes(b.body)
        .map((a) => `${a.name} = ${a.expr}`)
        .join("\n");
      const roleExpr = attr(b.body, "role")?.expr ?? "";
      const literal = /^"(roles\/[A-Za-z0-9_.]+)"$/.exec(roleExpr);
      // A computed role comes from what the resource iterates over (for_each), never from e.g. its project.
      const roleSources = `${roleExpr}\n${attr(b.body, "for_each")?.expr ?? ""}`;
      const roles = literal?.[1]
        ? [literal[1]]
        : [...new Set(expand(roleSources).match(/roles\/[A-Za-z0-9_.]+/g) ?? [])];
      grants.push({
        address: `${dir}/${type}.${b.labels[1]}`,
        type,
        roles,
        member: memberOf(b, expand),
        scope: scopeOf(b),
        condition: expand(
          blocks(b.body, "condition")
            .flatMap((c) => c.body.map((a) => (a.kind === "attribute" ? a.expr : "")))
            .join("\n"),
        ),
        text,
      });
    }
  }
  return grants;
}

/** The member expression; when it is `each.value...`, the for_each expression it iterates over too. */
function memberOf(b: HclBlock, expand: (text: string) => string): string {
  const member = attr(b.body, "member")?.expr ?? "";
  return expand(member.includes("each.") ? `${member} ${attr(b.body, "for_each")?.expr ?? ""}` : member);
}

function scopeOf(b: HclBlock): string {
  const found = scopeAttributes
    .map((n) => ({ n, expr: attr(b.body, n)?.expr }))
    .filter((a): a is { n: string; expr: string } => !!a.expr);
  // The resource's own scope (dataset, bucket...) wins over `project`, which most of them also set.
  const own = found.length > 1 ? found.filter((a) => a.n !== "project") : found;
  return `${own.map((a) => a.expr).join(" ")} ${attr(b.body, "for_each")?.expr ?? ""}`;
}
