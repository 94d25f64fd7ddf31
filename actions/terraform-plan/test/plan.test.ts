import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  classify,
  groupByModule,
  parsePlanJson,
  ROOT_MODULE,
  STATEFUL_TYPES,
  summarize,
  summaryLine,
} from "@shopstream/action-kit";
import { fixture } from "./helpers";

describe("plan parsing", () => {
  it("rejects text that is not a plan, saying how to make one", () => {
    expect(() => parsePlanJson("nope")).toThrow(/terraform show -json/);
    expect(() => parsePlanJson("{}")).toThrow(/format_version/);
    expect(() => parsePlanJson('{"format_version":"2.0"}')).toThrow(/unsupported/);
  });

  it.each([
    [["create"], "create"],
    [["update"], "update"],
    [["delete"], "delete"],
    [["delete", "create"], "replace"],
    [["create", "delete"], "replace"],
    [["no-op"], "no-op"],
    [["read"], "read"],
    [["forget"], "forget"],
  ])("classifies %j as %s", (actions, expected) => {
    expect(classify({ address: "a", type: "t", name: "n", change: { actions } })).toBe(expected);
  });

  it("treats a no-op with importing as an import", () => {
    expect(
      classify({
        address: "a",
        type: "t",
        name: "n",
        change: { actions: ["no-op"], importing: { id: "x" } },
      }),
    ).toBe("import");
  });
});

describe("summaries of the fixtures", () => {
  it("creates only", () => {
    const s = summarize(fixture("creates-only"), STATEFUL_TYPES);
    expect(s.counts).toEqual({ create: 7, update: 0, replace: 0, delete: 0, import: 0, forget: 0 });
    expect(s.statefulLosses).toEqual([]);
    expect(s.outputChanges).toBe(1);
    expect(summaryLine(s.counts)).toBe("7 to create, 0 to update, 0 to replace, 0 to destroy");
    expect([...groupByModule(s.changes).keys()]).toEqual([ROOT_MODULE, "module.bigquery", "module.pubsub"]);
  });

  it("replaces: the replaced table is a stateful loss, the Dataflow job is not", () => {
    const s = summarize(fixture("replaces"), STATEFUL_TYPES);
    expect(s.counts).toMatchObject({ create: 0, update: 2, replace: 2, delete: 0 });
    expect(s.statefulLosses.map((c) => c.address)).toEqual(["module.bigquery.google_bigquery_table.events"]);
    expect(s.changes.find((c) => c.type === "google_bigquery_table")?.replaceReasons).toEqual([
      "time_partitioning[0].type",
    ]);
  });

  it("stateful destroys: datasets, tables, cluster, subscription and topic flagged; dashboard not", () => {
    const s = summarize(fixture("stateful-destroys"), STATEFUL_TYPES);
    expect(s.counts).toMatchObject({ replace: 1, delete: 5 });
    expect(s.statefulLosses.map((c) => c.type)).toEqual([
      "google_bigquery_dataset",
      "google_bigquery_table",
      "mongodbatlas_advanced_cluster",
      "google_pubsub_subscription",
      "google_pubsub_topic",
    ]);
  });

  it("no-op: no changes, data sources ignored", () => {
    const s = summarize(fixture("no-op"), STATEFUL_TYPES);
    expect(s.hasChanges).toBe(false);
    expect(s.changes).toEqual([]);
  });

  it("the action's stateful types are the policies' stateful types", () => {
    const data = JSON.parse(readFileSync(join(__dirname, "../../../policies/terraform/data.json"), "utf8"));
    expect([...data.terraform_policy.stateful_types].sort()).toEqual([...STATEFUL_TYPES].sort());
  });
});
