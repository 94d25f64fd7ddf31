/**
 * The drain is decided by the stores, not by counters that redeliveries skew. runPipeline on the
 * test-profile stand-ins of jest's globalSetup; the analytics worker is SIGKILLed twice mid-stream, which
 * skews its counters both ways: messages it held come back to its next process (redelivered after the ack
 * deadline), acks it sent in its last moments may be lost (the message is delivered and acked again: counted
 * twice), and acks it made after its last metrics report are never counted at all. Every valid event
 * published must be stored in both stores once the drain ends, and the run must say it drained.
 */
import { runPipeline } from "../src/pipeline";
import { storedCounts } from "./stored-counts";

jest.setTimeout(600000);

it("stores every valid event in both stores after a drain that SIGKILLed workers' redeliveries skewed", async () => {
  const before = await storedCounts();
  const lines: string[] = [];
  let kills = 0;
  const summary = await runPipeline({
    durationS: 20,
    rate: 150,
    seed: 1 + (Date.now() % 1_000_000_000),
    faults: "default",
    profile: "test",
    fresh: false,
    progressEveryMs: 2000,
    drainTimeoutMs: 120000,
    print: (line) => lines.push(line),
    onSample: (supervisor) => {
      // Mid-stream, while it holds messages: after 600 and after 1,800 acks (the producer runs ~20 s).
      const acked = supervisor.counters("analytics").acked ?? 0;
      if (kills < 2 && supervisor.isRunning("analytics") && acked > 600 * (1 + 2 * kills)) {
        supervisor.kill("analytics", "SIGKILL");
        kills++;
      }
    },
  });
  const t = summary.totals;
  const validDistinct = t.published - t.malformed - t.duplicates;
  const after = await storedCounts();
  expect({ kills, restarts: t.restarts }).toEqual({ kills: 2, restarts: 2 });
  const actual = {
    drained: summary.drained,
    aggregatesRefreshed: summary.aggregatesRefreshed,
    raw: after.raw - before.raw,
    warehouse: after.warehouse - before.warehouse,
  };
  const expected = { drained: true, aggregatesRefreshed: true, raw: validDistinct, warehouse: validDistinct };
  // On a mismatch, the run's last lines say where the drain ended.
  const ok = JSON.stringify(actual) === JSON.stringify(expected);
  expect({ ...actual, output: ok ? "" : lines.slice(-40).join("\n") }).toEqual({ ...expected, output: "" });
});
