// A missing UDF object dead-letters all traffic (the template loads the UDF lazily, on the first message), so
// the plan must check each UDF object exists before it launches a job, and the shipped environments must not
// launch jobs on placeholder paths.
import { join } from "node:path";
import { attr, blocks, deepBlocks, type HclItem, loadHcl, parseHclFile } from "../../tools/terraform/hcl";
import { terraformRoot } from "../../tools/terraform/readme";

let dataflowMain: HclItem[] = [];
beforeAll(async () => {
  await loadHcl();
  dataflowMain = parseHclFile(join(terraformRoot, "modules", "dataflow", "main.tf"));
});

test("the plan lists each UDF object and the job's precondition refuses a missing one", () => {
  const udfData = blocks(dataflowMain, "data").find(
    (b) => b.labels[0] === "google_storage_bucket_objects" && b.labels[1] === "udf",
  );
  expect(udfData).toBeDefined();
  const job = blocks(dataflowMain, "resource").find(
    (b) => b.labels[0] === "google_dataflow_flex_template_job",
  );
  const preconditions = deepBlocks(job?.body ?? [], "precondition").map((p) => ({
    condition: attr(p.body, "condition")?.expr ?? "",
    message: attr(p.body, "error_message")?.expr ?? "",
  }));
  expect(preconditions).toContainEqual({
    condition: expect.stringMatching(/data\.google_storage_bucket_objects\.udf\[each\.key\]/),
    message: expect.stringMatching(/does not exist/),
  });
});

test.each(["dev", "staging", "prod"])(
  "%s.tfvars launches no job on a placeholder UDF path (the first promotion publishes real bundles)",
  (env) => {
    const items = parseHclFile(join(terraformRoot, "environments", `${env}.tfvars`));
    const enabled = attr(items, "dataflow_jobs_enabled")?.expr.split("#")[0]?.trim();
    const udfs = attr(items, "udfs")?.expr ?? "";
    const placeholder = /\/0{16}\/udf\.js/.test(udfs);
    expect({ enabled, placeholder }).not.toEqual({ enabled: "true", placeholder: true });
  },
);

test("worker-count changes stay out of routine applies (they force a drain and relaunch)", () => {
  const job = blocks(dataflowMain, "resource").find(
    (b) => b.labels[0] === "google_dataflow_flex_template_job",
  );
  const lifecycle = blocks(job?.body ?? [], "lifecycle")[0];
  expect(attr(lifecycle?.body ?? [], "ignore_changes")?.expr.replace(/\s+/g, "")).toBe(
    "[num_workers,max_workers]",
  );
});
