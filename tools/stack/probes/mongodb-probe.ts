/**
 * What FerretDB v1.24.2 (SQLite backend) does with the calls the pipeline makes, through mongodb 7.9.0.
 *
 *   tsx tools/stack/probes/mongodb-probe.ts   (starts a separate bench-probe instance of the FerretDB if MONGODB_URI is unset)
 */
import { MongoBulkWriteError, MongoClient, MongoServerError } from "mongodb";
import { type Stack, startStack } from "../src/index";
import { expect, ProbeReport } from "./report";

async function main(): Promise<void> {
  let stack: Stack | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    stack = await startStack({ profile: "bench", instance: "probe", services: ["mongodb"], fresh: true });
    uri = stack.env.MONGODB_URI;
  }
  const client = new MongoClient(uri);
  await client.connect();
  const db = client.db(`probe_${Date.now()}`);
  const r = new ProbeReport("mongodb");
  try {
    await r.check("hello: reported server version / wire version", async () => {
      const hello = await db.admin().command({ hello: 1 });
      const info = await db.admin().command({ buildInfo: 1 });
      return `version=${String(info.version)} maxWireVersion=${String(hello.maxWireVersion)} ferretdb=${JSON.stringify(info.ferretdb?.version ?? info.ferretdbVersion ?? "")}`;
    });
    const c = db.collection<{ _id: string; v: number }>("events");
    await r.check(
      "insertMany(ordered:false) with 2 duplicate _ids among 5 -> error class/code, insertedCount",
      async () => {
        await c.insertOne({ _id: "a", v: 0 });
        const docs = [
          { _id: "a", v: 1 }, // duplicate of an existing doc
          { _id: "b", v: 1 },
          { _id: "b", v: 2 }, // duplicate inside the batch
          { _id: "c", v: 1 },
          { _id: "d", v: 1 },
        ];
        try {
          await c.insertMany(docs, { ordered: false });
        } catch (err) {
          const total = await c.countDocuments();
          if (err instanceof MongoBulkWriteError) {
            const codes = (Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors]).map(
              (w) => w.code,
            );
            return `${err.name} code=${String(err.code)} writeErrors.codes=${JSON.stringify(codes)} insertedCount=${err.result.insertedCount} (expected 3) docs in collection=${total} (expected 4)`;
          }
          const e = err as { name?: string; code?: unknown; message?: string };
          return `${e.name} code=${String(e.code)} ${e.message?.slice(0, 100)}; docs in collection=${total}`;
        }
        throw new Error("no error for duplicate _ids");
      },
    );
    await r.check("insertMany(ordered:true) with a duplicate: stops at the first error", async () => {
      const c2 = db.collection<{ _id: string }>("ordered");
      try {
        await c2.insertMany([{ _id: "x" }, { _id: "x" }, { _id: "y" }], { ordered: true });
      } catch (err) {
        const total = await c2.countDocuments();
        const e = err as MongoBulkWriteError;
        return `${e.name} code=${String(e.code)} insertedCount=${e.result?.insertedCount} docs=${total} (expected 1)`;
      }
      throw new Error("no error");
    });
    await r.check(
      "bulkWrite (insertOne, updateOne upsert $inc, replaceOne, deleteOne, ordered:false)",
      async () => {
        const res = await c.bulkWrite(
          [
            { insertOne: { document: { _id: "e", v: 1 } } },
            { updateOne: { filter: { _id: "f" }, update: { $inc: { v: 5 } }, upsert: true } },
            { updateOne: { filter: { _id: "a" }, update: { $inc: { v: 1 } } } },
            { replaceOne: { filter: { _id: "b" }, replacement: { v: 42 } } },
            { deleteOne: { filter: { _id: "c" } } },
          ],
          { ordered: false },
        );
        return `inserted=${res.insertedCount} upserted=${res.upsertedCount} matched=${res.matchedCount} modified=${res.modifiedCount} deleted=${res.deletedCount}`;
      },
    );
    await r.check("updateOne with $setOnInsert/$max upsert (idempotent aggregate pattern)", async () => {
      const agg = db.collection<{ _id: string; n?: number; last?: Date }>("agg");
      for (let i = 0; i < 2; i++) {
        await agg.updateOne(
          { _id: "m1" },
          { $setOnInsert: { created: new Date(0) }, $inc: { n: 1 }, $max: { last: new Date() } },
          { upsert: true },
        );
      }
      const doc = await agg.findOne({ _id: "m1" });
      expect(doc?.n === 2, `n=${String(doc?.n)}`);
      return "n=2";
    });
    await r.check("createIndex (compound + unique) and listIndexes", async () => {
      await c.createIndex({ v: 1, _id: -1 }, { name: "v_id" });
      await db.collection("uniq").createIndex({ key: 1 }, { unique: true });
      const names = (await c.listIndexes().toArray()).map((i) => i.name);
      return JSON.stringify(names);
    });
    await r.check("unique secondary index enforced -> E11000", async () => {
      const u = db.collection("uniq");
      await u.insertOne({ key: 1 });
      try {
        await u.insertOne({ key: 1 });
      } catch (err) {
        const e = err as MongoServerError;
        return `${e.name} code=${String(e.code)}`;
      }
      throw new Error("duplicate accepted");
    });
    await r.check("TTL index (expireAfterSeconds)", async () => {
      await db.collection("ttl").createIndex({ at: 1 }, { expireAfterSeconds: 60 });
      return "created (expiry not verified)";
    });
    await r.check("db.command({serverStatus:1}).connections", async () => {
      const s = await db.admin().command({ serverStatus: 1 });
      expect(s.connections !== undefined, `no 'connections' field; keys: ${Object.keys(s).join(",")}`);
      return JSON.stringify(s.connections);
    });
    await r.check("aggregate $group {n: {$sum: 1}} counts documents", async () => {
      const rows = await c
        .aggregate([{ $group: { _id: null, total: { $sum: "$v" }, n: { $sum: 1 } } }])
        .toArray();
      const count = await c.countDocuments();
      expect(rows[0]?.n === count, `$sum: 1 gave n=${String(rows[0]?.n)} but countDocuments()=${count}`);
      return JSON.stringify(rows[0]);
    });
    await r.check("aggregate $match/$group/$sort/$count", async () => {
      const rows = await c
        .aggregate([
          { $match: { v: { $gte: 0 } } },
          { $group: { _id: "$v", total: { $sum: "$v" } } },
          { $sort: { _id: 1 } },
        ])
        .toArray();
      const [counted] = await c.aggregate([{ $match: { v: { $gte: 0 } } }, { $count: "n" }]).toArray();
      return `${rows.length} groups; $count=${JSON.stringify(counted)}`;
    });
    await r.check("aggregate with $merge", async () => {
      await c
        .aggregate([{ $group: { _id: null, n: { $sum: 1 } } }, { $merge: { into: "merged" } }])
        .toArray();
      return `merged docs=${await db.collection("merged").countDocuments()}`;
    });
    await r.check("multi-document transaction (withTransaction)", async () => {
      const session = client.startSession();
      try {
        await session.withTransaction(async () => {
          await c.insertOne({ _id: "tx", v: 1 }, { session });
        });
      } finally {
        await session.endSession();
      }
      return undefined;
    });
    await r.check("change stream (watch)", async () => {
      const cs = c.watch();
      try {
        await Promise.race([
          cs.tryNext(),
          new Promise((_, rej) => setTimeout(() => rej(new Error("timeout")), 3000)),
        ]);
      } finally {
        await cs.close();
      }
      return undefined;
    });
    await r.check("timing: insertMany 1,000 docs (ordered:false)", async () => {
      const docs = Array.from({ length: 1000 }, (_, i) => ({ _id: `bulk-${i}`, v: i }));
      const t0 = Date.now();
      await c.insertMany(docs, { ordered: false });
      return `${Date.now() - t0} ms`;
    });
  } catch (err) {
    if (err instanceof MongoServerError) console.error(err);
    throw err;
  } finally {
    console.log(r.summary());
    await db.dropDatabase().catch(() => {});
    await client.close();
    await stack?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
