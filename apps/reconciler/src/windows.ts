/**
 * Window arithmetic of the reconciliation: fixed, aligned windows of event time, reconciled only once
 * closed and settled (so in-flight and redelivered events have landed in both stores), oldest first,
 * resuming after the persisted watermark.
 */

/** One window [startMs, endMs) of event time. */
export interface Window {
  startMs: number;
  endMs: number;
}

export interface WindowPlan {
  /** Window length; windows are aligned on multiples of it since the epoch (UTC). */
  windowMs: number;
  /** How long after its end a window is considered settled. */
  settleMs: number;
  /** Windows reconciled per run at most (bounds a catch-up run; the next run continues). */
  maxWindows: number;
  /** How far back a run with no watermark starts (the first run of a deployment). */
  initialLookbackMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Describes a window for logs and errors. */
export function describeWindow(w: Window): string {
  return `[${iso(w.startMs)}, ${iso(w.endMs)})`;
}

/** Checks a plan once, with errors that say what to change. */
export function validatePlan(plan: WindowPlan): void {
  if (!Number.isInteger(plan.windowMs) || plan.windowMs < 60_000 || 86_400_000 % plan.windowMs !== 0)
    throw new Error(
      `window length must be a whole number of minutes dividing a day, got ${plan.windowMs} ms`,
    );
  if (plan.settleMs < 0) throw new Error(`settle delay must not be negative, got ${plan.settleMs} ms`);
  if (!Number.isInteger(plan.maxWindows) || plan.maxWindows < 1)
    throw new Error(`max windows per run must be a positive integer, got ${plan.maxWindows}`);
  if (plan.initialLookbackMs < plan.windowMs)
    throw new Error("the initial lookback must cover at least one window");
}

/** The start of the window containing `ms`. */
export function alignDown(ms: number, windowMs: number): number {
  return Math.floor(ms / windowMs) * windowMs;
}

/**
 * The windows to reconcile now: every closed window that ended at least `settleMs` before `nowMs`,
 * after `watermarkMs` (the end of the last reconciled window; null = never ran), oldest first, at most
 * `maxWindows`. Re-running with the same watermark yields the same windows (idempotent); a watermark in
 * the future (clock moved back) yields none.
 */
export function windowsToReconcile(nowMs: number, watermarkMs: number | null, plan: WindowPlan): Window[] {
  validatePlan(plan);
  const lastSettledEnd = alignDown(nowMs - plan.settleMs, plan.windowMs);
  const from =
    watermarkMs === null
      ? alignDown(nowMs - plan.settleMs - plan.initialLookbackMs, plan.windowMs)
      : watermarkMs;
  if (watermarkMs !== null && watermarkMs % plan.windowMs !== 0)
    throw new Error(
      `the stored watermark ${iso(watermarkMs)} is not aligned on ${plan.windowMs / 60000}-minute windows: ` +
        "the window length changed since the last run; reset the reconciliation state (docs/reconciliation.md)",
    );
  const windows: Window[] = [];
  for (let start = from; start + plan.windowMs <= lastSettledEnd && windows.length < plan.maxWindows; ) {
    windows.push({ startMs: start, endMs: start + plan.windowMs });
    start += plan.windowMs;
  }
  return windows;
}
