// Structural checks of terraform/: conventions that neither `tofu fmt` nor checkov enforce. They parse
// the HCL with tools/terraform/hcl.ts, so they need no tool installed and run in the unit project.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  attr,
  blocks,
  deepAttributes,
  deepBlocks,
  type HclBlock,
  type HclItem,
  loadHcl,
  parseHclFile,
  readModule,
  stringLiteral,
  type TfVariable,
} from "../../tools/terraform/hcl";
import {
  documentedDirs,
  renderDocs,
  syncReadmes,
  terraformRoot,
  withDocs,
} from "../../tools/terraform/readme";

const root = terraformRoot;
const moduleNames = ["pubsub", "dataflow", "bigquery", "mongodb", "monitoring"];
const environments = ["dev", "staging", "prod"];
const rel = (p: string) => relative(root, p);

/** Every .tf file under terraform/, with its parse. */
function allTfFiles(dir = root): Array<{ path: string; items: HclItem[] }> {
  const out: Array<{ path: string; items: HclItem[] }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === ".terraform" || entry.name === "test") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...allTfFiles(path));
    else if (entry.name.endsWith(".tf")) out.push({ path, items: parseHclFile(path) });
  }
  return out;
}

let tfFiles: Array<{ path: string; items: HclItem[] }> = [];
beforeAll(async () => {
  await loadHcl();
  tfFiles = allTfFiles();
});
const roots = documentedDirs();

describe("layout", () => {
  test.each(moduleNames)("module %s has the standard files, a README and an example", (name) => {
    const dir = join(root, "modules", name);
    for (const f of [
      "main.tf",
      "variables.tf",
      "outputs.tf",
      "versions.tf",
      "README.md",
      "examples/basic/main.tf",
    ]) {
      expect(existsSync(join(dir, f)) ? f : `missing ${f}`).toBe(f);
    }
  });

  test.each(["", "bootstrap"])("root %s has main/variables/outputs/versions.tf and a README", (name) => {
    for (const f of ["main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"]) {
      expect(existsSync(join(root, name, f)) ? f : `missing ${name}/${f}`).toBe(f);
    }
  });

  test.each(environments)("environment %s has a tfvars and a backend file", (env) => {
    expect(existsSync(join(root, "environments", `${env}.tfvars`))).toBe(true);
    expect(existsSync(join(root, "environments", `${env}.backend.hcl`))).toBe(true);
  });
});

describe("variables and outputs", () => {
  test.each(roots.map((d) => [rel(d) || ".", d]))(
    "%s: every variable is typed and described",
    (_name, dir) => {
      const problems = readModule(dir)
        .variables.filter((v) => !v.type || !v.description || v.description.trim().length < 10)
        .map((v) => `${v.file}:${v.line} variable "${v.name}"`);
      expect(problems).toEqual([]);
    },
  );

  test.each(roots.map((d) => [rel(d) || ".", d]))("%s: every output is described", (_name, dir) => {
    const problems = readModule(dir)
      .outputs.filter((o) => !o.description || o.description.trim().length < 10)
      .map((o) => `${o.file}:${o.line} output "${o.name}"`);
    expect(problems).toEqual([]);
  });

  test("variables live in variables.tf and outputs in outputs.tf", () => {
    const misplaced = roots.flatMap((dir) => {
      const m = readModule(dir);
      return [
        ...m.variables
          .filter((v) => v.file !== "variables.tf")
          .map((v) => `${rel(dir)}/${v.file}: variable ${v.name}`),
        ...m.outputs
          .filter((o) => o.file !== "outputs.tf")
          .map((o) => `${rel(dir)}/${o.file}: output ${o.name}`),
      ];
    });
    expect(misplaced).toEqual([]);
  });

  test("the Slack token is a sensitive, ephemeral variable with no default but null (plans need none)", () => {
    for (const dir of [root, join(root, "modules", "monitoring")]) {
      const token = readModule(dir).variables.find((v) => v.name === "slack_auth_token");
      expect(token).toMatchObject({ sensitive: true, default: "null" });
      const block = blocks(parseHclFile(join(dir, token!.file)), "variable").find(
        (b) => b.labels[0] === "slack_auth_token",
      );
      expect(attr(block!.body, "ephemeral")?.expr).toBe("true");
    }
  });
});

