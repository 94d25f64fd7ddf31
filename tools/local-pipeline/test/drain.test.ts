import { type Backlog, drainBacklogs } from "../src/drain";

/** A fake clock and a scripted backlog: each poll advances the clock by pollMs and reads the next value. */
function script(values: Backlog[], options: { force?: AbortController; forceAtPoll?: number } = {}) {
  let clock = 0;
  let polls = 0;
  const lines: string[] = [];
  const run = drainBacklogs({
    backlog: () => values[Math.min(polls, values.length - 1)] as Backlog,
    ...(options.force ? { force: options.force.signal } : {}),
    stallTimeoutMs: 1000,
    progressEveryMs: 500,
    pollMs: 250,
    print: (line) => lines.push(line),
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
      polls++;
      if (options.forceAtPoll === polls) options.force?.abort();
    },
  });
  return { run, lines, polls: () => polls };
}

const b = (ingestion: number, analytics: number): Backlog => ({ ingestion, analytics });

describe("drainBacklogs", () => {
  it("returns at once when nothing is left", async () => {
    const { run, lines, polls } = script([b(0, 0)]);
    await expect(run).resolves.toEqual({ drained: true });
    expect(polls()).toBe(0);
    expect(lines).toEqual([]);
  });

  it("waits until both backlogs are empty, with progress lines, however long that takes", async () => {
    // 40 polls of slow progress: 10 s, far beyond the stall timeout, but never stalled.
    const values: Backlog[] = [];
    for (let i = 40; i >= 0; i--) values.push(b(i, 2 * i));
    const { run, lines } = script(values);
    await expect(run).resolves.toEqual({ drained: true });
    expect(lines[0]).toBe(
      "draining 120 message(s) (ingestion 40, analytics 80); Ctrl-C again stops now and abandons what is left",
    );
    expect(lines.length).toBeGreaterThan(5);
    expect(
      lines
        .slice(1)
        .every((line) => /^draining: \d+ message\(s\) \(ingestion \d+, analytics \d+\) left$/.test(line)),
    ).toBe(true);
  });

  it("does not stop while one subscription is empty and the other is not", async () => {
    const { run } = script([b(0, 5), b(0, 3), b(0, 1), b(0, 0)]);
    await expect(run).resolves.toEqual({ drained: true });
  });

  it("stops at the second Ctrl-C and says what it abandons", async () => {
    const force = new AbortController();
    const { run } = script([b(50, 70), b(40, 60), b(30, 57)], { force, forceAtPoll: 2 });
    await expect(run).resolves.toEqual({ drained: false, reason: "forced", abandoned: b(30, 57) });
  });

  it("stops when already forced before it starts", async () => {
    const force = new AbortController();
    force.abort();
    const { run } = script([b(1, 2)], { force });
    await expect(run).resolves.toEqual({ drained: false, reason: "forced", abandoned: b(1, 2) });
  });

  it("gives up only when the backlog has not shrunk for the stall timeout", async () => {
    const { run, polls } = script([b(10, 10), b(9, 10), b(9, 10)]);
    await expect(run).resolves.toEqual({ drained: false, reason: "stalled", abandoned: b(9, 10) });
    // progress at poll 1 (t=250), then 1000 ms without: the 6th poll is the first past the timeout.
    expect(polls()).toBe(6);
  });
});
