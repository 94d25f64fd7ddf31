/**
 * Writes the generated contract artefacts (JSON Schema, Avro, BigQuery table schemas) next to the
 * package. `--check` fails when a committed file is stale, so CI catches a spec change without a
 * regeneration.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildAvroSchema, buildDeadLetterTableSchema, buildEventsTableSchema, buildJsonSchema } from "../src";

const outDir = join(__dirname, "..", "generated");
const files: Record<string, unknown> = {
  "shop-event.schema.json": buildJsonSchema(),
  "shop-event.avsc": buildAvroSchema(),
  "bigquery-events-schema.json": buildEventsTableSchema(),
  "bigquery-deadletter-schema.json": buildDeadLetterTableSchema(),
};

const check = process.argv.includes("--check");
const stale: string[] = [];
mkdirSync(outDir, { recursive: true });
for (const [name, content] of Object.entries(files)) {
  const path = join(outDir, name);
  const text = `${JSON.stringify(content, null, 2)}\n`;
  let current = "";
  try {
    current = readFileSync(path, "utf8");
  } catch {
    // missing: stale
  }
  if (current === text) continue;
  if (check) stale.push(name);
  else {
    writeFileSync(path, text);
    console.log(`wrote packages/events/generated/${name}`);
  }
}
if (stale.length) {
  console.error(`Generated contract files are stale: ${stale.join(", ")}. Run: npm run generate`);
  process.exit(1);
}
