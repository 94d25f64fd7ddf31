/**
 * The workers load @shopstream/telemetry in every stage process: it takes the latency bucket rule from
 * @shopstream/slo's `buckets` entry and nothing else of that package (no catalogue loader, zod, YAML or
 * Monitoring client), and reaches no other workspace's src/ through a deep import.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const REPO_ROOT = join(__dirname, "..", "..", "..");

test("loading the package loads only the bucket rule of @shopstream/slo", () => {
  const script = `require("@shopstream/telemetry");
const loaded = Object.keys(require.cache).filter((p) => /packages\\/slo\\/|node_modules\\/(zod|yaml|@google-cloud)\\//.test(p));
process.stdout.write(JSON.stringify(loaded.map((p) => p.slice(p.indexOf("packages/slo/")))));`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "-e", script], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  expect(JSON.parse(out)).toEqual(["packages/slo/src/buckets.ts"]);
});
