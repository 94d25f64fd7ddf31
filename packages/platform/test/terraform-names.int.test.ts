/**
 * The Terraform modules' name variables accept every name the declaration derives, for every cloud
 * environment and for a fork at every length limit, and refuse names over Google Cloud's limits. Runs
 * the real `tofu` (installed by `npm run terraform:check`, before the integration project) on a root made
 * of the modules' own variable blocks: no provider is needed to evaluate variable validations.
 *
 * Regression (issue 10, defect 2): modules/dataflow took a name_prefix of 3-17 characters and built
 * `<prefix>-df-<job>` service-account IDs, so `shopstream-staging` could not be planned; the last test
 * runs that old variable block and shows it refusing staging.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DECLARATION,
  LONGEST_PROJECT_ID,
  MAX_APP_LENGTH,
  MAX_ENVIRONMENT_LENGTH,
  type PlatformDeclaration,
  terraformPlatform,
} from "../src";

const REPO = join(__dirname, "..", "..", "..");
/** The pinned OpenTofu: tools/terraform/install.sh keeps one binary per version and prints its path. */
const TOFU = execFileSync("bash", [join(REPO, "tools", "terraform", "install.sh"), "tofu-path"], {
  encoding: "utf8",
}).trim();
const MODULES = join(REPO, "terraform", "modules");

/** The name variables of each module (the rest of their variables are not about names). */
const NAME_VARIABLES: Record<string, string[]> = {
  pubsub: ["names"],
  dataflow: ["job_names", "service_account_ids", "temp_bucket_name"],
  bigquery: ["raw_dataset_id", "analytics_dataset_id", "aggregates_service_account_id"],
  mongodb: ["psc_endpoint_name", "secret_ids"],
  monitoring: ["service_id"],
};

/** Source text of `variable "<name>" { ... }` in `text` (braces balance in this repository's HCL). */
export function variableBlock(text: string, name: string): string {
  const start = text.indexOf(`variable "${name}" {`);
  if (start < 0) throw new Error(`variable "${name}" not found`);
  let depth = 0;
  for (let i = text.indexOf("{", start); i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`variable "${name}" is not closed`);
}

type Names = {
  pubsub: Record<string, unknown>;
  dataflow: { jobs: unknown; service_accounts: unknown; temp_bucket: string };
  bigquery: { raw_dataset: string; analytics_dataset: string };
  service_accounts: { aggregates: string };
  mongodb: { uri_secret: string; password_secret: string; jobs_uri_secret: string };
  network: { psc_endpoint: string };
  monitoring: { service: string };
};

/** The module inputs the root passes (terraform/main.tf), for one environment of the generated file. */
function moduleInputs(n: Names, projectId: string) {
  return {
    names: n.pubsub,
    job_names: n.dataflow.jobs,
    service_account_ids: n.dataflow.service_accounts,
    temp_bucket_name: n.dataflow.temp_bucket.replace("{project_id}", projectId),
    raw_dataset_id: n.bigquery.raw_dataset,
    analytics_dataset_id: n.bigquery.analytics_dataset,
    aggregates_service_account_id: n.service_accounts.aggregates,
    psc_endpoint_name: n.network.psc_endpoint,
    secret_ids: {
      uri: n.mongodb.uri_secret,
      password: n.mongodb.password_secret,
      jobs_uri: n.mongodb.jobs_uri_secret,
    },
    service_id: n.monitoring.service,
  };
}

let work: string;

function plan(vars: unknown): { status: number | null; output: string } {
  writeFileSync(join(work, "vars.tfvars.json"), JSON.stringify(vars));
  const run = spawnSync(TOFU, ["plan", "-input=false", "-no-color", "-var-file=vars.tfvars.json"], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, TF_CLI_CONFIG_FILE: join(work, "tofurc"), TF_IN_AUTOMATION: "1" },
  });
  // tofu wraps long messages: compare with single spaces.
  return { status: run.status, output: `${run.stdout}${run.stderr}`.replace(/\s+/g, " ") };
}

const environmentsOf = (d: PlatformDeclaration) =>
  (terraformPlatform(d) as { environments: Record<string, Names> }).environments;

