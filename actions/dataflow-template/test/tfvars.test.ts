import { tfvarsOf, type UdfResult } from "../src/publish";

const result = (app: string): UdfResult => ({
  app,
  sha256: "c".repeat(64),
  gcs_path: `gs://b/${app}/${"c".repeat(64)}/udf.js`,
  function_name: "transform",
  template_gcs_path: "gs://t",
  status: "exists",
  parameters: {},
});

it("the tfvars file holds exactly the root variables udfs and dataflow_jobs_enabled", () => {
  expect(tfvarsOf([result("ingestion"), result("analytics")])).toEqual({
    udfs: {
      ingestion: { gcs_path: `gs://b/ingestion/${"c".repeat(64)}/udf.js`, function_name: "transform" },
      analytics: { gcs_path: `gs://b/analytics/${"c".repeat(64)}/udf.js`, function_name: "transform" },
    },
    dataflow_jobs_enabled: true,
  });
});
