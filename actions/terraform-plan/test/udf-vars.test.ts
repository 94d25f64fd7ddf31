import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tfvarsOf, type UdfResult } from "@shopstream/action-dataflow-template/tfvars";
import { tofuBinary } from "@shopstream/action-kit/testing";

/**
 * Which UDF paths a promotion really plans, with the real `tofu` on a provider-free root that has the same
 * variables as terraform/ (fixtures/udf-root). environments/dev.tfvars holds placeholder paths and jobs off,
 * as the shipped files do; the published bundles must win over it.
 */
const work = mkdtempSync(join(tmpdir(), "tf-plan-udfs-"));
const root = join(work, "terraform");
cpSync(join(__dirname, "fixtures", "udf-root"), root, { recursive: true });

const published: UdfResult[] = ["ingestion", "analytics"].map((app) => ({
  app,
  sha256: `${app === "ingestion" ? "a" : "b"}`.repeat(64),
  gcs_path: `gs://shop-dev-udf/${app}/${`${app === "ingestion" ? "a" : "b"}`.repeat(64)}/udf.js`,
  function_name: "transform",
  template_gcs_path: "gs://dataflow-templates-europe-west1/latest/flex/x",
  status: "would-upload",
  parameters: {},
}));

let run: () => Promise<void>;
const logged: string[] = [];

function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith("INPUT_")) delete process.env[key];
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v;
}

interface PlannedJson {
  variables: Record<string, { value: unknown }>;
  resource_changes: { address: string; change: { after: { input?: { udf_gcs_path?: string } } } }[];
}

async function plan(inputs: Record<string, string>): Promise<PlannedJson> {
  setInputs({
    environment: "dev",
    "working-directory": root,
    "terraform-binary": tofuBinary(),
    "policy-dir": "",
    "upload-artifact": "false",
    comment: "false",
    labels: "false",
    ...inputs,
  });
  process.exitCode = undefined;
  await run();
  expect(process.exitCode).toBeUndefined();
  return JSON.parse(readFileSync(join(work, "terraform-plan-dev", "dev.plan.json"), "utf8")) as PlannedJson;
}

const jobPaths = (p: PlannedJson) =>
  Object.fromEntries(
    p.resource_changes
      .filter((r) => r.address.startsWith("terraform_data.job"))
      .map((r) => [r.address, r.change.after.input?.udf_gcs_path]),
  );

beforeAll(async () => {
  Object.assign(process.env, {
    GITHUB_REPOSITORY: "octo-org/shopstream",
    GITHUB_EVENT_NAME: "workflow_dispatch",
    GITHUB_EVENT_PATH: join(work, "event.json"),
    GITHUB_SHA: "3333333333333333333333333333333333333333",
    GITHUB_RUN_ID: "9",
    GITHUB_STEP_SUMMARY: join(work, "summary.md"),
    GITHUB_OUTPUT: join(work, "output.txt"),
    RUNNER_TEMP: work,
    TF_CLI_CONFIG_FILE: join(work, "tofurc"),
  });
  for (const f of ["event.json", "summary.md", "output.txt", "tofurc"]) writeFileSync(join(work, f), "");
  writeFileSync(join(work, "event.json"), "{}");
  jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    logged.push(String(chunk));
    return true;
  });
  ({ run } = await import("../src/main"));
}, 60_000);
afterAll(() => {
  jest.restoreAllMocks();
  delete process.env.TF_VAR_udfs;
});

it("TF_VAR_udfs loses to environments/<env>.tfvars: the old wiring planned the placeholders", async () => {
  process.env.TF_VAR_udfs = JSON.stringify(tfvarsOf(published, false).udfs);
  try {
    const planned = await plan({});
    expect((planned.variables.udfs!.value as Record<string, { gcs_path: string }>).ingestion!.gcs_path).toBe(
      "gs://your-dev-project-id-shopstream-udf/ingestion/0000000000000000/udf.js",
    );
    expect(planned.variables.dataflow_jobs_enabled!.value).toBe(false);
  } finally {
    delete process.env.TF_VAR_udfs;
  }
}, 120_000);

it("dataflow-template's tfvars file in var-files makes the plan launch the published bundles", async () => {
  const file = join(work, "dataflow-udfs.tfvars.json");
  writeFileSync(file, JSON.stringify(tfvarsOf(published, true)));
  const planned = await plan({ "var-files": file, lock: "false" });
  expect(planned.variables.dataflow_jobs_enabled!.value).toBe(true);
  // A dry run (the plan job) has not published them yet: the plan must not refuse them.
  expect(planned.variables.verify_udf_objects!.value).toBe(false);
  expect(jobPaths(planned)).toEqual({
    'terraform_data.job["analytics"]': published[1]!.gcs_path,
    'terraform_data.job["ingestion"]': published[0]!.gcs_path,
  });
}, 120_000);

it("nothing the plan prints in clear reaches the log; sensitive values are registered as secrets", () => {
  const all = logged.join("");
  const log = all
    .split("\n")
    .filter((l) => !l.startsWith("::add-mask::"))
    .join("\n");
  expect(log).not.toContain("fixture-Unmarked-pw");
  expect(log).not.toContain("fixture-Secr3t-pw@");
  // The sensitive root variable is registered with the runner, which masks it in every later log line.
  expect(all).toContain(
    "::add-mask::mongodb+srv://ingestion:fixture-Secr3t-pw@cluster0.example.mongodb.net/shopstream",
  );
  // The plan text really printed the unmarked one: kept in a file that is neither logged nor uploaded.
  expect(readFileSync(join(work, "terraform-plan-dev", "dev.plan.log"), "utf8")).toContain(
    "fixture-Unmarked-pw",
  );
});

it("a var file that does not exist fails with one line naming it", async () => {
  setInputs({
    environment: "dev",
    "working-directory": root,
    "terraform-binary": tofuBinary(),
    "var-files": "missing.tfvars.json",
    "upload-artifact": "false",
  });
  process.exitCode = undefined;
  await run();
  expect(process.exitCode).toBe(1);
  expect(logged.join("")).toContain("::error::var-files: missing.tfvars.json does not exist");
});
