/**
 * Ctrl-C loses nothing: the main job (`npm start`'s entry) runs on the test-profile stand-ins started by
 * jest's globalSetup, and gets SIGINT mid-stream the way a terminal sends it, to its whole process group.
 * Every valid event published before the producer stopped must be stored in both stores, the aggregates
 * refreshed, and the run reported as drained.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storedCounts } from "./stored-counts";

jest.setTimeout(600000);

const REPO = join(__dirname, "..", "..", "..");

function waitForOutput(child: ChildProcess, output: () => string, pattern: RegExp, timeoutMs: number) {
  return new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (pattern.test(output())) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null || Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`no ${pattern} in the main job's output:\n${output().slice(-3000)}`));
      }
    }, 200);
    const deadline = Date.now() + timeoutMs;
  });
}

it("drains both subscriptions after Ctrl-C and stores every valid event published", async () => {
  const before = await storedCounts();
  const report = join(mkdtempSync(join(tmpdir(), "interrupt-")), "report.json");
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(REPO, "tools/local-pipeline/src/main.ts"),
      "--profile",
      "test",
      "--duration",
      "300",
      "--rate",
      "150",
      "--report",
      report,
    ],
    { cwd: REPO, env: process.env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    // Mid-stream: events are being published, stored, and some are still in flight.
    await waitForOutput(child, () => output, /published [1-9][\d,]{3,}/, 240000);
    process.kill(-(child.pid as number), "SIGINT"); // what a terminal's Ctrl-C does: the whole group
    const code = await exited;
    const summary = JSON.parse(readFileSync(report, "utf8"));
    expect({ code, drained: summary.drained, aggregatesRefreshed: summary.aggregatesRefreshed }).toEqual({
      code: 0,
      drained: true,
      aggregatesRefreshed: true,
    });
    expect(output).toMatch(/interrupted: stopping the producer/);
    const t = summary.totals;
    expect(t.published).toBeGreaterThan(1000);
    expect(t.published).toBeLessThan(300 * 150); // it really was interrupted
    const validDistinct = t.published - t.malformed - t.duplicates;
    // Every valid message acked by ingestion after a store write or a duplicate-key no-op...
    expect(t.rawStored + t.rawDuplicates).toBe(t.published - t.malformed);
    expect(t.deadLetteredIngestion).toBe(t.malformed);
    expect(t.deadLetteredAnalytics).toBe(t.malformed);
    // ...and the stores hold exactly this run's valid distinct events (a fresh seed: new event IDs).
    const after = await storedCounts();
    expect({ raw: after.raw - before.raw, warehouse: after.warehouse - before.warehouse }).toEqual({
      raw: validDistinct,
      warehouse: validDistinct,
    });
  } finally {
    if (child.exitCode === null) process.kill(-(child.pid as number), "SIGKILL");
  }
});