beforeAll(() => {
  if (!existsSync(TOFU))
    throw new Error("OpenTofu is not installed: run `bash tools/terraform/install.sh tofu`");
  work = mkdtempSync(join(tmpdir(), "names-tofu-"));
  writeFileSync(join(work, "tofurc"), "");
  const blocks = Object.entries(NAME_VARIABLES).flatMap(([module, names]) => {
    const text = readFileSync(join(MODULES, module, "variables.tf"), "utf8");
    return names.map((name) => `# modules/${module}\n${variableBlock(text, name)}`);
  });
  writeFileSync(join(work, "main.tf"), `${blocks.join("\n\n")}\n`);
  execFileSync(TOFU, ["init", "-input=false", "-no-color", "-backend=false"], {
    cwd: work,
    env: { ...process.env, TF_CLI_CONFIG_FILE: join(work, "tofurc") },
    stdio: "pipe",
  });
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("module name variables accept the derived names", () => {
  test.each(Object.keys(environmentsOf(DECLARATION)))("environment %s", (env) => {
    const result = plan(moduleInputs(environmentsOf(DECLARATION)[env]!, LONGEST_PROJECT_ID));
    expect([env, result.status, result.output]).toEqual([env, 0, expect.stringContaining("No changes")]);
  });

  test(`a fork with a ${MAX_APP_LENGTH}-character app and a ${MAX_ENVIRONMENT_LENGTH}-character environment`, () => {
    const env = `q${"a".repeat(MAX_ENVIRONMENT_LENGTH - 1)}`;
    const fork: PlatformDeclaration = {
      ...DECLARATION,
      app: `a${"b".repeat(MAX_APP_LENGTH - 2)}c`,
      environments: { [env]: { short: "qaqa", cloud: true } },
    };
    const result = plan(moduleInputs(environmentsOf(fork)[env]!, LONGEST_PROJECT_ID));
    expect([result.status, result.output]).toEqual([0, expect.stringContaining("No changes")]);
  });

  test("and refuse names over the limits, naming the rule", () => {
    const staging = moduleInputs(environmentsOf(DECLARATION).staging!, LONGEST_PROJECT_ID);
    const result = plan({
      ...staging,
      service_account_ids: {
        ingestion: "shopstream-staging-df-ingestion",
        analytics: "shopstream-stg-df-analytics",
      },
      temp_bucket_name: `${LONGEST_PROJECT_ID}-shopstream-staging-dataflow-temporary`, // 68 characters
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("CreateServiceAccountRequest.account_id");
    expect(result.output).toContain("Cloud Storage bucket naming guidelines");
  });
});

test("every name the root and bootstrap read exists in the generated file, for every environment", () => {
  // The attribute paths terraform/*.tf and terraform/bootstrap/*.tf read from the platform file, evaluated
  // by tofu against the generated file exactly as the roots decode it.
  const tfText = (dir: string) =>
    readdirSync(join(REPO, dir))
      .filter((f) => f.endsWith(".tf"))
      .map((f) => readFileSync(join(REPO, dir, f), "utf8"))
      .join("\n");
  const root = tfText("terraform");
  const bootstrap = tfText("terraform/bootstrap");
  const paths = [
    ...new Set([
      ...[...root.matchAll(/local\.(names|delivery|locations)((?:\.[a-z_]+)+)/g)].map(([, base, rest]) =>
        base === "names" ? `names${rest}` : `names.${base}${rest}`,
      ),
      ...[...bootstrap.matchAll(/local\.platform\.environments\[each\.key\]((?:\.[a-z_]+)+)/g)].map(
        ([, rest]) => `platform.environments[var.environment]${rest}`,
      ),
      ...[...bootstrap.matchAll(/local\.platform((?:\.[a-z_]+)+)/g)]
        .filter(([, rest]) => !rest!.startsWith(".environments"))
        .map(([, rest]) => `platform${rest}`),
    ]),
  ];
  expect(paths.length).toBeGreaterThanOrEqual(30);
  const dir = mkdtempSync(join(tmpdir(), "names-paths-"));
  try {
    mkdirSync(join(dir, "terraform"));
    mkdirSync(join(dir, "packages", "platform"), { recursive: true });
    cpSync(join(REPO, "packages", "platform", "generated"), join(dir, "packages", "platform", "generated"), {
      recursive: true,
    });
    const main = [
      'variable "environment" { type = string }',
      "locals {",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation, not a JS template
      '  platform = jsondecode(file("${path.module}/../packages/platform/generated/terraform-platform.json"))',
      "  names    = local.platform.environments[var.environment]",
      "}",
      ...paths.map((p, i) => `output "path_${i}" { value = local.${p} }`),
    ].join("\n");
    writeFileSync(join(dir, "terraform", "main.tf"), main);
    const env = { ...process.env, TF_CLI_CONFIG_FILE: join(work, "tofurc") };
    const cwd = join(dir, "terraform");
    execFileSync(TOFU, ["init", "-input=false", "-no-color", "-backend=false"], { cwd, env, stdio: "pipe" });
    for (const environment of Object.keys(environmentsOf(DECLARATION))) {
      const run = spawnSync(
        TOFU,
        ["plan", "-input=false", "-no-color", "-var", `environment=${environment}`],
        {
          cwd,
          encoding: "utf8",
          env,
        },
      );
      expect([environment, run.status, run.stderr]).toEqual([environment, 0, ""]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("regression: the old dataflow name_prefix variable refused staging", () => {
  // terraform/modules/dataflow/variables.tf before issue 10 (git 99609ba), verbatim.
  const old = `variable "name_prefix" {
  description = "Prefix for job, service-account and bucket names, e.g. \`shopstream-dev\`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,16}$", var.name_prefix))
    error_message = "name_prefix must be 3-17 lower-case letters, digits or hyphens (service-account IDs are limited to 30 characters)."
  }
}
`;
  const dir = mkdtempSync(join(tmpdir(), "names-old-"));
  try {
    writeFileSync(join(dir, "main.tf"), old);
    const env = { ...process.env, TF_CLI_CONFIG_FILE: join(work, "tofurc") };
    execFileSync(TOFU, ["init", "-input=false", "-no-color", "-backend=false"], {
      cwd: dir,
      env,
      stdio: "pipe",
    });
    const run = spawnSync(
      TOFU,
      ["plan", "-input=false", "-no-color", "-var", "name_prefix=shopstream-staging"],
      {
        cwd: dir,
        encoding: "utf8",
        env,
      },
    );
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain("name_prefix must be 3-17");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
