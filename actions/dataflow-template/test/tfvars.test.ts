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

it.each([
  [false, true],
  [true, false],
])(
  "the tfvars file holds exactly the root variables udfs, dataflow_jobs_enabled and verify_udf_objects (dry run %s)",
  (dryRun, verify) => {
    expect(tfvarsOf([result("ingestion"), result("analytics")], dryRun)).toEqual({
      udfs: {
        ingestion: { gcs_path: `gs://b/ingestion/${"c".repeat(64)}/udf.js`, function_name: "transform" },
        analytics: { gcs_path: `gs://b/analytics/${"c".repeat(64)}/udf.js`, function_name: "transform" },
      },
      dataflow_jobs_enabled: true,
      // A dry run publishes nothing yet: the plan must not refuse the bundles the apply job will publish.
      verify_udf_objects: verify,
    });
  },
);
