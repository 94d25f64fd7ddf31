/**
 * The main job starts progressively: the producer as soon as Pub/Sub is up, each worker as soon as its own
 * store is installed. Runs runPipeline on the test-profile stand-ins of jest's globalSetup with a fake
 * installer that holds the MongoDB install back until analytics has stored events (what a first run does:
 * the FerretDB build ends long after bqemulator is in place). Nothing may be lost meanwhile, and a failed
 * install must stop the run, naming its log, with nothing left running.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServiceName } from "@shopstream/stack";
import { type Installer, scriptInstaller } from "../src/installs";
import { runPipeline } from "../src/pipeline";
import { storedCounts } from "./stored-counts";

jest.setTimeout(600000);

const REPO = join(__dirname, "..", "..", "..");

/** Processes of this checkout's apps still running (the run must leave none behind). */
function leftoverApps(): string[] {
  try {
    return execFileSync("pgrep", ["-af", join(REPO, "apps")], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l.trim() !== "");
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

const seed = () => 1 + (Date.now() % 1_000_000_000);

it("starts analytics before ingestion when bqemulator is ready first, and stores every valid event in both stores", async () => {
  const before = await storedCounts();
  const lines: string[] = [];
  let releaseMongo = () => {};
  const mongoInstalled = new Promise<void>((resolve) => (releaseMongo = resolve));
  let lineAtRelease = "";
  const print = (line: string) => {
    lines.push(line);
    // The MongoDB "install" ends only once events are published and analytics has stored some.
    if (!lineAtRelease && /published [1-9].*\| warehouse [1-9]/.test(line)) {
      lineAtRelease = line;
      releaseMongo();
    }
  };
  const installer: Installer = (service: ServiceName) =>
    service === "mongodb" ? mongoInstalled : Promise.resolve();
  const summary = await runPipeline({
    durationS: 8,
    rate: 100,
    seed: seed(),
    faults: "default",
    profile: "test",
    fresh: false,
    progressEveryMs: 500,
    drainTimeoutMs: 120000,
    print,
    installer,
  });
  const output = lines.join("\n");
  const analyticsStart = output.indexOf("starting it, then the analytics worker");
  const ingestionStart = output.indexOf("starting it, then the ingestion worker");
  expect(analyticsStart).toBeGreaterThanOrEqual(0);
  expect(ingestionStart).toBeGreaterThan(analyticsStart);
  expect(output).toMatch(/ingestion worker waits for mongodb: still installing: mongodb/);
  // While MongoDB was "installing", nothing could be stored raw: the ingestion subscription held the events.
  expect(lineAtRelease).toMatch(/\| raw 0 \|/);

  expect({ drained: summary.drained, aggregatesRefreshed: summary.aggregatesRefreshed }).toEqual({
    drained: true,
    aggregatesRefreshed: true,
  });
  const t = summary.totals;
  const validDistinct = t.published - t.malformed - t.duplicates;
  expect(t.published).toBeGreaterThan(0);
  expect(t.rawStored + t.rawDuplicates).toBe(t.published - t.malformed);
  expect(t.deadLetteredIngestion).toBe(t.malformed);
  expect(t.deadLetteredAnalytics).toBe(t.malformed);
  const after = await storedCounts();
  expect({ raw: after.raw - before.raw, warehouse: after.warehouse - before.warehouse }).toEqual({
    raw: validDistinct,
    warehouse: validDistinct,
  });
  expect(leftoverApps()).toEqual([]);
});

it("stops the run on a failed install, naming the install's log, before anything is published", async () => {
  const dir = mkdtempSync(join(tmpdir(), "failed-install-"));
  const script = join(dir, "install.sh");
  writeFileSync(
    script,
    '#!/usr/bin/env bash\necho "[stack] ERROR: go build of FerretDB failed" >&2\nexit 1\n',
  );
  chmodSync(script, 0o755);
  const logs = { pubsub: "-", mongodb: join(dir, "install-ferretdb.log"), bigquery: "-" };
  const lines: string[] = [];
  const print = (line: string) => lines.push(line);
  const failing = scriptInstaller(print, script, logs);
  let mongoDone = () => {};
  const mongoFailed = new Promise<void>((resolve) => (mongoDone = resolve));
  // MongoDB's install fails first; Pub/Sub is "installed" just after. (A failure later in the run takes
  // the same path at the next check; it is not tested here because the events already published would
  // stay in the shared test-profile subscriptions and disturb the other integration tests.)
  const installer: Installer = (service, signal) => {
    if (service === "mongodb") {
      const done = failing(service, signal);
      done.catch(mongoDone);
      return done;
    }
    return service === "pubsub" ? mongoFailed : Promise.resolve();
  };
  const run = runPipeline({
    durationS: 300,
    rate: 50,
    seed: seed(),
    faults: "none",
    profile: "test",
    fresh: false,
    progressEveryMs: 500,
    drainTimeoutMs: 120000,
    print,
    installer,
  });
  await expect(run).rejects.toThrow(
    new RegExp(`installing mongodb failed \\(exit code 1\\); log: ${logs.mongodb.replace(/[.]/g, "\\.")}`),
  );
  const output = lines.join("\n");
  expect(output).toMatch(/\[stack\] ERROR: go build of FerretDB failed/);
  expect(output).not.toMatch(/producing for/);
  expect(leftoverApps()).toEqual([]);
});
