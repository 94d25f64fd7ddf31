/**
 * Raw ceilings of each stand-in, measured with its client directly (no pipeline code in the loop):
 * what the pipeline's throughput is compared against.
 */
import { PubSub } from "@google-cloud/pubsub";
import { createBigQuery, EventsTableSink, ensureWarehouse, toWarehouseRow } from "@shopstream/analytics";
import { PLATFORM_NAMES } from "@shopstream/config";
import type { WarehouseRow } from "@shopstream/events";
import { toRawDocument } from "@shopstream/ingestion";
import { NO_FAULTS, ShopSimulator } from "@shopstream/producer";
import { BIGQUERY_GRPC_OFFSET, type StackEnv, startStack } from "@shopstream/stack";
import { BSON, MongoClient } from "mongodb";
import { standInCpuSeconds } from "./cpu";
import { measureStorageWrite, STORAGE_WRITE_NOTE } from "./storage-write";

export interface Ceiling {
  stage: string;
  operations: number;
  seconds: number;
  perSecond: number;
  /** Whether the pipeline goes through this path (the "slowest ceiling" is taken among those). */
  usedByPipeline: boolean;
  note?: string;
  /** CPU microseconds per operation: the measuring client (this process) and the stand-in (NaN off Linux). */
  cpuUsPerOperation?: { client: number; standIn: number };
}

function payloads(count: number): string[] {
  const simulator = new ShopSimulator({ seed: 99, faults: NO_FAULTS });
  return simulator.take(count).map((e) => (e.kind === "event" ? JSON.stringify(e.event) : ""));
}

async function timed(
  stage: string,
  operations: number,
  standIn: "pubsub" | "mongodb" | "bigquery",
  work: () => Promise<void>,
  profile = "bench",
): Promise<Ceiling> {
  const standInBefore = standInCpuSeconds(profile)[standIn] ?? Number.NaN;
  const clientBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const client = process.cpuUsage(clientBefore);
  const standInSeconds = (standInCpuSeconds(profile)[standIn] ?? Number.NaN) - standInBefore;
  return {
    stage,
    operations,
    seconds,
    perSecond: operations / seconds,
    usedByPipeline: true,
    cpuUsPerOperation: {
      client: (client.user + client.system) / operations,
      standIn: (standInSeconds * 1e6) / operations,
    },
  };
}

/**
 * bigquery insertAll (500 rows a request) of `rows` into `dataset`.events, one request at a time, through
 * the analytics worker's own insert code (EventsTableSink: the body serialised once), so the ceiling is the
 * stand-in's and not the Node client's row copying.
 */
export async function insertAllCeiling(
  bigquery: ReturnType<typeof createBigQuery>,
  dataset: string,
  rows: WarehouseRow[],
): Promise<Ceiling> {
  const sink = new EventsTableSink(bigquery, dataset);
  return timed("bigquery insertAll (500)", rows.length, "bigquery", async () => {
    for (let i = 0; i < rows.length; i += 500) {
      const outcomes = await sink.write(rows.slice(i, i + 500));
      if (outcomes.some((o) => o.status !== "stored"))
        throw new Error("the insertAll ceiling's rows were refused");
    }
  });
}

/**
 * The insertAll ceiling alone, now: a fresh `bench` BigQuery stand-in, `count` rows, stopped again. The
 * bench takes it right after each pipeline step, so the step's rate is compared with a ceiling measured
 * under the same machine load (on a shared machine the start-of-run ceilings can be minutes and a load
 * average of 10 away from a step).
 */
export async function measureInsertAllNow(count: number, log: (line: string) => void): Promise<Ceiling> {
  const stack = await startStack({ profile: "bench", fresh: true, services: ["bigquery"], log: () => {} });
  try {
    const now = Date.now();
    const bigquery = createBigQuery({
      projectId: stack.env.GOOGLE_CLOUD_PROJECT,
      emulatorHost: stack.env.BIGQUERY_EMULATOR_HOST,
      location: PLATFORM_NAMES.locations.bigquery,
    });
    const dataset = `bench_ceiling_${now}`;
    await ensureWarehouse(bigquery, dataset, []);
    const rows = payloads(count).map((payload) => JSON.parse(toWarehouseRow(payload, now)) as WarehouseRow);
    const ceiling = await insertAllCeiling(bigquery, dataset, rows);
    log(`  bigquery insertAll now: ${Math.round(ceiling.perSecond)} rows/s`);
    return ceiling;
  } finally {
    await stack.stop();
  }
}

