import { type Backlog, drainBacklogs } from "../src/drain";

/**
 * A fake clock and a scripted backlog: each poll advances the clock by pollMs and reads the next value.
 * `held` and `unconfirmed` (the ground truth) are scripted the same way, poll by poll, when given.
 */
function script(
  values: Backlog[],
  options: {
    force?: AbortController;
    forceAtPoll?: number;
    held?: Backlog[];
    unconfirmed?: Backlog[];
    confirmWhenStillMs?: number;
  } = {},
) {
  let clock = 0;
  let polls = 0;
  const lines: string[] = [];
  const at = (list: Backlog[]) => list[Math.min(polls, list.length - 1)] as Backlog;
  const confirmedAt: number[] = [];
  const { held, unconfirmed } = options;
  const run = drainBacklogs({
    backlog: () => at(values),
    ...(held ? { held: () => at(held) } : {}),
    ...(unconfirmed
      ? {
          confirm: async () => {
            confirmedAt.push(polls);
            return at(unconfirmed);
          },
        }
      : {}),
    ...(options.force ? { force: options.force.signal } : {}),
    ...(options.confirmWhenStillMs ? { confirmWhenStillMs: options.confirmWhenStillMs } : {}),
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
  return { run, lines, polls: () => polls, confirmedAt };
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

  describe("when redeliveries inflate the counters (acked counts a redelivered message twice)", () => {
    it("does not stop while the stores miss messages the counters call acked, and says so", async () => {
      // The counters reach zero at poll 1, but the stores still miss 40, then 10, then nothing: the messages
      // are still in the subscriptions (the analytics13 bench: 49,037 stored of 59,101 published).
      const { run, lines, polls, confirmedAt } = script([b(30, 30), b(0, 0)], {
        unconfirmed: [b(0, 40), b(0, 40), b(0, 10), b(0, 10), b(0, 0)],
      });
      await expect(run).resolves.toEqual({ drained: true });
      expect(polls()).toBe(4);
      expect(confirmedAt).toEqual([1, 2, 3, 4]); // asked only once the counters were zero
      expect(lines).toContain(
        "draining: 10 message(s) (ingestion 0, analytics 10) published but not yet stored or dead-lettered (the stores' count; redeliveries were counted as acks)",
      );
    });

    it("never stops a worker that still holds messages", async () => {
      const { run, polls, confirmedAt } = script([b(0, 0)], {
        held: [b(500, 4000), b(0, 4000), b(0, 1500), b(0, 0)],
        unconfirmed: [b(0, 0)],
      });
      await expect(run).resolves.toEqual({ drained: true });
      expect(polls()).toBe(3);
      expect(confirmedAt).toEqual([3]);
    });

    it("gives up on a ground truth that stops moving, abandoning what the stores miss", async () => {
      const { run } = script([b(0, 0)], { unconfirmed: [b(3, 7), b(2, 7), b(2, 7)] });
      await expect(run).resolves.toEqual({ drained: false, reason: "stalled", abandoned: b(2, 7) });
    });

    it("moving on from the counters to the ground truth is progress, not a stall", async () => {
      // The counters reach 0 at poll 4 (t = 1 s), when the stores still miss 8; the stores' count shrinks
      // next at poll 9 (t = 2.25 s): within the 1 s stall timeout of the switch, not of the last counter change.
      const { run } = script([b(4, 0), b(3, 0), b(2, 0), b(1, 0), b(0, 0)], {
        unconfirmed: [
          b(9, 0),
          b(9, 0),
          b(9, 0),
          b(9, 0),
          b(8, 0),
          b(8, 0),
          b(8, 0),
          b(8, 0),
          b(8, 0),
          b(7, 0),
          b(0, 0),
        ],
      });
      await expect(run).resolves.toEqual({ drained: true });
    });

    it("asks the stores when the counters stop moving above zero (a killed worker's last acks never counted)", async () => {
      const { run, confirmedAt } = script([b(100, 0), b(5, 0)], {
        unconfirmed: [b(0, 0)],
        confirmWhenStillMs: 500,
      });
      await expect(run).resolves.toEqual({ drained: true });
      // unchanged since poll 1 (t = 250 ms): still for 500 ms at poll 3
      expect(confirmedAt).toEqual([3]);
    });
  });
});
