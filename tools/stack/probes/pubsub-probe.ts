/**
 * What the gcloud Pub/Sub emulator (0.8.20) supports, through @google-cloud/pubsub 5.3.1.
 *
 *   tsx tools/stack/probes/pubsub-probe.ts   (starts a separate bench-probe instance of the emulator if PUBSUB_EMULATOR_HOST is unset)
 */
import { type Message, PubSub, SchemaTypes } from "@google-cloud/pubsub";
import { type Stack, startStack } from "../src/index";
import { expect, ProbeReport } from "./report";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  let stack: Stack | undefined;
  if (!process.env.PUBSUB_EMULATOR_HOST) {
    stack = await startStack({ profile: "bench", instance: "probe", services: ["pubsub"], fresh: true });
    process.env.PUBSUB_EMULATOR_HOST = stack.env.PUBSUB_EMULATOR_HOST;
  }
  const projectId = process.env.GOOGLE_CLOUD_PROJECT ?? "shopstream-local";
  process.env.METADATA_SERVER_DETECTION ??= "none";
  const pubsub = new PubSub({ projectId });
  const r = new ProbeReport("pubsub");
  const suffix = Date.now();
  try {
    await r.check(
      "dead-letter policy: nack 5 times (maxDeliveryAttempts=5) -> message reaches DLQ topic",
      async () => {
        const [topic] = await pubsub.createTopic(`dl-src-${suffix}`);
        const [dlq] = await pubsub.createTopic(`dl-dlq-${suffix}`);
        const [dlqSub] = await dlq.createSubscription(`dl-dlq-sub-${suffix}`);
        const [sub] = await topic.createSubscription(`dl-sub-${suffix}`, {
          deadLetterPolicy: { deadLetterTopic: dlq.name, maxDeliveryAttempts: 5 },
          ackDeadlineSeconds: 10,
        });
        const [meta] = await sub.getMetadata();
        await topic.publishMessage({ data: Buffer.from("poison") });
        const attempts: (number | null)[] = [];
        sub.on("message", (m: Message) => {
          attempts.push(m.deliveryAttempt);
          m.nack();
        });
        let dead: Message | undefined;
        dlqSub.on("message", (m: Message) => {
          dead = m;
          m.ack();
        });
        const deadline = Date.now() + 40_000;
        while (!dead && Date.now() < deadline) await sleep(200);
        await sub.close();
        await dlqSub.close();
        const policy = JSON.stringify(meta.deadLetterPolicy);
        expect(
          dead !== undefined,
          `not dead-lettered after 40 s; deliveries=${attempts.length} deliveryAttempt values=${JSON.stringify(attempts.slice(0, 8))}; stored policy=${policy}`,
        );
        return `deliveries before DLQ=${attempts.length}, deliveryAttempt=${JSON.stringify(attempts)}, DLQ attributes=${JSON.stringify(dead?.attributes)}`;
      },
    );
    await r.check("schemas: createSchema (Avro)", async () => {
      const definition = JSON.stringify({
        type: "record",
        name: "Ev",
        fields: [
          { name: "id", type: "string" },
          { name: "n", type: "int" },
        ],
      });
      await pubsub.createSchema(`ev-${suffix}`, SchemaTypes.Avro, definition);
      return undefined;
    });
    await r.check(
      "schemas: topic with schemaSettings (JSON encoding) rejects an invalid message",
      async () => {
        const schemaName = await pubsub.schema(`ev-${suffix}`).getName();
        const [topic] = await pubsub.createTopic({
          name: `schema-topic-${suffix}`,
          schemaSettings: { schema: schemaName, encoding: "JSON" },
        });
        await topic.publishMessage({ json: { id: "x", n: 1 } });
        try {
          await topic.publishMessage({ data: Buffer.from('{"nope": true}') });
        } catch (err) {
          return `valid accepted, invalid rejected: ${(err as Error).message.slice(0, 100)}`;
        }
        throw new Error("schema attached but an invalid message was accepted");
      },
    );
    await r.check(
      "ack deadline: unacked pulled message is redelivered after ackDeadlineSeconds=10",
      async () => {
        const [topic] = await pubsub.createTopic(`ack-${suffix}`);
        const [sub] = await topic.createSubscription(`ack-sub-${suffix}`, { ackDeadlineSeconds: 10 });
        await topic.publishMessage({ data: Buffer.from("late") });
        const { v1 } = await import("@google-cloud/pubsub");
        const subscriber = new v1.SubscriberClient({
          servicePath: "127.0.0.1",
          port: Number(process.env.PUBSUB_EMULATOR_HOST?.split(":")[1]),
          sslCreds: (await import("@grpc/grpc-js")).credentials.createInsecure(),
        });
        const pull = async () => {
          const [res] = await subscriber.pull({ subscription: sub.name, maxMessages: 1 }, { timeout: 5_000 });
          return res.receivedMessages ?? [];
        };
        const first = await pull();
        expect(first.length === 1, "first pull got nothing");
        const t0 = Date.now();
        const early = await pull();
        let redelivered: typeof first = [];
        while (redelivered.length === 0 && Date.now() - t0 < 25_000) {
          await sleep(1_000);
          redelivered = await pull();
        }
        await subscriber.close();
        expect(redelivered.length === 1, "never redelivered");
        return `no redelivery right away (${early.length} msgs), redelivered after ~${Math.round((Date.now() - t0) / 1000)} s, deliveryAttempt=${String(redelivered[0]?.deliveryAttempt)}`;
      },
    );
    await r.check("message ordering (orderingKey) + subscription filter", async () => {
      const [topic] = await pubsub.createTopic(`ord-${suffix}`);
      const [sub] = await topic.createSubscription(`ord-sub-${suffix}`, {
        enableMessageOrdering: true,
        filter: 'attributes.kind = "order"',
      });
      const t = pubsub.topic(topic.name, { messageOrdering: true });
      for (let i = 0; i < 5; i++) {
        await t.publishMessage({
          data: Buffer.from(String(i)),
          orderingKey: "k",
          attributes: { kind: "order" },
        });
      }
      await t.publishMessage({ data: Buffer.from("filtered"), attributes: { kind: "view" } });
      const got: string[] = [];
      sub.on("message", (m: Message) => {
        got.push(m.data.toString());
        m.ack();
      });
      const deadline = Date.now() + 10_000;
      while (got.length < 5 && Date.now() < deadline) await sleep(100);
      await sleep(1_000);
      await sub.close();
      const ordered = got.filter((g) => g !== "filtered").join(",") === "0,1,2,3,4";
      expect(ordered, `order broken: ${JSON.stringify(got)}`);
      expect(
        !got.includes("filtered"),
        `ordering kept, but the subscription filter was IGNORED: ${JSON.stringify(got)}`,
      );
      return `received ${JSON.stringify(got)}`;
    });
    await r.check("timing: publish 10,000 messages (batched) ", async () => {
      const [topic] = await pubsub.createTopic(`perf-${suffix}`);
      const t0 = Date.now();
      await Promise.all(
        Array.from({ length: 10_000 }, (_, i) => topic.publishMessage({ data: Buffer.from(`m${i}`) })),
      );
      return `${Date.now() - t0} ms`;
    });
  } finally {
    console.log(r.summary());
    await pubsub.close();
    await stack?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
