/**
 * UDF cost per event in Nashorn 15.4 (Dataflow CPU time), beside a pass-through UDF and a JSON round trip.
 * Not a test: run `npm run udf:bench -- [--iterations N] [--warmup N] [--rounds R]` after
 * tools/nashorn/install.sh. Every UDF is warmed up (JIT, Nashorn's type specialisation), then timed in R
 * interleaved rounds of N calls each, cycling through the valid golden events (the path nearly every
 * message takes). Each figure is the best round (on a shared machine the one least disturbed by other
 * processes); both clocks also get the median round, with its ratio to the JSON round trip's median. Two
 * clocks: wall time inside the JVM, and the JVM process's CPU time (from /proc in 10 ms ticks, Linux only;
 * it includes the JVM's own GC and JIT threads). The ratio column compares each
 * UDF with the JSON parse-and-stringify UDF of the same run.
 * A/B: `--baseline DIR` also loads DIR/<app>-udf.js (the bundles `tsx tools/udf/src/cli.ts build --out DIR`
 * wrote from another tree) as "<app> UDF (baseline)", timed in the same JVM, interleaved round by round.
 * The position in the JVM moves a bundle's figure (see below): run it again with `--baseline-first`.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { goldenCases, UDF_SPECS } from "@shopstream/transforms";
import { buildUdf } from "./build";
import { NashornRunner } from "./nashorn";
import { loadUdfInVm } from "./vm";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** CPU time of a process in ms (user + system), or NaN where /proc is missing. */
function cpuMs(pid: number | undefined): number {
  const file = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) return Number.NaN;
  // Fields after the command name: state is field 3; utime and stime are fields 14 and 15, in ticks.
  const fields = (readFileSync(file, "utf8").split(") ")[1] ?? "").split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Row {
  label: string;
  inputs: string[];
  invalid?: string[];
  wallNs: number;
  cpuNs: number;
  /** CPU ns per call of every round. */
  cpuRounds: number[];
  /** Wall ns per call of every round. */
  wallRounds: number[];
  invalidNs: number;
  nodeNs: number;
}

