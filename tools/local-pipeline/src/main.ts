/**
 * `npm start`: the whole pipeline on this machine.
 *   npm start -- --duration 60 --rate 200 [--seed N] --faults default|none [--fresh]
 * Without --seed each run simulates new shoppers (a fresh seed, printed so the run can be repeated);
 * the same seed republishes the same event IDs, which the stores treat as duplicates.
 * Ctrl-C once: stop producing, keep the workers running until both subscriptions are empty and the
 * aggregates are refreshed (with progress), summarise, then stop the stand-ins. Twice: stop at once and say
 * how many messages are abandoned (still no process left behind).
 * --profile test|bench and --report FILE (the summary as JSON) serve the tests.
 * It installs the stand-ins itself (tools/stack/install.sh, one process per stand-in, in parallel) and
 * starts each part as soon as what it needs is ready: the producer once Pub/Sub is up, each worker once
 * its store is installed and running. --installed-only skips the install step (everything is there).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatLocalStatus, loadSloCatalog, localStatus } from "@shopstream/slo";
import { LatencyHistogram } from "@shopstream/telemetry";
import { scriptInstaller } from "./installs";
import { InstallInterrupted, type PipelineSummary, RunAbandoned, runPipeline } from "./pipeline";

function parse() {
  const { values } = parseArgs({
    options: {
      duration: { type: "string", default: "60" },
      rate: { type: "string", default: "200" },
      seed: { type: "string" },
      faults: { type: "string", default: "default" },
      fresh: { type: "boolean", default: false },
      profile: { type: "string", default: "dev" },
      report: { type: "string" },
      "installed-only": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(
      "usage: npm start -- [--duration S] [--rate EVENTS_PER_S] [--seed N] [--faults default|none] [--fresh] [--installed-only]",
    );
    process.exit(0);
  }
  const positive = (name: string, raw: string) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`--${name} must be a positive number, got "${raw}"`);
    return value;
  };
  if (values.faults !== "default" && values.faults !== "none")
    throw new Error(`--faults must be default or none`);
  if (!["dev", "test", "bench"].includes(values.profile))
    throw new Error(`--profile must be dev, test or bench, got "${values.profile}"`);
  return {
    durationS: positive("duration", values.duration),
    rate: positive("rate", values.rate),
    seed: values.seed === undefined ? 1 + (Date.now() % 1_000_000_000) : positive("seed", values.seed),
    faults: values.faults as "default" | "none",
    fresh: values.fresh,
    profile: values.profile as "dev" | "test" | "bench",
    report: values.report,
    installedOnly: values["installed-only"],
    // The same seed again on kept stores: its events are there already, so the stores cannot confirm the drain.
    storesMayHoldThisSeed: values.seed !== undefined && !values.fresh,
  };
}

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return "    (no rows)";
  const columns = Object.keys(rows[0] as object);
  const text = (v: unknown) =>
    v instanceof Date
      ? v.toISOString()
      : typeof v === "object" && v !== null && "value" in v
        ? String((v as { value: unknown }).value)
        : String(v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) => `    ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ")}`;
  return [
    line(columns),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(columns.map((c) => text(r[c])))),
  ].join("\n");
}

function printSummary(summary: PipelineSummary): void {
  const t = summary.totals;
  const validUnique = t.published - t.malformed - t.duplicates;
  console.log("\n=== summary ===");
  console.log(
    `elapsed ${(summary.elapsedMs / 1000).toFixed(1)} s; drained: ${summary.drained ? (summary.drainConfirmedInStores ? "yes" : "yes by the workers' counters (unconfirmed: --seed given again on kept data)") : "NO (backlog left in Pub/Sub)"}; aggregates refreshed: ${summary.aggregatesRefreshed ? "yes" : "NO"}`,
  );
  console.log(
    `published messages      ${t.published} (${t.duplicates} duplicate publishes, ${t.late} late, ${t.malformed} malformed)`,
  );
  console.log(`valid distinct events    ${validUnique} (this run)`);
  console.log(
    `raw documents (MongoDB)  ${summary.rawDocuments} in total; this run stored ${t.rawStored}, ${t.rawDuplicates} duplicates were no-ops`,
  );
  console.log(
    `warehouse (BigQuery)     ${summary.warehouseDistinctEvents} distinct events in total; this run inserted ${t.warehouseStored}`,
  );
  console.log(
    `dead-lettered            ingestion ${t.deadLetteredIngestion}, analytics ${t.deadLetteredAnalytics} (expected ${t.malformed} each)`,
  );
  console.log(
    `end-to-end latency       p50 ${Math.round(t.p50)} ms, p95 ${Math.round(t.p95)} ms, p99 ${Math.round(t.p99)} ms (Pub/Sub publish -> stored and acked)`,
  );
  const sli = LatencyHistogram.from([t.sliLatency]);
  const exact = LatencyHistogram.from([t.mongoExactLatency]);
  const ms = (h: LatencyHistogram) =>
    `p50 ${Math.round(h.percentile(50))} ms, p95 ${Math.round(h.percentile(95))} ms, p99 ${Math.round(h.percentile(99))} ms, ${(h.shareWithinSloBound(10) * 100).toFixed(2)}% < 10 s`;
  console.log(
    `latency SLI (MongoDB)    ${ms(sli)} (processed_at - published_at, as in Google Cloud; ${t.latencyUnmeasured} unmeasured, ${t.latencyInvalid} invalid)`,
  );
  console.log(`  exact, MongoDB         ${ms(exact)} (Pub/Sub publish -> stored and acked: the calibration)`);
  if (t.restarts > 0) console.log(`worker restarts          ${t.restarts}`);
  printSloStatus(summary);
  for (const [name, rows] of Object.entries(summary.aggregates)) {
    console.log(`\n  ${name} (top ${rows.length})`);
    console.log(table(rows));
  }
}

/**
 * The SLOs of policies/slo over this run, through the same declarations and math as the gate:
 * processing success: good = valid messages whose event is in MongoDB (stored now or already there),
 * total = valid messages published (malformed ones are excluded, duplicate publishes included);
 * latency: share of the events MongoDB stored whose processed_at - published_at is within the declared
 * threshold (the definition export-slis writes in Google Cloud); MongoDB connections from serverStatus.
 */
