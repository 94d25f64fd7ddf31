/**
 * The `verify` command against the local stand-ins: a tagged batch through the local pipeline (both workers
 * in-process, isolated names), plus dead letters in tables of the Dataflow templates' dead-letter schema
 * (terraform/modules/bigquery/schemas/dataflow-deadletter.json) whose errorMessage is what the template
 * runtime records: the ingestion UDF bundle run in Nashorn 15.4 (tools/udf), the Java exception message of
 * its throw (`Error: <reason> in <eval> at line number N`). The command writes its result through the Cloud
 * Storage JSON API (here the testkit fake).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type VerifyExpectations,
  type VerifyResult,
  verifyResultObject,
  verifyRun,
} from "@shopstream/reconciler";
import { main } from "@shopstream/reconciler/cli";
import { FakeCloudRunServer } from "@shopstream/testkit";
import { UDF_SPECS } from "@shopstream/transforms";
import { buildUdf, NashornRunner } from "@shopstream/udf";
import { createHarness, type Harness } from "../../../test/support/pipeline-harness";
import { buildBatch, newRunId } from "../src/batch";
import { expectationsOf } from "../src/production";
import { publishBatch } from "../src/runner";

jest.setTimeout(300000);

const SCHEMA = JSON.parse(
  readFileSync(
    join(__dirname, "../../../terraform/modules/bigquery/schemas/dataflow-deadletter.json"),
    "utf8",
  ),
) as { name: string; type: string; mode: string }[];

describe("verify against the local stand-ins", () => {
  let harness: Harness;
  let nashorn: NashornRunner;
  let expected: VerifyExpectations;
  const tables = (h: Harness) => ({
    rawCollection: h.names.collection,
    eventsTable: `${h.names.dataset}.events`,
    aggregatesDataset: h.names.dataset,
    ingestionDeadLetterTable: `${h.names.dataset}.ingestion_deadletter`,
    analyticsDeadLetterTable: `${h.names.dataset}.analytics_deadletter`,
  });

  beforeAll(async () => {
    harness = await createHarness("verify");
    await harness.startWorkers();
    nashorn = await NashornRunner.start();
    const spec = UDF_SPECS.find((s) => s.app === "ingestion");
    if (!spec) throw new Error("no ingestion UDF spec");
    const file = join(mkdtempSync(join(tmpdir(), "verify-udf-")), "ingestion-udf.js");
    writeFileSync(file, (await buildUdf(spec)).code);
    await nashorn.load("ingestion", file, { options: ["--language=es6"] });

    const now = Date.now();
    const batch = buildBatch({ runId: newRunId(now), nowMs: now, sessions: 3 });
    expected = expectationsOf(batch, now);
    await publishBatch(harness.pubsub, harness.names.topic, batch, Date.now);

    // Both templates' dead-letter tables, one row per poison message as the template writes it.
    const dataset = harness.bigquery.dataset(harness.names.dataset);
    for (const table of ["ingestion_deadletter", "analytics_deadletter"]) {
      await dataset.createTable(table, { schema: { fields: SCHEMA.filter((f) => f.name !== "attributes") } });
      const rows = [];
      for (const poison of expected.poison) {
        const errorMessage = await nashorn.javaErrorMessage("ingestion", "transform", poison.payloadString);
        rows.push({
          timestamp: new Date().toISOString(),
          payloadString: poison.payloadString,
          payloadBytes: Buffer.from(poison.payloadString, "utf8").toString("base64"),
          errorMessage,
          stacktrace: `javax.script.ScriptException: ${errorMessage}`,
        });
      }
      // Another run's dead letter next to ours.
      rows.push({
        timestamp: new Date().toISOString(),
        payloadString: '{"integration_test_run":"someone-else"}',
        payloadBytes: Buffer.from("x").toString("base64"),
        errorMessage: "Error: event_id: is required in <eval> at line number 1",
        stacktrace: "",
      });
      await dataset.table(table).insert(rows);
    }
  });
  afterAll(async () => {
    await nashorn?.close();
    await harness?.close();
  });

  it("the template's errorMessage wraps the validator's reason", async () => {
    const poison = expected.poison.find((p) => p.label === "not JSON");
    const message = await nashorn.javaErrorMessage("ingestion", "transform", poison?.payloadString ?? "");
    expect(message).toMatch(
      /^Error: payload: not valid JSON in <eval> at line number \d+ at column number \d+$/,
    );
  });

  it("passes every check once the pipeline stored the run, and names what is wrong otherwise", async () => {
    const lines: string[] = [];
    const result = await verifyRun(
      { db: harness.mongo.db(harness.names.database), bigquery: harness.bigquery, log: (l) => lines.push(l) },
      tables(harness),
      expected,
      { deadlineMs: Date.now() + 120000, pollMs: 500 },
    );
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(Object.keys(result.firstSeen.mongodb).sort()).toEqual([...expected.eventIds].sort());
    expect(result.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("poison messages dead-lettered with reasons (ingestion"),
        expect.stringContaining("poison messages dead-lettered with reasons (analytics"),
      ]),
    );

    // A reason the template did not record, and an event that never arrived, fail with what differs.
    const wrong: VerifyExpectations = {
      ...expected,
      eventIds: [...expected.eventIds, "00000000-0000-4000-8000-000000000000"],
      poison: expected.poison.map((p) =>
        p.label === "absurd amount" ? { ...p, reason: "properties.revenue: nope" } : p,
      ),
    };
    const failed = await verifyRun(
      { db: harness.mongo.db(harness.names.database), bigquery: harness.bigquery, log: () => undefined },
      tables(harness),
      wrong,
      { deadlineMs: Date.now() + 3000, pollMs: 500 },
    );
    expect(failed.ok).toBe(false);
    const detail = (name: string) => failed.checks.find((c) => c.name.startsWith(name))?.detail;
    expect(detail("every valid event in MongoDB")).toContain(
      "missing e.g. 00000000-0000-4000-8000-000000000000",
    );
    expect(detail("poison messages dead-lettered with reasons (ingestion")).toMatch(
      /^absurd amount: errorMessage "Error: properties\.revenue: exceeds the maximum amount.* in <eval> at line number \d+ at column number \d+" does not contain "properties\.revenue: nope"$/,
    );
  });

  it("the command reads its configuration, checks the run and writes the result object", async () => {
    const storage = await new FakeCloudRunServer(null).start();
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        MONGODB_DATABASE: harness.names.database,
        MONGODB_COLLECTION: harness.names.collection,
        BIGQUERY_DATASET: harness.names.dataset,
        AGGREGATES_DATASET: harness.names.dataset,
        INGESTION_DEADLETTER_TABLE: "ingestion_deadletter",
        ANALYTICS_DEADLETTER_TABLE: "analytics_deadletter",
        VERIFY_RESULTS_BUCKET: "results",
        STORAGE_EMULATOR_HOST: storage.url,
        VERIFY_EXPECTATIONS: JSON.stringify(expected),
        VERIFY_TIMEOUT_SECONDS: "60",
        VERIFY_POLL_SECONDS: "1",
      });
      expect(await main(["verify"])).toBe(0);
      const written = JSON.parse(
        storage.objects.get(`results/${verifyResultObject(expected.runId)}`) ?? "{}",
      ) as VerifyResult;
      expect(written.runId).toBe(expected.runId);
      expect(written.ok).toBe(true);
      // A second run with the same ID never overwrites the first result (ifGenerationMatch=0).
      const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
      expect(await main(["verify"])).toBe(1);
      expect(String(stderr.mock.calls.at(-1)?.[0])).toContain(
        `a result for run ${expected.runId} already exists at gs://results/integration-test/`,
      );
      stderr.mockRestore();
    } finally {
      process.env = saved;
      await storage.stop();
    }
  });
});