async function main(): Promise<void> {
  const iterations = arg("--iterations", 20_000);
  const warmup = arg("--warmup", 60_000);
  const rounds = arg("--rounds", 8);
  const dir = mkdtempSync(join(tmpdir(), "udf-bench-"));
  const valid = goldenCases().filter((c) => c.name.startsWith("valid "));
  const invalid = goldenCases().filter((c) => c.name.startsWith("malformed: ") && c.payload.length < 10000);
  const now = valid[0]!.nowMs;
  const validInputs = valid.map((c) => c.payload);
  const invalidInputs = invalid.map((c) => c.payload);

  const scripts: [string, string][] = [
    ["pass-through", "function transformAt(s, now) { return s; }"],
    ["JSON parse + stringify", "function transformAt(s, now) { return JSON.stringify(JSON.parse(s)); }"],
  ];
  const tree: [string, string][] = [];
  for (const spec of UDF_SPECS) tree.push([`${spec.app} UDF`, (await buildUdf(spec)).code]);
  const baseline: [string, string][] = [];
  const baselineAt = process.argv.indexOf("--baseline");
  if (baselineAt >= 0) {
    const baselineDir = process.argv[baselineAt + 1] ?? "";
    for (const spec of UDF_SPECS) {
      const file = join(baselineDir, `${spec.app}-udf.js`);
      if (!existsSync(file))
        throw new Error(`--baseline: no ${file} (build it with: cli.ts build --out DIR)`);
      baseline.push([`${spec.app} UDF (baseline)`, readFileSync(file, "utf8")]);
    }
  }
  // A bundle's figure depends on its position in the JVM (an A/A run, the tree against its own build:
  // analytics 18.0 vs 20.6 µs; in A/B runs either position came out ahead): --baseline-first loads the
  // baseline first, and an A/B takes both orders.
  const baselineFirst = process.argv.includes("--baseline-first");
  if (baselineFirst && baselineAt < 0)
    throw new Error("--baseline-first needs --baseline DIR (the bundles to load first)");
  if (baselineFirst) scripts.push(...baseline, ...tree);
  else scripts.push(...tree, ...baseline);

  const runner = await NashornRunner.start();
  const pid = runner.pid;
  const rows: Row[] = [];
  try {
    for (const [label, code] of scripts) {
      const file = join(dir, `${label.replace(/\W+/g, "-")}.js`);
      writeFileSync(file, code);
      await runner.load(label, file);
      await runner.bench(label, "transformAt", validInputs, now, warmup, 1);
      const row: Row = {
        label,
        inputs: validInputs,
        wallNs: Infinity,
        cpuNs: Infinity,
        cpuRounds: [],
        wallRounds: [],
        invalidNs: Infinity,
        nodeNs: 0,
      };
      // Tree and baseline bundles get the same calls (malformed warm-up and rounds too): an A/B must
      // differ only in the bundle, or its JIT type profiles, not its position, could explain a gap.
      if (label.endsWith("UDF") || label.endsWith("UDF (baseline)")) {
        row.invalid = invalidInputs;
        await runner.bench(label, "transformAt", invalidInputs, now, warmup, 1);
      }
      const vm = loadUdfInVm(code);
      for (let i = 0; i < warmup; i++) vm.call("transformAt", valid[i % valid.length]!.payload, now);
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) vm.call("transformAt", valid[i % valid.length]!.payload, now);
      row.nodeNs = Number(process.hrtime.bigint() - t0) / iterations;
      rows.push(row);
    }
    for (let round = 0; round < rounds; round++) {
      for (const row of rows) {
        const cpu0 = cpuMs(pid);
        const wall = await runner.bench(row.label, "transformAt", row.inputs, now, 0, iterations);
        const cpu = ((cpuMs(pid) - cpu0) * 1e6) / iterations;
        row.wallNs = Math.min(row.wallNs, wall);
        row.wallRounds.push(wall);
        if (!Number.isNaN(cpu)) {
          row.cpuNs = Math.min(row.cpuNs, cpu);
          row.cpuRounds.push(cpu);
        }
        if (row.invalid) {
          const bad = await runner.bench(row.label, "transformAt", row.invalid, now, 0, iterations);
          row.invalidNs = Math.min(row.invalidNs, bad);
        }
      }
    }
  } finally {
    await runner.close();
  }
  const json = rows.find((r) => r.label.startsWith("JSON"));
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? (sorted[Math.floor(sorted.length / 2)] as number) : Number.NaN;
  };
  const us = (ns: number) => (Number.isFinite(ns) ? (ns / 1000).toFixed(1) : "-");
  const ratio = (ns: number, base: number | undefined) =>
    base && Number.isFinite(ns) && Number.isFinite(base) ? `${(ns / base).toFixed(2)}x` : "-";
  const header = [
    "UDF",
    "Nashorn µs/event, wall (valid)",
    "vs JSON, wall",
    "Nashorn µs/event, CPU (valid)",
    "vs JSON, CPU",
    "Nashorn µs/event, CPU median (valid)",
    "vs JSON, CPU median",
    "Nashorn µs/event, wall median (valid)",
    "vs JSON, wall median",
    "Nashorn µs/event, wall (malformed)",
    "Node vm µs/event (valid)",
  ];
  console.log(
    `${runner.engine}; best of ${rounds} rounds of ${iterations} calls after ${warmup} warm-up; ${valid.length} valid events cycled`,
  );
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const r of rows) {
    console.log(
      `| ${[r.label, us(r.wallNs), ratio(r.wallNs, json?.wallNs), us(r.cpuNs), ratio(r.cpuNs, json?.cpuNs), us(median(r.cpuRounds)), ratio(median(r.cpuRounds), json ? median(json.cpuRounds) : undefined), us(median(r.wallRounds)), ratio(median(r.wallRounds), json ? median(json.wallRounds) : undefined), us(r.invalidNs), us(r.nodeNs)].join(" | ")} |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
