/**
 * The cost of one aggregate refresh on the stand-in, alone: starts the `bench` profile on the data the last
 * `npm run bench` left (no --fresh), marks the newest stored minutes dirty (plus late ones, as the default
 * faults produce) and times the refresh statements the analytics worker sends, several times. Prints wall ms
 * and bqemulator CPU ms (from /proc) per refresh, with the load average.
 *   npx tsx bench/src/refresh.ts [--minutes 3] [--late 5] [--repeat 5]
 * Run it under the bench lock. A benchmark: it asserts nothing.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import {
  buildRefreshStatements,
  createBigQuery,
  DIRTY_MINUTES_TABLE,
  EVENTS_TABLE,
  loadAggregates,
} from "@shopstream/analytics";
import { startStack } from "@shopstream/stack";

/** user+sys CPU ms of a process and its threads, from /proc/<pid>/stat (clock ticks are 10 ms on Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: "string", default: "3" },
      late: { type: "string", default: "5" },
      repeat: { type: "string", default: "5" },
      dataset: { type: "string", default: "shopstream_analytics_local" },
    },
  });
  const stack = await startStack({ profile: "bench", fresh: false, log: (l) => console.log(`  ${l}`) });
  try {
    const pid = stack.services.bigquery.pid();
    if (!pid) throw new Error("bqemulator is not running: no pid to read its CPU time from");
    const bigquery = createBigQuery({
      projectId: stack.env.GOOGLE_CLOUD_PROJECT,
      emulatorHost: stack.env.BIGQUERY_EMULATOR_HOST,
      location: "US",
    });
    const dataset = values.dataset;
    const [[count]] = await bigquery.query({
      query: `SELECT COUNT(*) AS n, MIN(event_time) AS first, MAX(event_time) AS last FROM \`${dataset}.${EVENTS_TABLE}\``,
    });
    console.log(`events: ${JSON.stringify(count)}`);
    const [minuteRows] = await bigquery.query({
      query: `SELECT DISTINCT TIMESTAMP_TRUNC(event_time, MINUTE) AS minute FROM \`${dataset}.${EVENTS_TABLE}\` ORDER BY minute DESC`,
    });
    const all = (minuteRows as { minute: { value: string } }[]).map((r) => r.minute.value);
    const recent = all.slice(0, Number(values.minutes));
    const late = all
      .slice(Number(values.minutes))
      .filter((_, i, a) => i % Math.max(1, Math.floor(a.length / Number(values.late))) === 0)
      .slice(0, Number(values.late));
    const dirty = [...recent, ...late];
    console.log(
      `${all.length} stored minutes; refreshing ${recent.length} newest + ${late.length} older ones`,
    );
    const statements = buildRefreshStatements(loadAggregates(), dataset);
    for (let i = 0; i < Number(values.repeat); i++) {
      const load = loadavg()[0]?.toFixed(1);
      const cpuBefore = cpuMs(pid);
      const started = performance.now();
      await bigquery
        .dataset(dataset)
        .table(DIRTY_MINUTES_TABLE)
        .insert(dirty.map((minute) => ({ minute })));
      for (const statement of statements) await bigquery.query({ query: statement });
      const wall = performance.now() - started;
      console.log(
        `refresh ${i + 1}: ${wall.toFixed(0)} ms wall, bqemulator ${cpuMs(pid) - cpuBefore} ms CPU (load ${load})`,
      );
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(`refresh benchmark failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
