/**
 * The SLO arithmetic (slo-generator's definitions):
 *   SLI = good / total;  burn rate = (1 - SLI) / (1 - goal);  budget remaining = 1 - burn rate over the
 *   rolling period (1 = untouched, 0 = spent, negative = overspent).
 */

/** good / total, or null when there were no events (no data is not "perfect"). */
export function sli(good: number, total: number): number | null {
  if (!Number.isFinite(good) || !Number.isFinite(total) || good < 0 || !(total > 0)) return null;
  return Math.min(1, Math.max(0, good / total));
}

/** How many times faster than sustainable the budget burns; null without data. */
export function burnRate(sliValue: number | null, goal: number): number | null {
  if (sliValue === null || !Number.isFinite(sliValue)) return null;
  return (1 - sliValue) / (1 - goal);
}

/** Share of the rolling period's error budget still available (can be negative). */
export function budgetRemaining(periodSli: number | null, goal: number): number | null {
  const rate = burnRate(periodSli, goal);
  return rate === null ? null : 1 - rate;
}

/**
 * Per-minute good/total counts, keyed by the minute's end (epoch ms, multiple of 60 000). `incomplete`
 * marks a minute with traffic (total) whose good series is missing: no data for the SLO itself, but
 * traffic without data for a composite.
 */
export type MinuteCounts = Map<number, { good: number; total: number; incomplete?: boolean }>;

/** A minute's counts are usable: finite, non-negative, good <= total. */
export const validCounts = (c: { good: number; total: number; incomplete?: boolean }): boolean =>
  !c.incomplete &&
  Number.isFinite(c.good) &&
  Number.isFinite(c.total) &&
  c.good >= 0 &&
  c.total >= 0 &&
  c.good <= c.total;

/**
 * Sums of good and total over the minutes ending in (endMs - seconds, endMs]. A minute with NaN, infinite
 * or negative counts (or more good than total) is left out and counted in `invalid`: it must never make a
 * window look better than it is.
 */
export function windowCounts(
  minutes: MinuteCounts,
  endMs: number,
  seconds: number,
): { good: number; total: number; minutes: number; invalid: number } {
  const startMs = endMs - seconds * 1000;
  let good = 0;
  let total = 0;
  let count = 0;
  let invalid = 0;
  for (const [at, c] of minutes) {
    if (at > startMs && at <= endMs) {
      if (c.incomplete) continue;
      if (!validCounts(c)) {
        invalid++;
        continue;
      }
      good += c.good;
      total += c.total;
      if (c.total > 0) count++;
    }
  }
  return { good, total, minutes: count, invalid };
}
