/**
 * The drain is decided by the stores, not by counters that redeliveries inflate. runPipeline on the
 * test-profile stand-ins of jest's globalSetup; mid-stream the analytics worker is frozen (SIGSTOP) for
 * longer than any lease it holds (the subscription's ack deadline is 60 s and a frozen client extends
 * nothing), so Pub/Sub redelivers what it held while the producer keeps publishing. When it thaws
 * (SIGCONT) it finishes the original deliveries and the redelivered copies: both are acked, so its `acked`
 * counts those messages twice and published - acked reaches zero while messages still wait in the
 * subscription. Every valid event published must be stored in both stores once the drain ends.
 * (SIGKILL is not used: the emulator never redelivers some messages of a subscriber killed mid-write,
 * docs/testing.md "Pub/Sub emulator strands messages".)
 */
import { runPipeline } from "../src/pipeline";
import { storedCounts } from "./stored-counts";

jest.setTimeout(600000);

/** Longer than the 60 s ack deadline (packages/platform), so every lease the frozen worker holds expires. */
const FREEZE_MS = 75000;

it("stores every valid event in both stores after a drain whose counters redeliveries inflated", async () => {
  const before = await storedCounts();
  const lines: string[] = [];
  let frozen = false;
  let thawed = false;
  const summary = await runPipeline({
    durationS: 30,
    rate: 150,
    seed: 1 + (Date.now() % 1_000_000_000),
    faults: "default",
    profile: "test",
    fresh: false,
    progressEveryMs: 2000,
    drainTimeoutMs: 120000,
    print: (line) => lines.push(line),
    onSample: (supervisor) => {
      // Mid-stream, once analytics has acked some: frozen while holding messages, the producer still going.
      if (frozen || (supervisor.counters("analytics").acked ?? 0) < 1000) return;
      frozen = true;
      supervisor.kill("analytics", "SIGSTOP");
      setTimeout(() => {
        supervisor.kill("analytics", "SIGCONT");
        thawed = true;
      }, FREEZE_MS);
    },
  });
  const t = summary.totals;
  const validDistinct = t.published - t.malformed - t.duplicates;
  const after = await storedCounts();
  expect({ frozen, thawed, restarts: t.restarts }).toEqual({ frozen: true, thawed: true, restarts: 0 });
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
