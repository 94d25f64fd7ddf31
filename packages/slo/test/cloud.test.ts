import { MetricServiceClient } from "@google-cloud/monitoring";
import { counterSeries, gaugeSeries } from "../../testkit/src/monitoring/scenarios";
import { FakeMonitoringServer } from "../../testkit/src/monitoring/server";
import { exportAvailability, exportMongoConnections, readCatalogMinutes } from "../src";
import { fixtureCatalog } from "./helpers";

process.env.METADATA_SERVER_DETECTION = "none";
const catalog = fixtureCatalog();
const END = Date.UTC(2025, 0, 31, 12, 0, 0);
const PREFIX = "shopstream-dev";

describe("Cloud Monitoring reader and SLI exporter against the fake server", () => {
  const fake = new FakeMonitoringServer();
  let client: MetricServiceClient;
  beforeAll(async () => {
    await fake.start();
    client = new MetricServiceClient(fake.clientOptions());
  });
  afterAll(async () => {
    await client.close();
    await fake.stop();
  });

  test("reads per-minute good/total for ratio and windows SLIs", async () => {
    fake.series.length = 0;
    fake.series.push(
      counterSeries(
        {
          metricType: "pubsub.googleapis.com/topic/send_message_operation_count",
          resourceType: "pubsub_topic",
          resourceLabels: { topic_id: `${PREFIX}-events` },
        },
        END,
        10,
        () => 100,
      ),
      counterSeries(
        {
          metricType: "pubsub.googleapis.com/subscription/ack_message_count",
          resourceType: "pubsub_subscription",
          resourceLabels: { subscription_id: `${PREFIX}-events-ingestion` },
        },
        END,
        10,
        (ago) => (ago === 3 ? 90 : 100),
      ),
      gaugeSeries(
        {
          metricType: "dataflow.googleapis.com/job/system_lag",
          resourceType: "dataflow_job",
          resourceLabels: { job_name: `${PREFIX}-ingestion` },
        },
        END,
        10,
        (ago) => (ago === 2 ? 42 : 3),
      ),
      // another environment's job must not be read
      gaugeSeries(
        {
          metricType: "dataflow.googleapis.com/job/system_lag",
          resourceType: "dataflow_job",
          resourceLabels: { job_name: "shopstream-prod-ingestion" },
        },
        END,
        10,
        () => 999,
      ),
    );
    const data = await readCatalogMinutes(client, catalog, {
      projectId: "p-dev-123",
      namePrefix: PREFIX,
      endMs: END + 30_000,
      lookbackSeconds: 3600,
    });
    const success = data.get("processing-success")!;
    expect(success.size).toBe(10);
    expect(success.get(END - 3 * 60_000)).toEqual({ good: 90, total: 100 });
    const latency = data.get("processing-latency")!;
    expect(latency.get(END - 2 * 60_000)).toEqual({ good: 0, total: 1 });
    expect(latency.get(END)).toEqual({ good: 1, total: 1 });
    expect(data.get("mongodb-connections")!.size).toBe(0);
  });

  test("exports MongoDB connections and the availability verdict as custom metrics", async () => {
    fake.series.length = 0;
    fake.created.length = 0;
    const admin = { command: async () => ({ connections: { current: 37, available: 800 } }) };
    await expect(
      exportMongoConnections(admin, client, catalog, {
        projectId: "p-dev-123",
        namePrefix: PREFIX,
        nowMs: END - 1000,
      }),
    ).resolves.toBe(37);
    expect(fake.created[0]?.series).toMatchObject({
      metricType: "custom.googleapis.com/shopstream/mongodb/connections",
      metricLabels: { deployment: PREFIX },
      resourceType: "global",
      resourceLabels: { project_id: "p-dev-123" },
      valueType: "INT64",
      points: [{ value: 37 }],
    });
    // the connections point just written makes the last minute available
    await expect(
      exportAvailability(client, catalog, { projectId: "p-dev-123", namePrefix: PREFIX, nowMs: END + 5000 }),
    ).resolves.toBe(true);
    expect(fake.created[1]?.series).toMatchObject({
      metricType: "custom.googleapis.com/shopstream/pipeline/available",
      valueType: "BOOL",
      points: [{ endMs: END, value: 1 }],
    });
    await expect(
      exportMongoConnections({ command: async () => ({}) }, client, catalog, {
        projectId: "p-dev-123",
        namePrefix: PREFIX,
        nowMs: END,
      }),
    ).rejects.toThrow(/no connections\.current/);
  });

  test.each([Number.NaN, -1])(
    "refuses to write a connection count of %p (nothing reaches Monitoring)",
    async (bad) => {
      fake.created.length = 0;
      await expect(
        exportMongoConnections(
          { command: async () => ({ connections: { current: bad } }) },
          client,
          catalog,
          {
            projectId: "p-dev-123",
            namePrefix: PREFIX,
            nowMs: END,
          },
        ),
      ).rejects.toThrow(/connections .*finite number >= 0/);
      expect(fake.created).toHaveLength(0);
    },
  );
});