export async function measureCeilings(
  env: StackEnv,
  count: number,
  log: (line: string) => void,
): Promise<Ceiling[]> {
  const data = payloads(count);
  const results: Ceiling[] = [];
  const pubsub = new PubSub({ projectId: env.GOOGLE_CLOUD_PROJECT });
  const topicName = `bench-ceiling-${Date.now()}`;
  const [topic] = await pubsub.createTopic(topicName);
  const [subscription] = await topic.createSubscription(`${topicName}-sub`, { ackDeadlineSeconds: 60 });
  const publisher = pubsub.topic(topicName, { batching: { maxMessages: 500, maxMilliseconds: 20 } });

  results.push(
    await timed("pubsub publish", count, "pubsub", async () => {
      const pending: Promise<string>[] = [];
      for (const payload of data) {
        pending.push(publisher.publishMessage({ data: Buffer.from(payload) }));
        if (pending.length >= 5000) await Promise.all(pending.splice(0));
      }
      await Promise.all(pending);
    }),
  );
  log(`  publish: ${Math.round(results.at(-1)?.perSecond ?? 0)} msg/s`);

  results.push(
    await timed("pubsub streaming pull + ack", count, "pubsub", async () => {
      const subscriber = pubsub.subscription(subscription.name, { flowControl: { maxMessages: 4000 } });
      let received = 0;
      await new Promise<void>((resolve) => {
        subscriber.on("message", (message) => {
          message.ack();
          if (++received >= count) resolve();
        });
      });
      await subscriber.close();
    }),
  );
  log(`  pull: ${Math.round(results.at(-1)?.perSecond ?? 0)} msg/s`);
  await pubsub.close();

  const now = Date.now();
  const mongo = new MongoClient(env.MONGODB_URI);
  await mongo.connect();
  const collection = mongo.db("bench_ceiling").collection(`raw_${now}`);
  const documents = data.map(
    (payload) => BSON.EJSON.parse(toRawDocument(payload, now)) as Record<string, unknown>,
  );
  results.push(
    await timed("mongodb insertMany (500, unordered)", count, "mongodb", async () => {
      for (let i = 0; i < documents.length; i += 500) {
        await collection.insertMany(documents.slice(i, i + 500), { ordered: false });
      }
    }),
  );
  log(`  mongodb: ${Math.round(results.at(-1)?.perSecond ?? 0)} docs/s`);
  await mongo.close();

  const bigquery = createBigQuery({
    projectId: env.GOOGLE_CLOUD_PROJECT,
    emulatorHost: env.BIGQUERY_EMULATOR_HOST,
    location: PLATFORM_NAMES.locations.bigquery,
  });
  const dataset = `bench_ceiling_${now}`;
  await ensureWarehouse(bigquery, dataset, []);
  const rows = data.map((payload) => JSON.parse(toWarehouseRow(payload, now)) as WarehouseRow);
  const bqCount = Math.min(count, 10000);
  results.push(await insertAllCeiling(bigquery, dataset, rows.slice(0, bqCount)));
  log(`  bigquery insertAll: ${Math.round(results.at(-1)?.perSecond ?? 0)} rows/s`);

  const port = Number(new URL(env.BIGQUERY_API_ENDPOINT).port);
  try {
    const written = await measureStorageWrite(
      {
        bigquery,
        projectId: env.GOOGLE_CLOUD_PROJECT,
        grpcHost: "127.0.0.1",
        grpcPort: port + BIGQUERY_GRPC_OFFSET,
        dataset,
      },
      rows.slice(0, bqCount) as unknown as Record<string, unknown>[],
    );
    results.push({
      stage: "bigquery Storage Write (committed stream, offsets, 500)",
      operations: written.rows,
      seconds: written.seconds,
      perSecond: written.rows / written.seconds,
      usedByPipeline: false,
      note: STORAGE_WRITE_NOTE,
    });
    log(
      `  bigquery Storage Write: ${Math.round(results.at(-1)?.perSecond ?? 0)} rows/s (${STORAGE_WRITE_NOTE})`,
    );
  } catch (error) {
    log(`  bigquery Storage Write: failed (${error instanceof Error ? error.message : String(error)})`);
    results.push({
      stage: "bigquery Storage Write (committed stream, offsets, 500)",
      operations: 0,
      seconds: 0,
      perSecond: Number.NaN,
      usedByPipeline: false,
      note: `failed: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  return results;
}