function printSloStatus(summary: PipelineSummary): void {
  const t = summary.totals;
  const latency = LatencyHistogram.from([t.sliLatency]);
  const statuses = localStatus(loadSloCatalog(), {
    counters: {
      published: t.published,
      validPublished: t.published - t.malformed,
      validStored: t.rawStored + t.rawDuplicates,
      deadLettered: t.deadLetteredIngestion,
    },
    gauges:
      summary.mongodbConnections === undefined ? {} : { mongodbConnections: summary.mongodbConnections },
    latencyShareWithin: (boundSeconds) => latency.shareWithinSloBound(boundSeconds),
  });
  console.log("\n  SLOs (policies/slo; one run, not a rolling window)");
  for (const line of formatLocalStatus(statuses)) console.log(line);
}

async function main(): Promise<void> {
  const { report, installedOnly, ...args } = parse();
  const stop = new AbortController();
  const force = new AbortController();
  let interrupts = 0;
  process.on("SIGINT", () => {
    interrupts++;
    if (interrupts === 1) {
      console.log(
        "\nCtrl-C: the producer stops; the workers drain and refresh the aggregates (Ctrl-C again: stop now)",
      );
      stop.abort();
    } else if (interrupts === 2) {
      force.abort();
    } else {
      process.exit(130); // the exit handlers still kill every child
    }
  });
  process.on("SIGTERM", () => stop.abort());
  try {
    const summary = await runPipeline({
      ...args,
      ...(installedOnly ? {} : { installer: scriptInstaller((line) => console.log(line)) }),
      progressEveryMs: 2000,
      drainTimeoutMs: 120000,
      print: (line) => console.log(line),
      signal: stop.signal,
      forceSignal: force.signal,
    });
    printSummary(summary);
    if (report) writeFileSync(report, `${JSON.stringify({ ...summary, abandoned: null }, null, 2)}\n`);
    process.exitCode = summary.drained && summary.aggregatesRefreshed ? 0 : 1;
  } catch (error) {
    if (error instanceof InstallInterrupted) {
      console.log(`\n${error.message}`);
      process.exitCode = 130;
      return;
    }
    if (!(error instanceof RunAbandoned)) throw error;
    console.log(`\n${error.message}`);
    if (report) writeFileSync(report, `${JSON.stringify({ abandoned: error.abandoned }, null, 2)}\n`);
    process.exitCode = 130;
  }
}

main().catch((error) => {
  console.error(`\nthe local pipeline failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
