// Slack paging survives a promotion, and the token never sits in a plan file or in state (issue 11).
//
// Promotions apply a SAVED plan made by the read-only plan job, which must never hold the token. The
// monitoring module sends it as the provider's write-only `sensitive_labels.auth_token_wo` from an ephemeral
// variable, which OpenTofu (>= 1.11) does not record in a plan and takes again at apply time. This test drives
// the real `tofu` and the real hashicorp/google provider through the real module against a fake of the Cloud
// Monitoring REST API (the provider's `monitoring_custom_endpoint`), and checks what the API receives.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tofuBinary } from "@shopstream/action-kit/testing";
import { parse } from "yaml";
import { attr, blocks, type HclAttribute, loadHcl, parseHclFile } from "../../tools/terraform/hcl";
import { terraformRoot } from "../../tools/terraform/readme";

const REAL_TOKEN = "xoxb-real-token-1111";
const ROTATED_TOKEN = "xoxb-rotated-token-2222";
const PLAN_TIME_TOKEN = "xoxb-given-to-a-plan-3333";
const PROJECT = "shop-slack-test";

/** The provider plugin validate.sh builds (no Terraform registry is reachable here or in CI). */
const pluginDir = join(terraformRoot, "..", ".local", "tofu-plugins");
const localGoogle = join(pluginDir, "registry.opentofu.org", "hashicorp", "google");

// ---- fake Cloud Monitoring v3 REST API: projects.notificationChannels create / get / patch / delete ----

interface Channel {
  name: string;
  type: string;
  displayName?: string;
  labels: Record<string, string>;
  userLabels?: Record<string, string>;
  enabled?: boolean;
}
interface Call {
  method: string;
  path: string;
  labels?: Record<string, string>;
}
const channels = new Map<string, Channel>();
const calls: Call[] = [];
let nextId = 1;

/** What the API returns: sensitive labels are never echoed (the fake never returns the token). */
function shown(c: Channel): Channel {
  const { auth_token, ...labels } = c.labels;
  return { ...c, labels: auth_token === undefined ? labels : { ...labels, auth_token: "**********" } };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let raw = "";
  for await (const chunk of req) raw += String(chunk);
  const body = raw ? (JSON.parse(raw) as Partial<Channel>) : {};
  const path = new URL(req.url ?? "/", "http://fake").pathname;
  calls.push({ method: req.method ?? "", path, labels: body.labels });
  const create = path.match(/^\/v3\/projects\/([^/]+)\/notificationChannels$/);
  if (req.method === "POST" && create) {
    // `enabled` defaults to true in the API.
    const channel = {
      enabled: true,
      ...body,
      labels: body.labels ?? {},
      name: `projects/${create[1]}/notificationChannels/${nextId++}`,
    };
    channels.set(channel.name, channel as Channel);
    return reply(res, 200, shown(channel as Channel));
  }
  const name = path.replace(/^\/v3\//, "");
  const existing = channels.get(name);
  if (!existing)
    return reply(res, 404, { error: { code: 404, message: `${name} not found`, status: "NOT_FOUND" } });
  if (req.method === "GET") return reply(res, 200, shown(existing));
  if (req.method === "PATCH") {
    // No updateMask (the provider sends none): the request replaces the channel.
    const updated = { ...existing, ...body, name, labels: body.labels ?? {} } as Channel;
    channels.set(name, updated);
    return reply(res, 200, shown(updated));
  }
  if (req.method === "DELETE") {
    channels.delete(name);
    return reply(res, 200, {});
  }
  return reply(res, 400, { error: { code: 400, message: `unexpected ${req.method} ${path}` } });
}

// ---- a root that uses the real module exactly as terraform/main.tf does for the token ----

/** `name = expr` lines of the root's token variables and of the module arguments that carry them. */
function rootTokenWiring(): { variables: string; moduleArgs: string } {
  const isToken = (name: string) => name.startsWith("slack_auth_token");
  const variables = blocks(parseHclFile(join(terraformRoot, "variables.tf")), "variable")
    .filter((b) => isToken(b.labels[0]!))
    .map((b) => {
      const lines = b.body
        .filter((i): i is HclAttribute => i.kind === "attribute")
        .map((a) => `  ${a.name} = ${a.expr}`);
      return `variable "${b.labels[0]}" {\n${lines.join("\n")}\n}`;
    });
  const monitoring = blocks(parseHclFile(join(terraformRoot, "main.tf")), "module").find(
    (b) => b.labels[0] === "monitoring",
  );
  const moduleArgs = (monitoring?.body ?? [])
    .filter((i): i is HclAttribute => i.kind === "attribute" && isToken(i.name))
    .map((a) => `  ${a.name} = ${a.expr}`);
  expect(attr(monitoring?.body ?? [], "slack_auth_token")?.expr).toBe("var.slack_auth_token");
  return { variables: variables.join("\n\n"), moduleArgs: moduleArgs.join("\n") };
}

const work = mkdtempSync(join(tmpdir(), "tf-slack-token-"));
let endpoint = "";
const server = createServer((req, res) => {
  handle(req, res).catch((e: unknown) => reply(res, 500, { error: { code: 500, message: String(e) } }));
});

function writeRoot(tokenVersion?: number): void {
  const { variables, moduleArgs } = rootTokenWiring();
  writeFileSync(
    join(work, "main.tf"),
    `terraform {
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 8.0"
    }
  }
}

provider "google" {
  project                    = "${PROJECT}"
  access_token               = "fake-access-token"
  monitoring_custom_endpoint = "${endpoint}"
}

${variables}

module "monitoring" {
  source = "${join(terraformRoot, "modules", "monitoring")}"

  project_id           = "${PROJECT}"
  name_prefix          = "shopstream-test"
  service_id           = "shopstream-test-pipeline"
  environment          = "dev"
  slack_page_channel   = "#page"
  slack_ticket_channel = "#ticket"
${moduleArgs}
}
`,
  );
  writeFileSync(
    join(work, "terraform.tfvars"),
    tokenVersion === undefined ? "" : `slack_auth_token_version = ${tokenVersion}\n`,
  );
}

interface Result {
  code: number;
  out: string;
}

/** Runs tofu in the fixture root; TF_VAR_slack_auth_token only when a token is given. */
function tofu(args: string[], token?: string): Promise<Result> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    TF_CLI_CONFIG_FILE: join(work, "tofurc"),
    TF_VAR_slack_auth_token: token,
  };
  if (token === undefined) delete env.TF_VAR_slack_auth_token;
  return new Promise((resolve) => {
    execFile(
      tofuBinary(),
      [`-chdir=${work}`, ...args, "-no-color"],
      { env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
      },
    );
  });
}

