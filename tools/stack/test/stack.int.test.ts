/**
 * Lifecycle of the local stack, run in the integration project: jest globalSetup has started the `test`
 * profile (fresh), this worker reaches it with attachStack() as fault-injection tests do.
 */
import { execFileSync } from "node:child_process";
import net from "node:net";
import { BigQuery } from "@google-cloud/bigquery";
import { PubSub } from "@google-cloud/pubsub";
import { MongoClient } from "mongodb";
import { attachStack, groupMembers, isPortFree, type Stack, startStack } from "../src/index";

/** Every process whose command line mentions `needle` (ps, as a person would check). */
function psMatching(needle: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,pgid,args"], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(needle) && !l.includes("ps -eo"));
}

jest.setTimeout(180_000);

describe("local stack lifecycle (test profile, attached from a worker)", () => {
  let stack: Stack;

  beforeAll(() => {
    stack = attachStack({ profile: "test", log: () => {} });
  });

  it("exported the stack env to the worker and every service is healthy", async () => {
    expect(process.env.MONGODB_URI).toBe(stack.env.MONGODB_URI);
    expect(process.env.PUBSUB_EMULATOR_HOST).toBe(stack.env.PUBSUB_EMULATOR_HOST);
    expect(process.env.BIGQUERY_EMULATOR_HOST).toBe(stack.env.BIGQUERY_EMULATOR_HOST);
    for (const s of Object.values(stack.services)) {
      expect([s.name, s.running]).toEqual([s.name, true]);
      expect([s.name, await s.healthy()]).toEqual([s.name, true]);
    }
  });

  it("MongoDB: stop kills the whole group, start brings the same data back", async () => {
    const mongo = stack.services.mongodb;
    const client = new MongoClient(stack.env.MONGODB_URI, { serverSelectionTimeoutMS: 5_000 });
    await client.connect();
    await client
      .db("lifecycle")
      .collection("c")
      .insertOne({ _id: "kept" as never, v: 1 });
    await client.close();

    const pgid = mongo.pid();
    expect(pgid).toBeDefined();
    await mongo.stop();
    expect(mongo.running).toBe(false);
    expect(groupMembers(pgid ?? -1)).toEqual([]);
    expect(psMatching(`--listen-addr=127.0.0.1:${mongo.port}`)).toEqual([]);
    await expect(isPortFree(mongo.port)).resolves.toBe(true);

    await mongo.start();
    expect(mongo.running).toBe(true);
    const again = new MongoClient(stack.env.MONGODB_URI, { serverSelectionTimeoutMS: 5_000 });
    await again.connect();
    await expect(
      again
        .db("lifecycle")
        .collection("c")
        .findOne({ _id: "kept" as never }),
    ).resolves.toMatchObject({
      v: 1,
    });
    await again.close();
  });

  it("BigQuery: a table and its rows survive stop/start", async () => {
    const bq = new BigQuery({ projectId: stack.projectId });
    await bq.createDataset("lifecycle");
    await bq.dataset("lifecycle").createTable("t", { schema: { fields: [{ name: "id", type: "STRING" }] } });
    await bq
      .dataset("lifecycle")
      .table("t")
      .insert([{ id: "a" }, { id: "b" }]);

    const svc = stack.services.bigquery;
    const pgid = svc.pid() ?? -1;
    await svc.stop();
    expect(groupMembers(pgid)).toEqual([]);
    await svc.start();

    const [rows] = await bq.query("SELECT id FROM lifecycle.t ORDER BY id");
    expect(rows).toEqual([{ id: "a" }, { id: "b" }]);
  });

  it("Pub/Sub: stop leaves no orphan java; start gives an empty emulator again (in-memory)", async () => {
    const pubsub = new PubSub({ projectId: stack.projectId });
    await pubsub.createTopic("lifecycle");
    const svc = stack.services.pubsub;
    const pgid = svc.pid() ?? -1;
    expect(groupMembers(pgid).length).toBeGreaterThanOrEqual(2); // gcloud (python) + java
    await svc.stop();
    expect(groupMembers(pgid)).toEqual([]);
    expect(psMatching(`--port=${svc.port}`)).toEqual([]);
    await svc.start();
    const [exists] = await pubsub.topic("lifecycle").exists();
    expect(exists).toBe(false);
    await pubsub.close();
  });
});

describe("startStack on a separate instance (bench-lifecycle: own pid files and data)", () => {
  it("fails clearly when a port is taken by a foreign process", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(47917, "127.0.0.1", () => r()));
    try {
      await expect(
        startStack({
          profile: "bench",
          instance: "lifecycle",
          services: ["mongodb"],
          ports: { mongodb: 47917 },
          log: () => {},
        }),
      ).rejects.toThrow(/port 47917 is in use/);
    } finally {
      server.close();
    }
  });

  it("starts, is stopped by stack.stop(), leaves nothing behind", async () => {
    const bench = await startStack({
      profile: "bench",
      instance: "lifecycle",
      services: ["mongodb"],
      ports: { mongodb: 47918 },
      fresh: true,
      log: () => {},
    });
    const pgid = bench.services.mongodb.pid() ?? -1;
    expect(groupMembers(pgid).length).toBe(1);
    await bench.stop();
    expect(groupMembers(pgid)).toEqual([]);
    expect(psMatching("--listen-addr=127.0.0.1:47918")).toEqual([]);
  });
});
