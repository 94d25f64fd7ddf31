import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * docs/forking.md, section "3. What the workflows read", lists every variable, secret and environment the
 * workflows use; this test compares those tables with the workflow files (and with actionlint's
 * config-variables, which makes actionlint refuse a variable nobody documented).
 */
const repo = join(__dirname, "../../..");
const workflowDir = join(repo, ".github/workflows");
const workflowFiles = readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));
const workflowText = workflowFiles.map((f) => readFileSync(join(workflowDir, f), "utf8")).join("\n");

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(heading);
  if (start < 0) throw new Error(`docs/forking.md has no section "${heading}"`);
  const next = markdown.indexOf("\n## ", start + heading.length);
  return markdown.slice(start, next < 0 ? undefined : next);
}

/** Backticked names in the first column of the table under `### title`. */
function firstColumn(text: string, title: string): Set<string> {
  const start = text.indexOf(`### ${title}`);
  if (start < 0) throw new Error(`docs/forking.md section 3 has no "### ${title}"`);
  const end = text.indexOf("\n#", start + 4);
  const table = text.slice(start, end < 0 ? undefined : end);
  const names = new Set<string>();
  for (const line of table.split("\n")) {
    const cell = line.match(/^\|([^|]+)\|/)?.[1];
    if (!cell) continue;
    for (const m of cell.matchAll(/`([^`]+)`/g)) names.add(m[1]!);
  }
  return names;
}

const doc = section(readFileSync(join(repo, "docs/forking.md"), "utf8"), "## 3. What the workflows read");

/** `vars.X`, `vars[matrix.project_var]` resolved through the matrix values, and `secrets.X`. */
function used(kind: "vars" | "secrets"): Set<string> {
  const names = new Set<string>();
  for (const m of workflowText.matchAll(new RegExp(`\\b${kind}\\.([A-Z0-9_]+)`, "g"))) names.add(m[1]!);
  if (kind === "vars") {
    // Indirect reads: `vars[matrix.project_var]` with project_var values in a matrix include.
    for (const m of workflowText.matchAll(/project_var:\s*([A-Z0-9_]+)/g)) names.add(m[1]!);
  }
  // GITHUB_TOKEN is GitHub's own, not something a fork sets up.
  names.delete("GITHUB_TOKEN");
  return names;
}

function environments(): Set<string> {
  const names = new Set<string>();
  for (const file of workflowFiles) {
    const wf = parse(readFileSync(join(workflowDir, file), "utf8")) as {
      jobs: Record<string, { environment?: string | { name: string } }>;
    };
    for (const job of Object.values(wf.jobs)) {
      const env = typeof job.environment === "object" ? job.environment.name : job.environment;
      if (env) names.add(env.replace(/\$\{\{[^}]+\}\}/g, "<env>"));
    }
  }
  return names;
}

const sorted = (s: Set<string>) => [...s].sort();

it("lists exactly the variables the workflows read", () => {
  expect(sorted(firstColumn(doc, "Variables"))).toEqual(sorted(used("vars")));
});

it("lists exactly the secrets the workflows read", () => {
  expect(sorted(firstColumn(doc, "Secrets"))).toEqual(sorted(used("secrets")));
});

it("lists exactly the environments the workflows run in", () => {
  const documented = new Set(
    [...firstColumn(doc, "Environments")].filter((n) => !/^(dev|staging|prod)$/.test(n)),
  );
  expect(sorted(documented)).toEqual(sorted(environments()));
});

it("actionlint accepts exactly the documented variables", () => {
  const config = parse(readFileSync(join(repo, ".github/actionlint.yaml"), "utf8")) as {
    "config-variables": string[];
  };
  expect([...config["config-variables"]].sort()).toEqual(sorted(firstColumn(doc, "Variables")));
});