async function ok(args: string[], token?: string): Promise<string> {
  const r = await tofu(args, token);
  if (r.code !== 0) throw new Error(`tofu ${args.join(" ")} failed (exit ${r.code}):\n${r.out}`);
  return r.out;
}

/** Every file inside a saved plan (a zip archive), as text. */
function planContents(planFile: string): Promise<string> {
  const script =
    "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nfor n in z.namelist(): sys.stdout.buffer.write(z.read(n))";
  return new Promise((resolve, reject) => {
    execFile("python3", ["-c", script, planFile], { maxBuffer: 256 * 1024 * 1024 }, (e, stdout) =>
      e ? reject(e) : resolve(stdout),
    );
  });
}

interface PlannedChannel {
  address: string;
  change: { actions: string[]; after: { sensitive_labels?: Record<string, unknown>[] } };
}
async function plannedChannels(planFile: string): Promise<PlannedChannel[]> {
  const json = JSON.parse(await ok(["show", "-json", planFile])) as { resource_changes?: PlannedChannel[] };
  return (json.resource_changes ?? []).filter((r) => r.address.includes("notification_channel.slack"));
}

const plan = (file: string, token?: string) =>
  ok(
    [
      "plan",
      "-input=false",
      "-lock=false",
      `-out=${file}`,
      "-target=module.monitoring.google_monitoring_notification_channel.slack",
    ],
    token,
  );
const storedTokens = () => [...channels.values()].map((c) => c.labels.auth_token).sort();

