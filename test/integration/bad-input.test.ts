/**
 * The bad-input corpus (test/fixtures/bad-input) through the topic, interleaved with valid traffic, into
 * both workers running as child processes: every entry is dead-lettered in both stores with a reason
 * matching what the contract promises, none crashes a worker (no restart), none blocks valid traffic
 * (every valid event stored, aggregates exact).
 */
import { join } from "node:path";
import { ATTRIBUTES } from "@shopstream/events";
import type { Supervisor } from "@shopstream/local-pipeline";
import {
  type BadInput,
  buildBadInputCorpus,
  CORPUS_CATEGORIES,
  REASON_SHAPE,
} from "../fixtures/bad-input/corpus";
import {
  dataset,
  rawIds,
  startChildWorkers,
  waitForExactAggregates,
  waitForStores,
  waitUntil,
} from "../support/faults";
import { createHarness, type Harness } from "../support/pipeline-harness";

jest.setTimeout(600000);

const LOG_DIR = join(__dirname, "..", "..", ".local", "run", "test");

interface Record_ {
  reason: string;
  attributes: string;
  payload: string;
  payload_encoding: string;
  message_id: string;
}

describe("bad input through the topic", () => {
  let harness: Harness;
  let supervisor: Supervisor;
  let corpus: BadInput[];
  const { emissions: valid, truth } = dataset(606, 1500, 0);
  const byId = new Map<string, BadInput>();
  let mongoRecords: Record_[] = [];
  let bigqueryRecords: Record_[] = [];

  beforeAll(async () => {
    harness = await createHarness("bad_input");
    supervisor = await startChildWorkers(harness, LOG_DIR);
    corpus = buildBadInputCorpus(Date.now(), harness.names.database);
    for (const [i, entry] of corpus.entries()) byId.set(String(i), entry);
    // Interleave: a few valid events, one bad input, and so on; the bad inputs spread over the run.
    const every = Math.floor(valid.length / corpus.length);
    let next = 0;
    for (let i = 0; i < valid.length; i++) {
      const emission = valid[i];
      if (emission?.kind === "event") await harness.publisher.publish(emission.event);
      if (i % every === 0 && next < corpus.length) {
        const entry = corpus[next] as BadInput;
        await harness.publisher.publishRaw(entry.data, {
          [ATTRIBUTES.eventType]: "unknown",
          bad_input_id: String(next),
          integration_test_run: harness.names.database,
        });
        next++;
      }
    }
    for (; next < corpus.length; next++) {
      const entry = corpus[next] as BadInput;
      await harness.publisher.publishRaw(entry.data, { bad_input_id: String(next) });
    }
    const stats = await harness.publisher.flush();
    expect(stats.failed).toBe(0);
    await waitForStores(harness, truth.length, corpus.length);
    mongoRecords = (await harness.mongo
      .db(harness.names.database)
      .collection(harness.names.deadLetterCollection)
      .find()
      .toArray()) as unknown as Record_[];
    const [rows] = await harness.bigquery.query({
      query: `SELECT message_id, reason, attributes, payload, payload_encoding FROM \`${harness.names.dataset}.events_deadletter\``,
    });
    bigqueryRecords = rows as Record_[];
  });

  afterAll(async () => {
    await supervisor?.stopAll(10000);
    supervisor?.killAllNow();
    await harness?.close();
  });

  it("has at least 100 entries in every category the issue names", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
    const categories = CORPUS_CATEGORIES(corpus);
    for (const category of [
      "broken JSON",
      "wrong types",
      "missing fields",
      "huge payloads",
      "deep nesting",
      "invalid UTF-8",
      "control characters",
      "injection-looking strings",
      "absurd amounts",
      "timestamps",
      "unknown types and versions",
    ])
      expect({ category, atLeastFour: (categories.get(category) ?? 0) >= 4 }).toEqual({
        category,
        atLeastFour: true,
      });
  });

  for (const [store, records] of [
    ["MongoDB events_deadletter", () => mongoRecords],
    ["BigQuery events_deadletter", () => bigqueryRecords],
  ] as const) {
    it(`dead-letters every entry once in ${store}, with the reason the contract promises and the original bytes`, () => {
      const seen = new Map<string, Record_>();
      for (const record of records()) {
        const id = (JSON.parse(record.attributes) as Record<string, string>).bad_input_id;
        if (id === undefined) throw new Error(`a dead letter without bad_input_id: ${record.reason}`);
        seen.set(id, record); // BigQuery rows may repeat after a redelivery; one per id is what counts
      }
      const problems: string[] = [];
      for (const [id, entry] of byId) {
        const record = seen.get(id);
        if (!record) {
          problems.push(`${entry.category} / ${entry.id}: no dead letter`);
          continue;
        }
        if (!entry.reason.test(record.reason) || !REASON_SHAPE.test(record.reason))
          problems.push(
            `${entry.category} / ${entry.id}: reason ${JSON.stringify(record.reason)} !~ ${entry.reason}`,
          );
        const bytes = Buffer.from(record.payload, record.payload_encoding === "base64" ? "base64" : "utf8");
        if (!bytes.equals(entry.data))
          problems.push(`${entry.category} / ${entry.id}: payload not kept as sent`);
      }
      expect(problems).toEqual([]);
      expect(seen.size).toBe(corpus.length);
    });
  }

  it("crashes no worker: both ran throughout without a restart and kept acking", async () => {
    expect(supervisor.restarts("ingestion")).toBe(0);
    expect(supervisor.restarts("analytics")).toBe(0);
    expect(supervisor.isRunning("ingestion") && supervisor.isRunning("analytics")).toBe(true);
    // The counters arrive in the workers' periodic snapshots (every 500 ms), after the store write the
    // stores already show: wait for them to catch up, then require exactly one dead letter per entry.
    const deadLettered = (name: string) => supervisor.counters(name).dead_lettered ?? 0;
    await waitUntil(
      () => deadLettered("ingestion") >= corpus.length && deadLettered("analytics") >= corpus.length,
      30000,
      () => `dead_lettered ingestion ${deadLettered("ingestion")}, analytics ${deadLettered("analytics")}`,
    );
    for (const name of ["ingestion", "analytics"]) expect(deadLettered(name)).toBe(corpus.length);
  });

  it("blocks no valid traffic: every valid event stored exactly, aggregates exact", async () => {
    expect(await rawIds(harness)).toEqual(truth.map((e) => e.event_id).sort());
    const [[row]] = await harness.bigquery.query({
      query: `SELECT COUNT(DISTINCT event_id) AS n FROM \`${harness.names.dataset}.events\``,
    });
    expect(Number(row.n)).toBe(truth.length);
    const { expected, actual } = await waitForExactAggregates(harness, truth);
    expect(actual).toEqual(expected);
    // And the workers still take new traffic after the corpus.
    const before = supervisor.counters("ingestion").acked ?? 0;
    const extra = dataset(607, 20, 0).truth;
    for (const event of extra) await harness.publisher.publish(event);
    await harness.publisher.flush();
    await waitUntil(
      () => (supervisor.counters("ingestion").acked ?? 0) >= before + extra.length,
      60000,
      () => `ingestion acked ${supervisor.counters("ingestion").acked} after the corpus`,
    );
  });
});
