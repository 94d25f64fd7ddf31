/**
 * The full path against the real stand-ins: a seeded shop with duplicates, late, out-of-order and
 * malformed events goes through Pub/Sub into both workers. Known truth in, exact results out.
 */

import { loadAggregates } from "@shopstream/analytics";
import { ATTRIBUTES, type ShopEvent, validateEvent } from "@shopstream/events";
import { type Emission, ShopSimulator } from "@shopstream/producer";
import { createHarness, type Harness } from "../support/pipeline-harness";
import { expectedAggregates, normaliseRows } from "../support/truth";

jest.setTimeout(300000);

describe("local pipeline end to end", () => {
  let harness: Harness;
  const emissions: Emission[] = [];
  let truth: ShopEvent[] = [];

  beforeAll(async () => {
    harness = await createHarness("e2e");
    await harness.startWorkers();
    const simulator = new ShopSimulator({
      seed: 2024,
      faults: { duplicate: 0.05, late: 0.1, outOfOrder: 0.05, malformed: 0.03 },
    });
    emissions.push(...simulator.take(1500));
    for (const emission of emissions) {
      if (emission.kind === "malformed") {
        await harness.publisher.publishRaw(emission.data, { [ATTRIBUTES.eventType]: "unknown" });
      } else {
        await harness.publisher.publish(emission.event);
      }
    }
    const stats = await harness.publisher.flush();
    expect(stats).toMatchObject({ published: emissions.length, failed: 0 });
    await harness.waitForAcks(emissions.length);
    await harness.workers.analytics?.refresher.refreshNow();

    const seen = new Map<string, ShopEvent>();
    for (const e of emissions) {
      if (e.kind !== "event") continue;
      const result = validateEvent(JSON.parse(JSON.stringify(e.event)), Date.now());
      if (!result.ok) throw new Error(`the simulator produced an invalid event: ${result.reason}`);
      seen.set(result.event.event_id, result.event);
    }
    truth = [...seen.values()];
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("uses a dataset that exercises every fault", () => {
    const events = emissions.filter((e) => e.kind === "event");
    expect(events.filter((e) => e.kind === "event" && e.duplicate).length).toBeGreaterThan(20);
    expect(events.filter((e) => e.kind === "event" && e.late).length).toBeGreaterThan(50);
    expect(emissions.filter((e) => e.kind === "malformed").length).toBeGreaterThan(10);
    expect(new Set(truth.map((e) => e.event_type)).size).toBe(8);
  });

  it("stores exactly one raw document per valid event, with the event's fields", async () => {
    const collection = harness.mongo.db(harness.names.database).collection(harness.names.collection);
    expect(await collection.countDocuments()).toBe(truth.length);
    const ids = (await collection.find({}, { projection: { _id: 1 } }).toArray())
      .map((d) => String(d._id))
      .sort();
    expect(ids).toEqual(truth.map((e) => e.event_id).sort());
    const purchase = truth.find((e) => e.event_type === "purchase") as Extract<
      ShopEvent,
      { event_type: "purchase" }
    >;
    const doc = await collection.findOne({ _id: purchase.event_id as never });
    expect(doc).toMatchObject({
      event_id: purchase.event_id,
      event_time: purchase.event_time,
      properties: { revenue: purchase.properties.revenue, currency: purchase.properties.currency },
    });
    expect(doc?.event_ts).toEqual(new Date(Date.parse(purchase.event_time)));
    expect(harness.metrics.ingestion.get("duplicates")).toBeGreaterThan(20);
  });

  it("dead-letters every malformed message with a reason and its original payload, in both stores", async () => {
    const malformed = emissions.filter(
      (e): e is Extract<Emission, { kind: "malformed" }> => e.kind === "malformed",
    );
    const records = await harness.mongo
      .db(harness.names.database)
      .collection(harness.names.deadLetterCollection)
      .find()
      .toArray();
    expect(records).toHaveLength(malformed.length);
    for (const record of records) expect(record.reason).toMatch(/^\S+: \S/);
    const payloads = records
      .map((r) =>
        r.payload_encoding === "base64" ? Buffer.from(r.payload, "base64") : Buffer.from(r.payload, "utf8"),
      )
      .map((b) => b.toString("base64"))
      .sort();
    expect(payloads).toEqual(malformed.map((m) => m.data.toString("base64")).sort());
    const [[bq]] = await harness.bigquery.query({
      query: `SELECT COUNT(*) AS n, COUNTIF(reason = '') AS empty FROM \`${harness.names.dataset}.events_deadletter\``,
    });
    expect(bq).toMatchObject({ n: malformed.length, empty: 0 });
  });

  it("lands every valid event in the warehouse (duplicates may repeat rows, never distinct events)", async () => {
    const [[row]] = await harness.bigquery.query({
      query: `SELECT COUNT(DISTINCT event_id) AS n FROM \`${harness.names.dataset}.events\``,
    });
    expect(row.n).toBe(truth.length);
  });

  it("computes every aggregate exactly as an independent recomputation", async () => {
    const expected = expectedAggregates(truth);
    for (const aggregate of loadAggregates()) {
      const [rows] = await harness.bigquery.query({
        query: `SELECT * FROM \`${harness.names.dataset}.${aggregate.name}\``,
      });
      expect({ [aggregate.name]: normaliseRows(rows) }).toEqual({
        [aggregate.name]: expected[aggregate.name],
      });
    }
    // Late events (hours old) are part of the aggregates.
    const lateMinutes = emissions.filter((e) => e.kind === "event" && e.late).length;
    expect(lateMinutes).toBeGreaterThan(0);
    expect(expected.events_by_type_minute?.length).toBeGreaterThan(50);
  });

  it("treats a republished batch as a no-op in the raw store and the aggregates", async () => {
    const before = await harness.bigquery.query({
      query: `SELECT * FROM \`${harness.names.dataset}.orders_by_currency_minute\``,
    });
    const replay = truth.slice(0, 200);
    const acked = harness.metrics.ingestion.get("acked");
    for (const event of replay) await harness.publisher.publish(event);
    await harness.publisher.flush();
    await harness.waitForAcks(acked + replay.length);
    await harness.workers.analytics?.refresher.refreshNow();
    const collection = harness.mongo.db(harness.names.database).collection(harness.names.collection);
    expect(await collection.countDocuments()).toBe(truth.length);
    const after = await harness.bigquery.query({
      query: `SELECT * FROM \`${harness.names.dataset}.orders_by_currency_minute\``,
    });
    expect(normaliseRows(after[0])).toEqual(normaliseRows(before[0]));
  });
});
