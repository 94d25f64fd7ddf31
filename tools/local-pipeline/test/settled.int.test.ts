/**
 * The drain's raw-document count comes from `$collStats` (src/settled.ts says why). Against the test profile's
 * FerretDB: it must equal countDocuments exactly — after inserts, refused duplicates, a delete, documents larger
 * than a SQLite page (stored on overflow pages) — and be 0 for a collection that does not exist yet.
 */
import { randomUUID } from "node:crypto";
import { type Db, MongoClient } from "mongodb";
import { collectionCount } from "../src/settled";

let client: MongoClient;
let db: Db;

beforeAll(async () => {
  client = new MongoClient(process.env.MONGODB_URI as string);
  await client.connect();
  db = client.db(`settled_${randomUUID().slice(0, 8)}`);
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

it("counts 0 for a collection the worker has not created yet", async () => {
  await expect(collectionCount(db.collection("never_created"))).resolves.toBe(0);
});

it("equals countDocuments after inserts, refused duplicates, large documents and a delete", async () => {
  const events = db.collection<{ _id: string; pad: string }>("events");
  const small = Array.from({ length: 3000 }, (_, i) => ({ _id: `evt-${i}`, pad: "x".repeat(i % 700) }));
  await events.insertMany(small, { ordered: false });
  // Larger than a 4 KiB page: SQLite keeps the row's cell on a leaf page and the rest on overflow pages.
  const large = Array.from({ length: 40 }, (_, i) => ({ _id: `big-${i}`, pad: "y".repeat(20000 + i) }));
  await events.insertMany(large, { ordered: false });
  await expect(collectionCount(events)).resolves.toBe(3040);

  // Redelivered events: the deterministic _id refuses them (E11000), nothing new is stored.
  const redelivered = [...small.slice(0, 50), { _id: "evt-new", pad: "z" }];
  await expect(events.insertMany(redelivered, { ordered: false })).rejects.toMatchObject({ code: 11000 });
  await events.deleteOne({ _id: "evt-7" });

  const exact = await events.countDocuments();
  expect(exact).toBe(3040);
  await expect(collectionCount(events)).resolves.toBe(exact);
});
