/**
 * The latency SLI's one definition, shared by the cloud exporter (apps/reconciler export-slis, from the
 * stores) and the local workers (from the records they just stored): processed_at - published_at.
 */

/**
 * How far the two stamps may disagree the wrong way (published after processed) and still count, as 0:
 * publisher and worker clocks are synchronised but on different machines. Beyond it the event is invalid
 * (a publisher clock running ahead): counted apart, never scored as fast.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 1000;

/**
 * The latency of one stored event in milliseconds, or why it has none: `unmeasured` (no published_at)
 * or `invalid` (a stamp that is not a finite time, or published more than the tolerance after processed).
 */
export function stampLatencyMs(
  publishedMs: number | null,
  processedMs: number,
): number | "unmeasured" | "invalid" {
  if (publishedMs === null) return "unmeasured";
  if (!Number.isFinite(publishedMs) || !Number.isFinite(processedMs)) return "invalid";
  const ms = processedMs - publishedMs;
  return ms < -CLOCK_SKEW_TOLERANCE_MS ? "invalid" : Math.max(0, ms);
}
