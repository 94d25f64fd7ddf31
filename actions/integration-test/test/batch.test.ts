import { EVENT_TYPES, validateEvent } from "@shopstream/events";
import { namesFor } from "@shopstream/platform";
import { buildBatch, newRunId, RUN_FIELD } from "../src/batch";
import { readInputs } from "../src/inputs";
import { percentile, type RunResult, renderSummary } from "../src/report";

const NOW = Date.parse("2026-11-26T12:00:00Z");

describe("synthetic batch", () => {
  const batch = buildBatch({ runId: newRunId(NOW, "abcd1234"), nowMs: NOW });

  it("is tagged and valid: every type, XTS orders, itest products, all accepted by the contract", () => {
    expect(batch.runId).toBe("20261126t120000-abcd1234");
    expect(new Set(batch.events.map((e) => e.event_type))).toEqual(new Set(EVENT_TYPES));
    for (const event of batch.events) {
      expect(event[RUN_FIELD]).toBe(batch.runId);
      const result = validateEvent(JSON.parse(JSON.stringify(event)), NOW);
      expect(result.ok ? "ok" : result.reason).toBe("ok");
    }
    expect(new Set(batch.events.map((e) => e.event_id)).size).toBe(batch.events.length);
    expect(batch.duplicates.length).toBeGreaterThan(0);
    expect(batch.late.length).toBeGreaterThan(0);
  });

  it("computes the exact aggregates it implies", () => {
    // 6 purchases; items (p[s%3], q=(s%3)+1) and (p[(s+1)%3], 1); prices 12.34, 0.99, 1000.005:
    // 2 x (13.33 + 1001.985 + 3012.355) = 8055.34; p3 is bought in sessions 1, 2, 4, 5 (1+3+1+3 units).
    expect(batch.expected.orders).toEqual({ orders: 6, units: 18, revenue: "8055.34" });
    expect(batch.expected.products[`itest-${batch.runId}-p3`]).toEqual({
      orders: 4,
      units: 8,
      revenue: "8000.04",
    });
  });

  it("has poison messages the contract refuses with the expected reason, tagged with the run", () => {
    for (const poison of batch.poison) {
      let reason = "payload: not valid UTF-8";
      try {
        const text = new TextDecoder("utf-8", { fatal: true }).decode(poison.data);
        const { parseAndValidate } = jest.requireActual("@shopstream/events");
        const result = parseAndValidate(text, NOW);
        reason = result.ok ? "(accepted)" : result.reason;
        expect(text.includes(batch.runId)).toBe(true);
      } catch {}
      expect({ label: poison.label, reason }).toEqual({
        label: poison.label,
        reason: expect.stringMatching(poison.reason),
      });
    }
  });
});

describe("inputs", () => {
  const read = (values: Record<string, string>) => (name: string) => values[name] ?? "";

  it("takes names from the platform declaration for the environment, and defaults", () => {
    const inputs = readInputs(
      read({ "project-id": "shop-prod-123", environment: "prod", "mongodb-uri": "mongodb+srv://u:p@x/" }),
      "/ws",
    );
    const prod = namesFor("prod");
    expect(inputs).toMatchObject({
      topic: prod.pubsub.topic,
      database: prod.mongodb.database,
      collection: prod.mongodb.collection,
      deadLetterCollection: prod.mongodb.deadLetterCollection,
      dataset: prod.bigquery.analyticsDataset,
      location: prod.locations.bigquery,
      timeoutMs: 1800000,
      latencyThresholdMs: 10000,
      latencyObjective: 0.95,
      sqlDir: "/ws/apps/analytics/sql",
      cleanup: true,
    });
  });

  it("lets an explicit name input override the declaration", () => {
    const inputs = readInputs(
      read({
        "project-id": "shop-prod-123",
        environment: "prod",
        "mongodb-uri": "mongodb://x/",
        topic: "other",
      }),
      "/ws",
    );
    expect(inputs.topic).toBe("other");
  });

  it("refuses a missing or undeclared environment, naming the declared ones", () => {
    const without = () =>
      readInputs(read({ "project-id": "shop-prod-123", "mongodb-uri": "mongodb://x/" }), "/ws");
    expect(without).toThrow(/environment is required: one of local, dev, staging, prod/);
    const unknown = () =>
      readInputs(
        read({ "project-id": "shop-prod-123", environment: "qa", "mongodb-uri": "mongodb://x/" }),
        "/ws",
      );
    expect(unknown).toThrow(/environment "qa" is not declared in packages\/platform\/platform.ts/);
  });

  it("lists every problem with how to fix it", () => {
    expect(() =>
      readInputs(
        read({ "project-id": "X", "mongodb-uri": "http://x", "timeout-seconds": "-1", cleanup: "yes" }),
        "/ws",
      ),
    ).toThrow(
      /project-id must be[\s\S]*mongodb-uri must be[\s\S]*secrets\.MONGODB_URI[\s\S]*timeout-seconds[\s\S]*cleanup must be/,
    );
  });
});

describe("report", () => {
  it("computes nearest-rank percentiles", () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 50)).toBeNaN();
  });

  it("renders a job summary with checks and latency against the SLO", () => {
    const result: RunResult = {
      runId: "r1",
      ok: false,
      checks: [
        { name: "every valid event in MongoDB", ok: true, detail: "48/48" },
        { name: "orders | XTS", ok: false, detail: "expected 6, got 5" },
      ],
      latency: {
        p50: 1200,
        p95: 2500,
        max: 3000,
        withinThreshold: 1,
        thresholdMs: 10000,
        objective: 0.95,
        meetsObjective: true,
        resolutionMs: 500,
      },
      batch: { events: 48, duplicates: 16, late: 16, poison: 10, types: 8 },
      cleanup: "done",
      durationMs: 9000,
    };
    const text = renderSummary(result, "staging");
    expect(text).toContain("FAILED (staging)");
    expect(text).toContain("| orders \\| XTS | **fail** | expected 6, got 5 |");
    expect(text).toContain(
      "| 1.20 s | 2.50 s | 3.00 s | 100.0% within 10.00 s | 95.0% within 10.00 s: met |",
    );
  });
});
