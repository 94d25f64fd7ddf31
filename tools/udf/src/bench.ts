/**
 * UDF cost per event in Nashorn 15.4 (Dataflow CPU time), beside a pass-through UDF and a JSON round trip.
 * Not a test: run `npx tsx tools/udf/src/bench.ts [--iterations N] [--warmup N]` after tools/nashorn/install.sh.
 * Each figure is the mean over N calls timed inside the JVM after a warm-up (JIT, Nashorn's type
 * specialisation), cycling through the valid golden events (the path nearly every message takes).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UDF_SPECS } from "./apps";
import { buildUdf } from "./build";
import { goldenCases } from "./golden";
import { NashornRunner } from "./nashorn";
import { loadUdfInVm } from "./vm";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const iterations = arg("--iterations", 50_000);
  const warmup = arg("--warmup", 30_000);
  const dir = mkdtempSync(join(tmpdir(), "udf-bench-"));
  const valid = goldenCases().filter((c) => c.name.startsWith("valid "));
  const invalid = goldenCases().filter((c) => c.name.startsWith("malformed: ") && c.payload.length < 10000);
  const now = valid[0]!.nowMs;

  const scripts: [string, string][] = [
    ["pass-through", "function transformAt(s, now) { return s; }"],
    ["JSON parse + stringify", "function transformAt(s, now) { return JSON.stringify(JSON.parse(s)); }"],
  ];
  for (const spec of UDF_SPECS) scripts.push([`${spec.app} UDF`, (await buildUdf(spec)).code]);

  const runner = await NashornRunner.start();
  const rows: string[][] = [];
  try {
    for (const [label, code] of scripts) {
      const file = join(dir, `${label.replace(/\W+/g, "-")}.js`);
      writeFileSync(file, code);
      await runner.load(label, file);
      const validNs = await runner.bench(
        label,
        "transformAt",
        valid.map((c) => c.payload),
        now,
        warmup,
        iterations,
      );
      const invalidNs = label.endsWith("UDF")
        ? await runner.bench(
            label,
            "transformAt",
            invalid.map((c) => c.payload),
            now,
            warmup,
            iterations,
          )
        : Number.NaN;
      const vm = loadUdfInVm(code);
      for (let i = 0; i < warmup; i++) vm.call("transformAt", valid[i % valid.length]!.payload, now);
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) vm.call("transformAt", valid[i % valid.length]!.payload, now);
      const nodeNs = Number(process.hrtime.bigint() - t0) / iterations;
      rows.push([
        label,
        (validNs / 1000).toFixed(1),
        Number.isNaN(invalidNs) ? "-" : (invalidNs / 1000).toFixed(1),
        (nodeNs / 1000).toFixed(1),
      ]);
    }
  } finally {
    await runner.close();
  }
  const header = [
    "UDF",
    "Nashorn µs/event (valid)",
    "Nashorn µs/event (malformed)",
    "Node vm µs/event (valid)",
  ];
  console.log(
    `${runner.engine}, Java ${process.env.JAVA_VERSION ?? "(system)"}; ${iterations} calls after ${warmup} warm-up; ${valid.length} valid events cycled`,
  );
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
