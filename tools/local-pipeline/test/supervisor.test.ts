/**
 * The supervisor with real child processes (test/fixtures/stage.ts stands in for a worker): a worker that
 * dies is restarted and its counters and latencies survive the restart; the producer is not restarted;
 * stop() drains with SIGTERM and falls back to SIGKILL; a stopped worker is not restarted. No timing is
 * asserted: every wait is for an event, bounded only by jest's timeout.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChildSpec, Supervisor } from "../src/supervisor";

jest.setTimeout(60_000);

const STAGE = join(__dirname, "fixtures", "stage.ts");
const logDir = mkdtempSync(join(tmpdir(), "supervisor-test-"));

const spec = (name: string, env: Record<string, string>, restart = true): ChildSpec => ({
  name,
  script: STAGE,
  env: { ...process.env, ...env },
  restart,
  logFile: join(logDir, `${name}.log`),
});

/** Resolves once `condition` holds (checked every 20 ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

let supervisor: Supervisor;
let events: string[];
beforeEach(() => {
  events = [];
  supervisor = new Supervisor((line) => events.push(line), 10);
});
afterEach(() => supervisor.killAllNow());

test("a worker killed mid-run is restarted, and its totals survive the restart", async () => {
  supervisor.start(spec("ingestion", { STORED: "5", LATENCY_MS: "40" }));
  await until(() => supervisor.counters("ingestion").stored === 5);
  const firstPid = supervisor.snapshot("ingestion")?.pid;

  supervisor.kill("ingestion", "SIGKILL");
  await until(() => supervisor.restarts("ingestion") === 1);
  await until(() => supervisor.snapshot("ingestion")?.pid !== firstPid);

  expect(events).toEqual([
    expect.stringMatching(/^ingestion exited \(SIGKILL\); restarting \(see .*ingestion\.log\)$/),
  ]);
  // 5 from the incarnation that was killed + 5 from the new one
  await until(() => supervisor.counters("ingestion").stored === 10);
  expect(supervisor.latency("ingestion").count).toBe(2);
  expect(supervisor.isRunning("ingestion")).toBe(true);
  expect(await supervisor.stop("ingestion")).toBe(0);
});

test("the producer is not restarted: its exit code is its result", async () => {
  supervisor.start(spec("producer", { STORED: "0", EXIT_CODE: "3" }, false));
  expect(await supervisor.waitForExit("producer")).toBe(3);
  expect(supervisor.restarts("producer")).toBe(0);
  expect(supervisor.isRunning("producer")).toBe(false);
  expect(events).toEqual([]);
});

test("stop() drains with SIGTERM (exit 0), and a worker stopped on purpose is not restarted", async () => {
  supervisor.start(spec("analytics", { STORED: "7" }));
  await until(() => supervisor.snapshot("analytics") !== undefined);
  expect(await supervisor.stop("analytics")).toBe(0);
  expect(supervisor.isRunning("analytics")).toBe(false);
  expect(supervisor.restarts("analytics")).toBe(0);
  expect(events).toEqual([]);
  expect(supervisor.counters("analytics").stored).toBe(7);
});

test("a worker that ignores SIGTERM is killed once the grace period ends", async () => {
  supervisor.start(spec("stuck", { IGNORE_SIGTERM: "1" }));
  await until(() => supervisor.snapshot("stuck") !== undefined);
  const codes = await supervisor.stopAll(100);
  expect(codes).toEqual({ stuck: null }); // killed by a signal, not exited
  expect(supervisor.restarts("stuck")).toBe(0);
});