beforeAll(async () => {
  await loadHcl();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  writeFileSync(join(work, "tofurc"), "");
  writeRoot();
  if (!existsSync(localGoogle)) {
    throw new Error(
      `the google provider is not built in ${pluginDir}: run \`npm run terraform:check\` (it builds it from the Go module proxy; npm test runs it before these tests)`,
    );
  }
  await ok(["init", "-input=false", `-plugin-dir=${pluginDir}`]);
}, 300_000);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the Slack token of the alert channels (real tofu and provider, fake Monitoring API)", () => {
  it("a plan needs no token, and a token given to a plan is not recorded in the plan file", async () => {
    await plan("no-token.tfplan");
    const planned = await plannedChannels("no-token.tfplan");
    expect(planned.map((c) => c.change.actions)).toEqual([["create"], ["create"]]);
    for (const c of planned)
      expect(c.change.after.sensitive_labels).toEqual([
        expect.objectContaining({ auth_token_wo: null, auth_token_wo_version: "1" }),
      ]);

    await plan("with-token.tfplan", PLAN_TIME_TOKEN);
    expect(await planContents(join(work, "with-token.tfplan"))).not.toContain(PLAN_TIME_TOKEN);
    expect(calls.filter((c) => c.method !== "GET")).toEqual([]);
  }, 300_000);

  it("applying a saved plan without the token fails before any channel is written", async () => {
    const r = await tofu(["apply", "-input=false", "-lock=false", "no-token.tfplan"]);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/No Slack token/);
    expect(calls.filter((c) => c.method !== "GET")).toEqual([]);
  }, 300_000);

  it("the promotion's apply of a token-free saved plan writes the real token, and state never holds it", async () => {
    await plan("promotion.tfplan");
    await ok(["apply", "-input=false", "-lock=false", "promotion.tfplan"], REAL_TOKEN);
    expect(storedTokens()).toEqual([REAL_TOKEN, REAL_TOKEN]);
    expect(
      calls
        .filter((c) => c.method === "POST")
        .map((c) => c.labels?.channel_name)
        .sort(),
    ).toEqual(["#page", "#ticket"]);
    expect(readFileSync(join(work, "terraform.tfstate"), "utf8")).not.toContain(REAL_TOKEN);

    // Drift and later promotions plan without the token: nothing to change, so nothing is sent.
    await plan("again.tfplan");
    expect((await plannedChannels("again.tfplan")).map((c) => c.change.actions)).toEqual([
      ["no-op"],
      ["no-op"],
    ]);
    // Every apply needs the token, even one that changes no channel (OpenTofu checks the precondition of
    // unchanged resources too); it fails without writing anything.
    const sent = calls.filter((c) => c.method !== "GET").length;
    const r = await tofu(["apply", "-input=false", "-lock=false", "again.tfplan"]);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/No Slack token/);
    expect(calls.filter((c) => c.method !== "GET")).toHaveLength(sent);
    expect(storedTokens()).toEqual([REAL_TOKEN, REAL_TOKEN]);
  }, 300_000);

  it("rotating: a new token version sends the new token on the next promotion", async () => {
    writeRoot(2);
    await plan("rotation.tfplan");
    expect((await plannedChannels("rotation.tfplan")).map((c) => c.change.actions)).toEqual([
      ["update"],
      ["update"],
    ]);
    await ok(["apply", "-input=false", "-lock=false", "rotation.tfplan"], ROTATED_TOKEN);
    expect(storedTokens()).toEqual([ROTATED_TOKEN, ROTATED_TOKEN]);
    expect(readFileSync(join(work, "terraform.tfstate"), "utf8")).not.toContain(ROTATED_TOKEN);
  }, 300_000);
});

// ---- the workflows: plans never get a Slack token, the promotion's apply step does ----

type Step = { uses?: string; env?: Record<string, string> };
type Job = { env?: Record<string, string>; steps?: Step[] };
const workflowDir = join(terraformRoot, "..", ".github", "workflows");
const workflow = (file: string) =>
  parse(readFileSync(join(workflowDir, file), "utf8")) as {
    env?: Record<string, string>;
    jobs: Record<string, Job>;
  };

describe("workflows", () => {
  it.each(["terraform-plan.yml", "drift.yml", "promote.yml"])(
    "%s: no job that plans receives TF_VAR_slack_auth_token (not even a placeholder)",
    (file) => {
      const doc = workflow(file);
      expect(JSON.stringify(doc.env ?? {})).not.toMatch(/slack_auth_token|SLACK_AUTH_TOKEN/);
      for (const [name, job] of Object.entries(doc.jobs)) {
        if (!job.steps?.some((s) => s.uses === "./actions/terraform-plan")) continue;
        expect(`${name}: ${JSON.stringify(job)}`).not.toMatch(/slack_auth_token|SLACK_AUTH_TOKEN/);
      }
    },
  );

  it("promote.yml: the apply step alone gets the real token from the deploy environment's secret", () => {
    const jobs = workflow("promote.yml").jobs;
    const applying = Object.entries(jobs).filter(([, j]) =>
      j.steps?.some((s) => s.uses === "./actions/terraform-apply"),
    );
    expect(applying).toHaveLength(1);
    const [, job] = applying[0]!;
    expect(JSON.stringify(job.env ?? {})).not.toMatch(/slack_auth_token/);
    const withToken = job.steps!.filter((s) => s.env?.TF_VAR_slack_auth_token !== undefined);
    expect(withToken.map((s) => s.uses)).toEqual(["./actions/terraform-apply"]);
    expect(withToken[0]!.env!.TF_VAR_slack_auth_token).toBe(`\${{ secrets.SLACK_AUTH_TOKEN }}`);
  });
});
