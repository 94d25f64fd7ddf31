/**
 * The action against a local GCS stand-in (fake-gcs-server) through the real @google-cloud/storage client:
 * upload under the content hash, idempotent re-run, dry run, bad inputs.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Storage } from "@google-cloud/storage";
import { buildAll } from "@shopstream/udf";
import { InputError } from "../src/inputs";
import { publishUdfs as run } from "../src/publish";
import { type FakeGcs, startFakeGcs } from "./fake-gcs";

let gcs: FakeGcs;
let storage: Storage;
const udfDir = mkdtempSync(join(tmpdir(), "udf-action-"));
const BUCKET = "shopstream-test-udf";

function reader(overrides: Record<string, string>) {
  const inputs: Record<string, string> = {
    bucket: BUCKET,
    prefix: "udfs",
    region: "europe-west1",
    "template-version": "latest",
    "udf-dir": udfDir,
    "build-command": "",
    "dry-run": "false",
    project: "test-project",
    "storage-endpoint": gcs.endpoint,
    ...overrides,
  };
  return (name: string) => inputs[name] ?? "";
}

beforeAll(async () => {
  gcs = await startFakeGcs();
  storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: "test-project" });
  await storage.createBucket(BUCKET);
  await buildAll(udfDir);
}, 60_000);

afterAll(async () => {
  await gcs?.stop();
});

it("uploads each bundle under its content hash and emits the launch parameters", async () => {
  const lines: string[] = [];
  const results = await run({ read: reader({}), log: (l) => lines.push(l) });
  expect(results.map((r) => [r.app, r.status])).toEqual([
    ["ingestion", "uploaded"],
    ["analytics", "uploaded"],
  ]);
  for (const r of results) {
    expect(r.gcs_path).toBe(`gs://${BUCKET}/udfs/${r.app}/${r.sha256}/udf.js`);
    const [content] = await storage.bucket(BUCKET).file(`udfs/${r.app}/${r.sha256}/udf.js`).download();
    expect(content.toString("utf8")).toMatch(/^\/\/ Dataflow UDF/);
    expect(r.parameters).toEqual({
      javascriptTextTransformGcsPath: r.gcs_path,
      javascriptTextTransformFunctionName: "transform",
    });
  }
  expect(results[0]!.template_gcs_path).toBe(
    "gs://dataflow-templates-europe-west1/latest/flex/Cloud_PubSub_to_MongoDB",
  );
  expect(results[1]!.template_gcs_path).toBe(
    "gs://dataflow-templates-europe-west1/latest/flex/PubSub_to_BigQuery_Flex",
  );
});

it("is idempotent: a re-run finds the objects and uploads nothing", async () => {
  const name = (r: { app: string; sha256: string }) => `udfs/${r.app}/${r.sha256}/udf.js`;
  const first = await run({ read: reader({}), log: () => {} });
  const generations = await Promise.all(
    first.map(async (r) => (await storage.bucket(BUCKET).file(name(r)).getMetadata())[0].generation),
  );
  const again = await run({ read: reader({}), log: () => {} });
  expect(again.map((r) => r.status)).toEqual(["exists", "exists"]);
  const after = await Promise.all(
    again.map(async (r) => (await storage.bucket(BUCKET).file(name(r)).getMetadata())[0].generation),
  );
  expect(after).toEqual(generations);
});

it("dry run reports what would change and uploads nothing", async () => {
  const results = await run({
    read: reader({
      "dry-run": "true",
      prefix: "dry",
      apps: "analytics",
      "app-parameters": '{"analytics": {"numStorageWriteApiStreams": "4"}}',
    }),
    log: () => {},
  });
  expect(results).toHaveLength(1);
  expect(results[0]).toMatchObject({ app: "analytics", status: "would-upload" });
  expect(results[0]!.parameters.numStorageWriteApiStreams).toBe("4");
  const [files] = await storage.bucket(BUCKET).getFiles({ prefix: "dry/" });
  expect(files).toEqual([]);
});

it("refuses bad inputs with every problem and its fix", async () => {
  const attempt = run({
    read: reader({
      bucket: "gs://my-bucket/x",
      region: "Europe",
      "dry-run": "maybe",
      apps: "ingestion,billing",
    }),
    log: () => {},
  });
  await expect(attempt).rejects.toBeInstanceOf(InputError);
  await expect(attempt).rejects.toThrow(/bucket: give the bucket name without gs:\/\/.*"my-bucket"/);
  await expect(attempt).rejects.toThrow(/region: "Europe"/);
  await expect(attempt).rejects.toThrow(/dry-run: must be true or false/);
  await expect(attempt).rejects.toThrow(/unknown app "billing"/);
});

it("fails clearly when the bundles were not built", async () => {
  const empty = mkdtempSync(join(tmpdir(), "udf-none-"));
  await expect(run({ read: reader({ "udf-dir": empty }), log: () => {} })).rejects.toThrow(
    /manifest.json not found/,
  );
});

it("fails when a bundle was tampered with after the build", async () => {
  const { writeFileSync, readFileSync } = await import("node:fs");
  const dir = mkdtempSync(join(tmpdir(), "udf-tampered-"));
  await buildAll(dir);
  const file = join(dir, "ingestion-udf.js");
  writeFileSync(file, readFileSync(file, "utf8").replace("return JSON.stringify(document);", "return null;"));
  await expect(run({ read: reader({ "udf-dir": dir, apps: "ingestion" }), log: () => {} })).rejects.toThrow(
    /differs from manifest/,
  );
});

it("refuses an object planted under the bundle's hash with other bytes", async () => {
  const planted = await run({
    read: reader({ prefix: "planted", apps: "ingestion", "dry-run": "true" }),
    log: () => {},
  });
  const name = `planted/ingestion/${planted[0]!.sha256}/udf.js`;
  // Someone who could write the bucket before the promotion puts their own code under the expected name.
  await storage.bucket(BUCKET).file(name).save("function transform(s) { return s; }");
  await expect(
    run({ read: reader({ prefix: "planted", apps: "ingestion" }), log: () => {} }),
  ).rejects.toThrow(/exists but holds different bytes/);
});