describe("no hard-coded environment values", () => {
  const literal = (expr: string) => stringLiteral(expr) !== null && !expr.includes("${");

  test("no project attribute is a literal", () => {
    const found = tfFiles.flatMap(({ path, items }) =>
      deepAttributes(items)
        .filter(
          (a) =>
            ["project", "project_id", "gcp_project_id", "admin_project_id"].includes(a.name) &&
            literal(a.expr),
        )
        .map((a) => `${rel(path)}:${a.line} ${a.name} = ${a.expr}`),
    );
    expect(found).toEqual([]);
  });

  test("no literal projects/<id>/ path or project-specific service-account email", () => {
    const found = tfFiles.flatMap(({ path }) =>
      readFileSync(path, "utf8")
        .split("\n")
        .map((line, i) => ({ line, n: i + 1 }))
        .filter(({ line }) => !line.trim().startsWith("#"))
        .filter(
          ({ line }) =>
            /projects\/(?!_\/|\$\{|P\/|PROJECT)[a-z][a-z0-9-]{4,28}[a-z0-9]\//.test(line) ||
            // Service agents live in Google-owned domains (gcp-sa-*, serverless-robot-prod for Cloud Run).
            /@(?!gcp-sa-|serverless-robot-prod\.iam)[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com/.test(
              line,
            ),
        )
        .map(({ line, n }) => `${rel(path)}:${n} ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });

  test("modules declare no provider configuration (the roots do)", () => {
    const found = tfFiles
      .filter(({ path }) => path.includes("/modules/") && !path.includes("/examples/"))
      .filter(({ items }) => blocks(items, "provider").length > 0);
    expect(found.map((f) => rel(f.path))).toEqual([]);
  });

  test("modules have no variable defaults that look like project IDs, regions or Atlas orgs", () => {
    const found = moduleNames.flatMap((name) =>
      readModule(join(root, "modules", name))
        .variables.filter(
          (v) => ["project_id", "region", "location", "atlas_org_id"].includes(v.name) && v.default !== null,
        )
        .map((v) => `${name}: ${v.name}`),
    );
    expect(found).toEqual([]);
  });
});

describe("environments", () => {
  let rootVars: TfVariable[] = [];
  beforeAll(() => {
    rootVars = readModule(root).variables;
  });
  const tfvars = (env: string) => parseHclFile(join(root, "environments", `${env}.tfvars`));

  test.each(environments)(
    "%s.tfvars sets every required non-secret root variable and only known ones",
    (env) => {
      const set = new Set(tfvars(env).map((it) => (it.kind === "attribute" ? it.name : `block ${it.type}`)));
      const known = new Set(rootVars.map((v) => v.name));
      const required = rootVars.filter((v) => v.default === null && !v.sensitive).map((v) => v.name);
      expect(required.filter((n) => !set.has(n))).toEqual([]);
      expect([...set].filter((n) => !known.has(n))).toEqual([]);
      expect(set.has("slack_auth_token")).toBe(false);
    },
  );

  test("every environment sets the same variables (promotion changes values, not shape)", () => {
    const keys = environments.map((env) =>
      tfvars(env)
        .map((it) => (it.kind === "attribute" ? it.name : it.type))
        .sort()
        .join(","),
    );
    expect(new Set(keys).size).toBe(1);
  });

  test.each(environments)("%s.tfvars names its own environment and backend prefix", (env) => {
    expect(stringLiteral(attr(tfvars(env), "environment")?.expr ?? "")).toBe(env);
    const backend = parseHclFile(join(root, "environments", `${env}.backend.hcl`));
    expect(stringLiteral(attr(backend, "prefix")?.expr ?? "")).toBe(`env/${env}`);
  });
});

describe("providers and versions", () => {
  test.each(roots.map((d) => [rel(d) || ".", d]))(
    "%s pins required_version and every provider",
    (_name, dir) => {
      const items = parseHclFile(join(dir, "versions.tf"));
      const tf = blocks(items, "terraform")[0];
      expect(tf).toBeDefined();
      expect(attr(tf?.body ?? [], "required_version")).toBeDefined();
      const providers = blocks(tf?.body ?? [], "required_providers")[0];
      const entries = deepAttributes(providers?.body ?? []);
      expect(entries.length).toBeGreaterThan(0);
      for (const p of entries) expect(`${p.name}: ${p.expr}`).toMatch(/version\s*=\s*"[^"]+"/);
    },
  );
});

describe("security invariants", () => {
  let resources: Array<{ path: string; b: HclBlock }> = [];
  beforeAll(() => {
    resources = tfFiles.flatMap(({ path, items }) => blocks(items, "resource").map((b) => ({ path, b })));
  });

  test("no IAM member or binding is public", () => {
    const found = tfFiles.flatMap(({ path, items }) =>
      deepAttributes(items)
        .filter(
          (a) => ["member", "members"].includes(a.name) && /allUsers|allAuthenticatedUsers/.test(a.expr),
        )
        .map((a) => `${rel(path)}:${a.line}`),
    );
    expect(found).toEqual([]);
  });

  test("MongoDB Atlas has no IP access list entry", () => {
    expect(
      resources
        .filter(({ b }) => /ip_access_list|project_ip_whitelist/.test(b.labels[0] ?? ""))
        .map(({ path }) => rel(path)),
    ).toEqual([]);
  });

  test("buckets enforce public access prevention and uniform access", () => {
    for (const { path, b } of resources.filter(({ b }) => b.labels[0] === "google_storage_bucket")) {
      expect(`${rel(path)} ${attr(b.body, "public_access_prevention")?.expr}`).toBe(
        `${rel(path)} "enforced"`,
      );
      expect(`${rel(path)} ${attr(b.body, "uniform_bucket_level_access")?.expr}`).toBe(`${rel(path)} true`);
    }
  });

  test("Dataflow jobs: google-beta, drain on delete, Streaming Engine, private workers, verified TLS", () => {
    const jobs = resources.filter(({ b }) => b.labels[0] === "google_dataflow_flex_template_job");
    expect(jobs).toHaveLength(1);
    const body = jobs[0]?.b.body ?? [];
    expect(attr(body, "provider")?.expr).toBe("google-beta");
    expect(attr(body, "on_delete")?.expr).toBe('"drain"');
    expect(attr(body, "enable_streaming_engine")?.expr).toBe("true");
    expect(attr(body, "ip_configuration")?.expr).toBe('"WORKER_IP_PRIVATE"');
    const main = readFileSync(join(root, "modules", "dataflow", "main.tf"), "utf8");
    expect(main).toMatch(/ignoreSSLCertificate\s*=\s*"false"/);
    expect(main).toMatch(/withSSLInvalidHostNameAllowed\s*=\s*"false"/);
  });

  test("dead-letter and retry policies only on subscriptions of plain pull consumers, never Dataflow's", () => {
    // Pub/Sub "Handle message failures": dead-letter topics and retry policies are not supported by Dataflow.
    const subs = resources.filter(
      ({ b }) => b.labels[0] === "google_pubsub_subscription" && b.labels[1] === "events",
    );
    expect(subs).toHaveLength(1);
    for (const { b } of subs) {
      expect(blocks(b.body, "dead_letter_policy")).toHaveLength(0);
      expect(blocks(b.body, "retry_policy")).toHaveLength(0);
      for (const name of ["dead_letter_policy", "retry_policy"]) {
        const dynamic = blocks(b.body, "dynamic").filter((d) => d.labels[0] === name);
        expect(dynamic).toHaveLength(1);
        expect(attr(dynamic[0]?.body ?? [], "for_each")?.expr).toMatch(/each\.value\.reader == "node"/);
      }
    }
    // Every subscription the root hands to a Dataflow job is declared as read by Dataflow.
    const rootMain = parseHclFile(join(root, "main.tf"));
    const pubsubCall = deepBlocks(rootMain, "module").find((m) => m.labels[0] === "pubsub");
    const dataflowCall = deepBlocks(rootMain, "module").find((m) => m.labels[0] === "dataflow");
    const wired = [
      ...(JSON.stringify(dataflowCall).matchAll(/subscription_ids\[\\"([a-z-]+)\\"\]/g) ?? []),
    ].map((m) => m[1]);
    expect(wired.sort()).toEqual(["analytics", "ingestion"]);
    const declared =
      attr(pubsubCall?.body ?? [], "subscriptions")?.expr ??
      readModule(join(root, "modules", "pubsub")).variables.find((v) => v.name === "subscriptions")
        ?.default ??
      "";
    // Either one literal entry per consumer, or one `for` over every consumer that sets reader = "dataflow"
    // unconditionally (the root builds the map from the platform declaration's subscription names).
    const forAll =
      /^\{\s*for\s+\w+\s+in\s+keys\(local\.names\.pubsub\.subscriptions\)\s*:\s*\w+\s*=>\s*\{[^}]*\breader\s*=\s*"dataflow"/;
    for (const key of wired)
      expect(declared).toMatch(
        forAll.test(declared.trim())
          ? forAll
          : new RegExp(`${key}\\s*=\\s*\\{[^}]*reader\\s*=\\s*"dataflow"`),
      );
  });

  test("every checkov suppression carries a reason", () => {
    const bare = tfFiles.flatMap(({ path }) =>
      readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => /checkov:skip=/.test(l) && !/checkov:skip=CKV2?_[A-Z0-9_]+:\s*\S.{15,}/.test(l))
        .map((l) => `${rel(path)}: ${l.trim()}`),
    );
    expect(bare).toEqual([]);
  });

  test("labels reach every labelable resource through the provider default_labels", () => {
    const providers = parseHclFile(join(root, "providers.tf"));
    for (const p of blocks(providers, "provider").filter((b) => (b.labels[0] ?? "").startsWith("google"))) {
      expect(attr(p.body, "default_labels")?.expr).toBe("local.labels");
    }
  });
});

describe("README docs", () => {
  test("generated Inputs/Outputs sections are up to date (run: npx tsx tools/terraform/readme.ts)", () => {
    expect(syncReadmes(false)).toEqual([]);
  });

  test("the generator replaces exactly the marked section", () => {
    const docs = renderDocs({ dir: "x", files: new Map(), variables: [], outputs: [] });
    const once = withDocs("# T\n\nintro\n", docs);
    expect(withDocs(once, docs)).toBe(once);
    expect(once).toContain("No inputs.");
  });

  test("every module example calls its module by relative source", () => {
    for (const name of moduleNames) {
      const items = parseHclFile(join(root, "modules", name, "examples", "basic", "main.tf"));
      const sources = deepBlocks(items, "module").map((m) =>
        stringLiteral(attr(m.body, "source")?.expr ?? ""),
      );
      expect(sources).toContain("../..");
    }
  });
});
