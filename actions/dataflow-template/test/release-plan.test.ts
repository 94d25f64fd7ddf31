// The plan of every environment uses exactly the release: the var file dataflow-template writes for a
// release (report()) planned with the real `tofu`, after environments/dev.tfvars as terraform-plan passes it,
// on the provider-free root of actions/terraform-plan/test/fixtures/udf-root (same variable shapes as
// terraform/; modules/dataflow's own template path is planned in terraform/test/dataflow-release.test.ts).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tofuBinary } from "@shopstream/action-kit/testing";
import { buildRelease } from "@shopstream/release";
import type { UdfResult } from "../src/publish";
import { report } from "../src/report";

const repoRoot = join(__dirname, "../../..");
const work = mkdtempSync(join(tmpdir(), "release-plan-"));
// An existing, empty CLI config: OpenTofu 1.12 warns about a missing one on stdout, which `show -json` returns.
writeFileSync(join(work, "none.tofurc"), "");
const root = join(work, "terraform");
cpSync(join(repoRoot, "actions/terraform-plan/test/fixtures/udf-root"), root, { recursive: true });

const sha = (c: string) => c.repeat(64);
const image = `europe-west1-docker.pkg.dev/shop-admin-1/shopstream-images/reconciler@sha256:${sha("e")}`;
const release = buildRelease({
  templateVersion: "2026-08-18-00_RC00",
  udfs: {
    ingestion: { sha256: sha("a"), function_name: "transform" },
    analytics: { sha256: sha("b"), function_name: "transform" },
  },
  root: repoRoot,
  jobsImage: image,
  provenance: { commit: "1".repeat(40), repository: "o/r", run_id: "1", built_at: "2026-11-30T00:00:00Z" },
});
// What a dry-run publish of the release into dev's bucket reports (the bundles under the release's hashes).
const results: UdfResult[] = (["ingestion", "analytics"] as const).map((app) => ({
  app,
  sha256: release.content.udfs[app]!.sha256,
  gcs_path: `gs://shop-dev-udf/${app}/${release.content.udfs[app]!.sha256}/udf.js`,
  function_name: "transform",
  template_gcs_path: "",
  status: "would-upload",
  parameters: {},
}));

interface Planned {
  variables: Record<string, { value: unknown }>;
  resource_changes: { address: string; change: { after: { input?: Record<string, string> } } }[];
}

function tofu(args: string[]): string {
  const r = spawnSync(tofuBinary(), args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: join(work, "none.tofurc") },
  });
  if (r.status !== 0) throw new Error(`tofu ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function plan(varFiles: string[]): Planned {
  tofu(["plan", "-input=false", "-lock=false", ...varFiles.map((f) => `-var-file=${f}`), "-out=p.tfplan"]);
  return JSON.parse(tofu(["show", "-json", "p.tfplan"])) as Planned;
}

const jobs = (p: Planned) =>
  Object.fromEntries(
    p.resource_changes
      .filter((r) => r.address.startsWith("terraform_data.job"))
      .map((r) => [
        r.address,
        { udf: r.change.after.input?.udf_gcs_path, template: r.change.after.input?.template },
      ]),
  );

beforeAll(() => {
  tofu(["init", "-input=false", "-backend=false"]);
}, 120_000);

it("the release's var file wins over environments/dev.tfvars: template folder, UDFs, jobs image, release ID", async () => {
  const file = join(work, "dataflow-udfs.tfvars.json");
  delete process.env.GITHUB_STEP_SUMMARY;
  await report(results, true, file, release);
  const written = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  expect(written).toMatchObject({
    dataflow_template_version: "2026-08-18-00_RC00",
    release_id: release.id,
    reconciler_image: image,
  });

  const planned = plan(["environments/dev.tfvars", file]);
  expect(jobs(planned)).toEqual({
    'terraform_data.job["analytics"]': {
      udf: `gs://shop-dev-udf/analytics/${sha("b")}/udf.js`,
      template: "gs://dataflow-templates-europe-west1/2026-08-18-00_RC00/flex/PubSub_to_BigQuery_Flex",
    },
    'terraform_data.job["ingestion"]': {
      udf: `gs://shop-dev-udf/ingestion/${sha("a")}/udf.js`,
      template: "gs://dataflow-templates-europe-west1/2026-08-18-00_RC00/flex/Cloud_PubSub_to_MongoDB",
    },
  });
  expect(planned.variables.release_id!.value).toBe(release.id);
  expect(planned.variables.reconciler_image!.value).toBe(image);
}, 120_000);

it("without the release's var file the plan keeps the environment file's folder (what PR and drift plans see before the environment's first release)", () => {
  const planned = plan(["environments/dev.tfvars"]);
  expect(planned.variables.dataflow_template_version!.value).toBe("2026-08-11-00_RC00");
  expect(planned.variables.release_id!.value).toBeNull();
}, 120_000);
