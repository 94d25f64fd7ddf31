/**
 * Raw ceilings of each stand-in, measured with its client directly (no pipeline code in the loop):
 * what the pipeline's throughput is compared against.
 */
import { PubSub } from "@google-cloud/pubsub";
import { createBigQuery, ensureWarehouse, toWarehouseRow } from "@shopstream/analytics";
import { PLATFORM_NAMES } from "@shopstream/config";
import { toRawDocument } from "@shopstream/ingestion";
import { NO_FAULTS, ShopSimulator } from "@shopstream/producer";
import type { StackEnv } from "@shopstream/stack";
import { BSON, MongoClient } from "mongodb";

export interface Ceiling {
  stage: string;
  operations: number;
  seconds: number;
  perSecond: number;
}

function payloads(count: number): string[] {
  const simulator = new ShopSimulator({ seed: 99, faults: NO_FAULTS });
  return simulator.take(count).map((e) => (e.kind === "event" ? JSON.stringify(e.event) : ""));
}

async function timed(stage: string, operations: number, work: () => Promise<void>): Promise<Ceiling> {
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { stage, operations, seconds, perSecond: operations / seconds };
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
    await timed("pubsub publish", count, async () => {
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
    await timed("pubsub streaming pull + ack", count, async () => {
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
    await timed("mongodb insertMany (500, unordered)", count, async () => {
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
  const rows = data.map((payload) => JSON.parse(toWarehouseRow(payload, now)) as { event_id: string });
  const bqCount = Math.min(count, 10000);
  results.push(
    await timed("bigquery insertAll (500)", bqCount, async () => {
      const table = bigquery.dataset(dataset).table("events");
      for (let i = 0; i < bqCount; i += 500) {
        await table.insert(
          rows.slice(i, Math.min(i + 500, bqCount)).map((row) => ({ insertId: row.event_id, json: row })),
          { raw: true },
        );
      }
    }),
  );
  log(`  bigquery: ${Math.round(results.at(-1)?.perSecond ?? 0)} rows/s`);
  return results;
}
