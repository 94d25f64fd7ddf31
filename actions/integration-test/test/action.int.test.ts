/**
 * The action's core against the local test stack, the two workers running in-process on isolated names
 * (the same harness as test/integration), next to live traffic: exact assertions on the run's own rows,
 * dead letters, latency, and a cleanup that leaves nothing of the run behind.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadAggregates } from "@shopstream/analytics";
import { type Emission, ShopSimulator } from "@shopstream/producer";
import { createHarness, type Harness } from "../../../test/support/pipeline-harness";
import { renderSummary } from "../src/report";
import { type RunnerConfig, runIntegrationTest } from "../src/runner";

jest.setTimeout(300000);

describe("integration-test action against the local stack", () => {
  let harness: Harness;
  const lines: string[] = [];
  const config = (h: Harness): RunnerConfig => ({
    topic: h.names.topic,
    database: h.names.database,
    collection: h.names.collection,
    deadLetterCollection: h.names.deadLetterCollection,
    dataset: h.names.dataset,
    timeoutMs: 120000,
    pollMs: 250,
    latencyThresholdMs: 10000,
    latencyObjective: 0.95,
    cleanup: true,
  });
  const deps = (h: Harness) => ({
    pubsub: h.pubsub,
    mongo: h.mongo,
    bigquery: h.bigquery,
    log: (l: string) => lines.push(l),
  });

  beforeAll(async () => {
    harness = await createHarness("action");
    await harness.startWorkers();
  });
  afterAll(async () => harness?.close());

  it("passes every check next to live traffic, then removes its data and corrects the aggregates", async () => {
    // Live traffic on the same topic, before and during the run (other currencies, other products).
    const live = new ShopSimulator({
      seed: 77,
      faults: { duplicate: 0.05, late: 0.05, outOfOrder: 0, malformed: 0.02 },
    });
    const liveEmissions: Emission[] = [];
    const publishLive = async (n: number) => {
      const batch = live.take(n);
      liveEmissions.push(...batch);
      for (const emission of batch) {
        if (emission.kind === "event") await harness.publisher.publish(emission.event);
        else await harness.publisher.publishRaw(emission.data, { event_type: "unknown" });
      }
      await harness.publisher.flush();
    };
    await publishLive(300);
    const liveDuring = publishLive(300);
    const result = await runIntegrationTest(deps(harness), config(harness));
    await liveDuring;
    expect(harness.publisher.stats.failed).toBe(0);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => c.name)).toEqual([
      "every valid event in MongoDB",
      "every valid event in BigQuery events",
      "no duplicate or stray raw document",
      "raw documents carry the values sent",
      "orders_by_currency_minute (XTS)",
      "product_revenue_minute (the run's products)",
      "poison messages dead-lettered with reasons (MongoDB)",
      "poison messages dead-lettered with reasons (BigQuery)",
    ]);
    expect(result.batch).toMatchObject({ events: 48, types: 8, poison: 10 });
    expect(result.latency.p50).toBeGreaterThan(0);
    expect(result.latency.p95).toBeGreaterThanOrEqual(result.latency.p50);
    expect(result.cleanup).toBe("done");

    // Nothing of the run is left: raw, dead letters, events, dead-letter rows, aggregate rows.
    const db = harness.mongo.db(harness.names.database);
    expect(
      await db.collection(harness.names.collection).countDocuments({ integration_test_run: result.runId }),
    ).toBe(0);
    expect(
      await db
        .collection(harness.names.deadLetterCollection)
        .countDocuments({ attributes: { $regex: result.runId } }),
    ).toBe(0);
    const ds = harness.names.dataset;
    const count = async (query: string) =>
      Number((await harness.bigquery.query({ query, params: { run: result.runId } }))[0][0].n);
    expect(await count(`SELECT COUNT(*) AS n FROM \`${ds}.events\` WHERE STRPOS(payload, @run) > 0`)).toBe(0);
    expect(
      await count(`SELECT COUNT(*) AS n FROM \`${ds}.events_deadletter\` WHERE STRPOS(attributes, @run) > 0`),
    ).toBe(0);
    expect(
      await count(`SELECT COUNT(*) AS n FROM \`${ds}.orders_by_currency_minute\` WHERE currency = 'XTS'`),
    ).toBe(0);
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM \`${ds}.product_revenue_minute\` WHERE STRPOS(product_id, @run) > 0`,
      ),
    ).toBe(0);
    // The live traffic is untouched: once every message is acked, exactly its valid events are there.
    await harness.waitForAcks(
      liveEmissions.length + result.batch.events + result.batch.duplicates + result.batch.poison,
    );
    const liveIds = new Set(liveEmissions.flatMap((e) => (e.kind === "event" ? [e.event.event_id] : [])));
    expect(await db.collection(harness.names.collection).countDocuments()).toBe(liveIds.size);
    mkdirSync(join(__dirname, "..", "..", "..", ".local", "run", "test"), { recursive: true });
    writeFileSync(
      join(__dirname, "..", "..", "..", ".local", "run", "test", "integration-test-summary.md"),
      renderSummary(result, "local"),
    );
    expect(loadAggregates().length).toBe(5);
  });

  it("fails with the missing store named, within its timeout, when a worker is down", async () => {
    await harness.workers.analytics?.stop();
    delete harness.workers.analytics;
    const result = await runIntegrationTest(deps(harness), {
      ...config(harness),
      timeoutMs: 15000,
      pollMs: 500,
    });
    expect(result.ok).toBe(false);
    const failed = result.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toContain("every valid event in BigQuery events");
    expect(failed).not.toContain("every valid event in MongoDB");
    expect(result.cleanup).toBe("done");
  });
});
