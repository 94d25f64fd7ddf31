import { MetricServiceClient } from "@google-cloud/monitoring";
import { DEFAULT_SLO_DIR } from "@shopstream/slo";
import { createLogger } from "@shopstream/telemetry";
import { FakeMonitoringServer } from "@shopstream/testkit";
import type { MongoClient } from "mongodb";
import { exportSlis } from "../src/export-slis";

/** The slice of MongoClient the wrapper uses: db("admin").command({ serverStatus: 1 }). */
const mongoWith = (status: unknown) =>
  ({ db: () => ({ command: async () => status }) }) as unknown as MongoClient;

describe("export-slis (the thin wrapper over packages/slo's exporter)", () => {
  const server = new FakeMonitoringServer();
  let client: MetricServiceClient;
  beforeAll(async () => {
    await server.start();
    client = new MetricServiceClient(server.clientOptions());
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  const options = (mongo: MongoClient | undefined) => ({
    projectId: "p1",
    deployment: "shopstream-dev",
    sloDir: DEFAULT_SLO_DIR,
    mongo,
    monitoring: client,
    logger: createLogger("test", { LOG_LEVEL: "error" }),
    nowMs: Date.parse("2026-11-30T12:00:30Z"),
  });

  it("writes the MongoDB connections gauge; no availability point without component data", async () => {
    await exportSlis(options(mongoWith({ connections: { current: 17 } })));
    expect(server.created.map((c) => [c.name, c.series.metricType, c.series.points[0]?.value])).toEqual([
      ["projects/p1", "custom.googleapis.com/shopstream/mongodb/connections", 17],
    ]);
  });

  it("fails the run, naming each SLI that failed, and still attempts the others", async () => {
    const before = server.requests.length;
    await expect(exportSlis(options(mongoWith({})))).rejects.toThrow(
      /SLI export failed for shopstream-dev: MongoDB connections: serverStatus has no connections.current/,
    );
    expect(server.requests.length).toBeGreaterThan(before); // availability still read its inputs
  });
});
