/**
 * The drain after the producer stops: keep the workers consuming until both subscriptions' backlogs are
 * empty, with progress, unless a second Ctrl-C asks to stop now or the backlog stops shrinking. The local
 * Pub/Sub emulator keeps messages only in memory, so whatever is still in a subscription when the stand-ins
 * stop is lost: the outcome says exactly how much.
 */

export interface Backlog {
  ingestion: number;
  analytics: number;
}

export type DrainOutcome =
  | { drained: true }
  | { drained: false; reason: "forced" | "stalled"; abandoned: Backlog };

export interface DrainOptions {
  /** Messages published but not yet acked, per subscription (from the stages' counters). */
  backlog: () => Backlog;
  /** Aborted by the second Ctrl-C: stop at once. */
  force?: AbortSignal;
  /** Give up when the backlog has not shrunk for this long (a stuck stand-in), instead of waiting forever. */
  stallTimeoutMs: number;
  progressEveryMs: number;
  print: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  pollMs?: number;
}

const total = (b: Backlog) => b.ingestion + b.analytics;

export function describeBacklog(b: Backlog): string {
  return `${total(b).toLocaleString("en-US")} message(s) (ingestion ${b.ingestion.toLocaleString("en-US")}, analytics ${b.analytics.toLocaleString("en-US")})`;
}

export async function drainBacklogs(options: DrainOptions): Promise<DrainOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 250;
  let backlog = options.backlog();
  let smallest = total(backlog);
  let lastProgress = now();
  let lastPrint = now();
  if (smallest > 0) {
    options.print(`draining ${describeBacklog(backlog)}; Ctrl-C again stops now and abandons what is left`);
  }
  while (total(backlog) > 0) {
    if (options.force?.aborted) return { drained: false, reason: "forced", abandoned: backlog };
    if (now() - lastProgress > options.stallTimeoutMs) {
      return { drained: false, reason: "stalled", abandoned: backlog };
    }
    await sleep(pollMs);
    backlog = options.backlog();
    if (total(backlog) < smallest) {
      smallest = total(backlog);
      lastProgress = now();
    }
    if (now() - lastPrint >= options.progressEveryMs && total(backlog) > 0) {
      options.print(`draining: ${describeBacklog(backlog)} left`);
      lastPrint = now();
    }
  }
  return { drained: true };
}
