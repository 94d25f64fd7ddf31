/**
 * The SLO arithmetic (slo-generator's definitions):
 *   SLI = good / total;  burn rate = (1 - SLI) / (1 - goal);  budget remaining = 1 - burn rate over the
 *   rolling period (1 = untouched, 0 = spent, negative = overspent).
 */

/** good / total, or null when there were no events (no data is not "perfect"). */
export function sli(good: number, total: number): number | null {
  if (!(total > 0)) return null;
  return Math.min(1, Math.max(0, good / total));
}

/** How many times faster than sustainable the budget burns; null without data. */
export function burnRate(sliValue: number | null, goal: number): number | null {
  if (sliValue === null) return null;
  return (1 - sliValue) / (1 - goal);
}

/** Share of the rolling period's error budget still available (can be negative). */
export function budgetRemaining(periodSli: number | null, goal: number): number | null {
  const rate = burnRate(periodSli, goal);
  return rate === null ? null : 1 - rate;
}

/** Per-minute good/total counts, keyed by the minute's end (epoch ms, multiple of 60 000). */
export type MinuteCounts = Map<number, { good: number; total: number }>;

/** Sums of good and total over the minutes ending in (endMs - seconds, endMs]. */
export function windowCounts(
  minutes: MinuteCounts,
  endMs: number,
  seconds: number,
): { good: number; total: number; minutes: number } {
  const startMs = endMs - seconds * 1000;
  let good = 0;
  let total = 0;
  let count = 0;
  for (const [at, c] of minutes) {
    if (at > startMs && at <= endMs) {
      good += c.good;
      total += c.total;
      if (c.total > 0) count++;
    }
  }
  return { good, total, minutes: count };
}
