// Dataflow's dead letters land in BigQuery tables (Pub/Sub dead-letter topics are not supported for Dataflow
// subscriptions), so the alerting must watch those tables, and the root must hand every table to it.
import { join } from "node:path";
import { attr, blocks, deepBlocks, loadHcl, parseHclFile } from "../../tools/terraform/hcl";
import { terraformRoot } from "../../tools/terraform/readme";

beforeAll(loadHcl);

test("an alert fires on rows arriving in the Dataflow dead-letter tables", () => {
  const items = parseHclFile(join(terraformRoot, "modules", "monitoring", "deadletter-alerts.tf"));
  const alert = blocks(items, "resource").find((b) => b.labels[0] === "google_monitoring_alert_policy");
  const filters = deepBlocks(alert?.body ?? [], "condition_threshold").map(
    (c) => attr(c.body, "filter")?.expr,
  );
  expect(filters).toEqual([
    expect.stringMatching(
      /bigquery\.googleapis\.com\/storage\/uploaded_row_count.*dataset_id.*metric\.label\.table = one_of/,
    ),
  ]);
  expect(attr(alert?.body ?? [], "notification_channels")?.expr).toMatch(/local\.channels/);
});

test("the root hands the bigquery module's dead-letter tables to the alert", () => {
  const main = parseHclFile(join(terraformRoot, "main.tf"));
  const monitoring = deepBlocks(main, "module").find((m) => m.labels[0] === "monitoring");
  expect(attr(monitoring?.body ?? [], "dead_letter_tables")?.expr).toBe(
    "module.bigquery.dead_letter_table_ids",
  );
});
