// The dataflow module launches the Google templates of the release's dated folder and the release's UDFs,
// never `latest`: planned with the real `tofu test` (mock providers, the google and google-beta provider
// binaries from .local/tofu-plugins, so the resource schemas are the real ones).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { terraformRoot } from "../../tools/terraform/readme";

const repo = join(terraformRoot, "..");
const tofu = join(repo, ".local", "bin", "tofu");
const plugins = join(repo, ".local", "tofu-plugins");
const haveProviders = ["google", "google-beta"].every((p) =>
  existsSync(join(plugins, "registry.opentofu.org", "hashicorp", p, "8.0.0", "linux_amd64")),
);
const releaseUdf = (app: string) =>
  `gs://shop-dev-udf/${app}/${(app === "ingestion" ? "a" : "b").repeat(64)}/udf.js`;

const TEST = `
mock_provider "google" {
  mock_resource "google_service_account" {
    defaults = {
      name   = "projects/shop-dev-123/serviceAccounts/worker@shop-dev-123.iam.gserviceaccount.com"
      email  = "worker@shop-dev-123.iam.gserviceaccount.com"
      member = "serviceAccount:worker@shop-dev-123.iam.gserviceaccount.com"
    }
  }
}
mock_provider "google-beta" {}

variables {
  project_id           = "shop-dev-123"
  region               = "europe-west1"
  job_names            = { ingestion = "shop-dev-ingestion", analytics = "shop-dev-analytics" }
  service_account_ids  = { ingestion = "shop-dev-df-ingestion", analytics = "shop-dev-df-analytics" }
  temp_bucket_name     = "shop-dev-123-dataflow"
  subnetwork_self_link = "regions/europe-west1/subnetworks/workers"
  udf_bucket_name      = "shop-dev-udf"
  mongodb_uri          = "mongodb+srv://u:p@cluster0.example.mongodb.net/shop"
  deployer_member      = "serviceAccount:deploy@shop-dev-123.iam.gserviceaccount.com"
  jobs_enabled         = true
  verify_udf_objects   = false
  ingestion = {
    input_subscription_id = "projects/shop-dev-123/subscriptions/ingestion"
    mongodb_database      = "shop"
    mongodb_collection    = "events"
    deadletter_table_spec = "shop-dev-123:dl.ingestion"
    deadletter_dataset_id = "dl"
    deadletter_table_id   = "ingestion"
    udf_gcs_path          = "${releaseUdf("ingestion")}"
    udf_function_name     = "transform"
  }
  analytics = {
    input_subscription_id = "projects/shop-dev-123/subscriptions/analytics"
    output_table_spec     = "shop-dev-123:raw.events"
    output_dataset_id     = "raw"
    output_table_id       = "events"
    deadletter_table_spec = "shop-dev-123:dl.analytics"
    deadletter_dataset_id = "dl"
    deadletter_table_id   = "analytics"
    udf_gcs_path          = "${releaseUdf("analytics")}"
    udf_function_name     = "transform"
  }
}

run "release_pins_template_and_udfs" {
  command = plan
  variables {
    google_template_version = "2026-08-18-00_RC00"
  }
  assert {
    condition     = google_dataflow_flex_template_job.job["ingestion"].container_spec_gcs_path == "gs://dataflow-templates-europe-west1/2026-08-18-00_RC00/flex/Cloud_PubSub_to_MongoDB"
    error_message = "ingestion template: \${google_dataflow_flex_template_job.job["ingestion"].container_spec_gcs_path}"
  }
  assert {
    condition     = google_dataflow_flex_template_job.job["analytics"].container_spec_gcs_path == "gs://dataflow-templates-europe-west1/2026-08-18-00_RC00/flex/PubSub_to_BigQuery_Flex"
    error_message = "analytics template: \${google_dataflow_flex_template_job.job["analytics"].container_spec_gcs_path}"
  }
  assert {
    condition     = google_dataflow_flex_template_job.job["ingestion"].parameters.javascriptTextTransformGcsPath == "${releaseUdf("ingestion")}"
    error_message = "ingestion UDF is not the release's"
  }
  assert {
    condition     = google_dataflow_flex_template_job.job["analytics"].parameters.javascriptTextTransformGcsPath == "${releaseUdf("analytics")}"
    error_message = "analytics UDF is not the release's"
  }
}

run "latest_is_refused" {
  command = plan
  variables {
    google_template_version = "latest"
  }
  expect_failures = [var.google_template_version]
}
`;

const maybe = haveProviders && existsSync(tofu) ? test : test.skip;

maybe(
  "tofu test: the jobs run the release's dated template folder and UDFs; `latest` is refused",
  () => {
    const work = mkdtempSync(join(tmpdir(), "tf-dataflow-release-"));
    cpSync(join(terraformRoot, "modules", "dataflow"), work, {
      recursive: true,
      filter: (src) => !src.includes(`${join("dataflow", "examples")}`),
    });
    writeFileSync(join(work, "release.tftest.hcl"), TEST);
    const env = { ...process.env, TF_CLI_CONFIG_FILE: join(work, "tofurc"), TF_IN_AUTOMATION: "1" };
    writeFileSync(join(work, "tofurc"), "");
    const init = spawnSync(tofu, ["init", "-backend=false", "-input=false", `-plugin-dir=${plugins}`], {
      cwd: work,
      env,
      encoding: "utf8",
    });
    expect(init.stderr).toBe("");
    expect(init.status).toBe(0);
    const run = spawnSync(tofu, ["test", "-no-color"], { cwd: work, env, encoding: "utf8" });
    const out = `${run.stdout}\n${run.stderr}`;
    expect(out).toMatch(/run "release_pins_template_and_udfs"\.\.\. pass/);
    expect(out).toMatch(/run "latest_is_refused"\.\.\. pass/);
    expect(run.status).toBe(0);
  },
  240_000,
);
