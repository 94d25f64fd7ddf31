import { existsSync } from "node:fs";
import { evaluatePolicies, parseOpaOutput, statusOf } from "../src/policy";
import { fixturePath as fixture, OPA, POLICIES } from "./helpers";

describe("OPA output parsing", () => {
  it("reads deny and warn sets into sorted verdicts", () => {
    const out = JSON.stringify({
      result: [
        {
          expressions: [
            {
              value: {
                deny: [{ policy: "b", address: "x", msg: "m1" }, "plain message"],
                warn: [{ policy: "a", msg: "m2" }],
                config: {},
              },
            },
          ],
        },
      ],
    });
    const result = parseOpaOutput(out);
    expect(result.status).toBe("fail");
    expect(result.verdicts).toEqual([
      { severity: "deny", policy: "b", address: "x", message: "m1" },
      { severity: "deny", policy: "unnamed", message: "plain message" },
      { severity: "warn", policy: "a", message: "m2" },
    ]);
  });

  it("fails clearly when the query is undefined (wrong policy directory)", () => {
    expect(() => parseOpaOutput('{"result":[]}')).toThrow(/policy directory/);
  });

  it("status is warn with warnings only, pass with nothing", () => {
    expect(statusOf([{ severity: "warn", policy: "p", message: "m" }])).toBe("warn");
    expect(statusOf([])).toBe("pass");
  });
});

describe("policies/terraform evaluated by OPA on the fixtures", () => {
  beforeAll(() => {
    if (!existsSync(OPA)) throw new Error("OPA is not installed: run `bash tools/opa/install.sh` first");
  });

  it("creates only: passes", async () => {
    const r = await evaluatePolicies(OPA, POLICIES, fixture("creates-only"), {
      environment: "dev",
      labels: [],
    });
    expect(r).toEqual({ status: "pass", verdicts: [] });
  });

  it("stateful destroys: one denial per data store, none for the dashboard", async () => {
    const r = await evaluatePolicies(OPA, POLICIES, fixture("stateful-destroys"), {
      environment: "prod",
      labels: [],
    });
    expect(r.status).toBe("fail");
    expect(r.verdicts.filter((v) => v.policy === "stateful_destroy").map((v) => v.address)).toEqual([
      "module.bigquery.google_bigquery_dataset.raw",
      "module.bigquery.google_bigquery_table.events",
      "module.mongodb.mongodbatlas_advanced_cluster.this",
      'module.pubsub.google_pubsub_subscription.events["ingestion"]',
      "module.pubsub.google_pubsub_topic.events",
    ]);
  });

  it("stateful destroys with allow-destroy:<env>: warnings only", async () => {
    const r = await evaluatePolicies(OPA, POLICIES, fixture("stateful-destroys"), {
      environment: "dev",
      labels: ["allow-destroy:dev"],
    });
    expect(r.status).toBe("warn");
  });

  it("replaces: the replaced table is denied in prod, and deletion_protection=false is denied there", async () => {
    const r = await evaluatePolicies(OPA, POLICIES, fixture("replaces"), { environment: "prod", labels: [] });
    expect(new Set(r.verdicts.map((v) => v.policy))).toEqual(
      new Set(["stateful_destroy", "deletion_protection"]),
    );
  });

  it("no-op: passes", async () => {
    const r = await evaluatePolicies(OPA, POLICIES, fixture("no-op"), { environment: "prod", labels: [] });
    expect(r.status).toBe("pass");
  });
});
