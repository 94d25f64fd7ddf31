/**
 * The drain after the producer stops: keep the workers consuming until every published message is settled,
 * with progress, unless a second Ctrl-C asks to stop now or the drain stops making progress. The local
 * Pub/Sub emulator keeps messages only in memory, so whatever is still in a subscription (or leased by a
 * worker) when the stand-ins stop is lost: the outcome says exactly how much.
 *
 * "Empty" is decided in three steps, because the workers' counters alone cannot tell: `acked` counts
 * Pub/Sub redeliveries too (a message whose lease expired is delivered and acked again), so published minus
 * acked reaches zero while messages still wait in a subscription; and a SIGKILLed worker's last acks may
 * never reach its counters, so published minus acked can also stay above zero for good.
 *  1. the counters' backlog (published - acked) reaches zero, or stops moving: the cheap signal, shown while
 *     draining, that says when to ask the stores;
 *  2. no worker holds a message (received, not yet acked or nacked): a worker is never stopped with work in
 *     hand;
 *  3. the ground truth confirms it: every message published is stored or dead-lettered, counted in the
 *     stores themselves (distinct events, distinct dead letters), which redeliveries cannot inflate. This
 *     decides: the counters only say when to ask.
 */

export interface Backlog {
  ingestion: number;
  analytics: number;
}

export type DrainOutcome =
  | { drained: true }
  | { drained: false; reason: "forced" | "stalled"; abandoned: Backlog };

export interface DrainOptions {
  /** Messages published but not yet acked, per subscription (from the stages' counters; redeliveries inflate acked). */
  backlog: () => Backlog;
  /** Messages each worker holds: received, not yet acked or nacked. Default: none. */
  held?: () => Backlog;
  /**
   * The ground truth, asked once `held` is zero and the counters' backlog is zero or has not moved for
   * `confirmWhenStillMs`: messages published but not yet stored or dead-lettered, per worker, counted in
   * the stores. Its answer decides. Default: the counters are trusted.
   */
  confirm?: () => Promise<Backlog>;
  /** How long a non-zero counters' backlog must stay unchanged before the stores are asked. Default 2000. */
  confirmWhenStillMs?: number;
  /** Aborted by the second Ctrl-C: stop at once. */
  force?: AbortSignal;
  /** Give up when nothing has shrunk for this long (a stuck stand-in), instead of waiting forever. */
  stallTimeoutMs: number;
  progressEveryMs: number;
  print: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  pollMs?: number;
}

const total = (b: Backlog) => b.ingestion + b.analytics;
const NONE: Backlog = { ingestion: 0, analytics: 0 };

export function describeBacklog(b: Backlog): string {
  return `${total(b).toLocaleString("en-US")} message(s) (ingestion ${b.ingestion.toLocaleString("en-US")}, analytics ${b.analytics.toLocaleString("en-US")})`;
}

/** Which of the three measures says the drain is not over, and by how much. */
type Remaining =
  | { kind: "backlog"; left: Backlog }
  | { kind: "held"; left: Backlog }
  | { kind: "unconfirmed"; left: Backlog }
  | { kind: "none" };

function progressText(remaining: Exclude<Remaining, { kind: "none" }>): string {
  const left = describeBacklog(remaining.left);
  if (remaining.kind === "backlog") return `draining: ${left} left`;
  if (remaining.kind === "held") return `draining: ${left} still held by the workers`;
  return `draining: ${left} published but not yet stored or dead-lettered (the stores' count; redeliveries were counted as acks)`;
}

/** The smallest value each measure has reached: shrinking any of them is progress. */
class ProgressTracker {
  private readonly smallest = new Map<Remaining["kind"], number>();

  /** True when `remaining` is smaller than its measure has been so far (reaching a later step is progress). */
  record(remaining: Remaining): boolean {
    if (remaining.kind === "none") return true;
    const value = total(remaining.left);
    const before = this.smallest.get(remaining.kind);
    if (before !== undefined && value >= before) return false;
    this.smallest.set(remaining.kind, value);
    return true;
  }
}

export async function drainBacklogs(options: DrainOptions): Promise<DrainOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 250;
  const confirmWhenStillMs = options.confirmWhenStillMs ?? 2000;
  let previous: Backlog | undefined;
  let changedAt = now();
  const measure = async (): Promise<Remaining> => {
    const backlog = options.backlog();
    if (previous?.ingestion !== backlog.ingestion || previous?.analytics !== backlog.analytics) {
      previous = backlog;
      changedAt = now();
    }
    const still = now() - changedAt >= confirmWhenStillMs;
    if (total(backlog) > 0 && !(options.confirm && still)) return { kind: "backlog", left: backlog };
    const held = options.held?.() ?? NONE;
    if (total(held) > 0) return { kind: "held", left: held };
    const unconfirmed = options.confirm ? await options.confirm() : NONE;
    if (total(unconfirmed) > 0) return { kind: "unconfirmed", left: unconfirmed };
    return { kind: "none" };
  };
  const progress = new ProgressTracker();
  let remaining = await measure();
  progress.record(remaining);
  let lastProgress = now();
  let lastPrint = now();
  if (remaining.kind !== "none") {
    options.print(
      `draining ${describeBacklog(remaining.left)}; Ctrl-C again stops now and abandons what is left`,
    );
  }
  while (remaining.kind !== "none") {
    if (options.force?.aborted) return { drained: false, reason: "forced", abandoned: remaining.left };
    if (now() - lastProgress > options.stallTimeoutMs) {
      return { drained: false, reason: "stalled", abandoned: remaining.left };
    }
    await sleep(pollMs);
    remaining = await measure();
    if (progress.record(remaining)) lastProgress = now();
    if (now() - lastPrint >= options.progressEveryMs && remaining.kind !== "none") {
      options.print(progressText(remaining));
      lastPrint = now();
    }
  }
  return { drained: true };
}
