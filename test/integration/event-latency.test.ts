/**
 * The latency SLI end to end on the local stand-ins: the publish library stamps published_at, both workers
 * (running the Dataflow UDFs' transforms) stamp processed_at, export-slis reads both stores with its
 * production readers and writes pipeline/event_latency through the real @google-cloud/monitoring client
 * to the fake Cloud Monitoring gRPC server, and the gate scores processing-latency from those points.
 * The calibration figures (the stamps' latency vs the exact Pub/Sub publish -> stored and acked latency the
 * workers measure) are printed, not asserted: a test never holds a timing threshold.
 */
import { MetricServiceClient } from "@google-cloud/monitoring";
import {
  bigqueryLatencySamples,
  exportSlis,
  type LatencySource,
  mongoLatencySamples,
  RECONCILIATION_METRICS,
  STORES,
} from "@shopstream/reconciler";
import { DEFAULT_SLO_DIR, evaluateCatalog, loadSloCatalog, readCatalogMinutes } from "@shopstream/slo";
import { createLogger, LatencyHistogram } from "@shopstream/telemetry";
import { FakeMonitoringServer } from "@shopstream/testkit";
import { dataset, publishAll, waitForStores } from "../support/faults";
import { createHarness, type Harness } from "../support/pipeline-harness";

jest.setTimeout(600000);

const MINUTE = 60_000;

describe("latency SLI: stamps -> stores -> export-slis -> gate", () => {
  let harness: Harness;
  const monitoring = new FakeMonitoringServer();
  let client: MetricServiceClient;

  beforeAll(async () => {
    harness = await createHarness("latency");
    await monitoring.start();
    client = new MetricServiceClient(monitoring.clientOptions());
  });
  afterAll(async () => {
    await client?.close();
    await monitoring.stop();
    await harness?.close();
  });

  it("writes every stored event once per store and the gate scores processing-latency from the points", async () => {
    const { emissions, truth } = dataset(9090, 400, 0.02);
    const malformed = emissions.filter((e) => e.kind === "malformed").length;
    await harness.startWorkers();
    await publishAll(harness, emissions);
    await waitForStores(harness, truth.length, malformed);
    await harness.stopWorkers();

    const db = harness.mongo.db(harness.names.database);
    const raw = db.collection(harness.names.collection);
    const stamps = await raw.find({}, { projection: { _id: 0, published_at: 1, processed_at: 1 } }).toArray();
    expect(stamps).toHaveLength(truth.length);
    expect(stamps.every((d) => typeof d.published_at === "string" && d.processed_at instanceof Date)).toBe(
      true,
    );
    const processed = stamps.map((d) => (d.processed_at as Date).getTime());
    const firstMinute = Math.floor(Math.min(...processed) / MINUTE) * MINUTE;
    const lastMinute = Math.floor(Math.max(...processed) / MINUTE) * MINUTE;

    // warehouse rows, one per (event, minute of processing): a redelivery in another minute is a second row
    const [rows] = await harness.bigquery.query({
      query: `SELECT event_id, processed_at FROM \`${harness.names.dataset}.events\``,
    });
    const warehousePairs = new Set(
      (rows as { event_id: string; processed_at: { value: string } }[]).map(
        (r) => `${r.event_id}/${Math.floor(Date.parse(r.processed_at.value) / MINUTE)}`,
      ),
    );

    const eventsTable = `${harness.names.dataset}.events`;
    const source: LatencySource = (store, minute) =>
      store === "mongodb"
        ? mongoLatencySamples(db, harness.names.collection, minute)
        : bigqueryLatencySamples(harness.bigquery, eventsTable, minute);
    for (let start = firstMinute; start <= lastMinute; start += MINUTE) {
      // the run that writes the minute [start, start + 1 min): 900 s (the ingest delay) after its end
      await exportSlis({
        projectId: "it-latency",
        deployment: "it-local",
        sloDir: DEFAULT_SLO_DIR,
        mongo: undefined,
        monitoring: client,
        logger: createLogger("test", { LOG_LEVEL: "error" }),
        nowMs: start + MINUTE + 900_000 + 1000,
        latency: source,
        // both stores: the BigQuery read is opt-in in production (EXPORT_BIGQUERY_LATENCY), and this test
        // checks each store's points against what that store holds
        latencyStores: STORES,
      });
    }

    const points = monitoring.created
      .filter((c) => c.series.metricType === RECONCILIATION_METRICS.latency)
      .map((c) => ({ store: c.series.metricLabels?.store, point: c.series.points[0] }));
    const minutes = (lastMinute - firstMinute) / MINUTE + 1;
    expect(points).toHaveLength(2 * minutes);
    const total = (store: string) =>
      points.filter((p) => p.store === store).reduce((n, p) => n + (p.point?.value ?? 0), 0);
    expect(total("mongodb")).toBe(truth.length);
    expect(total("bigquery")).toBe(warehousePairs.size);
    for (const p of points) {
      expect(p.point?.endMs).toBe((p.point?.startMs as number) - 1 + MINUTE);
      expect((p.point?.endMs as number) % MINUTE).toBe(0);
    }

    const catalog = loadSloCatalog(DEFAULT_SLO_DIR);
    const gateAt = lastMinute + MINUTE + 3600_000;
    const data = await readCatalogMinutes(client, catalog, {
      projectId: "it-latency",
      namePrefix: "it-local",
      endMs: gateAt,
      lookbackSeconds: 6 * 3600,
    });
    const read = [...(data.get("processing-latency") ?? new Map()).values()];
    expect(read.reduce((n, c) => n + c.total, 0)).toBe(truth.length);
    const report = evaluateCatalog(catalog, data, gateAt);
    const latency = report.evaluations.find((e) => e.slo.name === "processing-latency");
    expect(latency?.status).not.toBe("not-measured");

    // calibration figures (printed): the stamps vs the exact publish -> stored and acked latency
    const good = read.reduce((n, c) => n + c.good, 0);
    const exact = LatencyHistogram.from([harness.metrics.ingestion.latency.snapshot()]);
    const sli = LatencyHistogram.from([harness.metrics.ingestion.sliLatency.snapshot()]);
    const f = (h: LatencyHistogram) =>
      `p50 ${Math.round(h.percentile(50))} ms, p95 ${Math.round(h.percentile(95))} ms, p99 ${Math.round(h.percentile(99))} ms, max bucket ${Math.round(h.percentile(100))} ms, ${(h.shareWithinSloBound(10) * 100).toFixed(2)}% < 10 s`;
    process.stdout.write(
      `[calibration] ${truth.length} events: exported SLI ${good}/${truth.length} within 10 s; ` +
        `stamps (processed_at - published_at) ${f(sli)}; exact (Pub/Sub publish -> stored, acked) ${f(exact)}\n`,
    );
  });
});
