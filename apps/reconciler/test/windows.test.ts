import { alignDown, validatePlan, type WindowPlan, windowsToReconcile } from "../src/windows";

const MIN = 60_000;
const plan: WindowPlan = {
  windowMs: 5 * MIN,
  settleMs: 15 * MIN,
  maxWindows: 100,
  initialLookbackMs: 60 * MIN,
};
const at = (iso: string) => Date.parse(iso);
const starts = (ws: { startMs: number }[]) => ws.map((w) => new Date(w.startMs).toISOString().slice(11, 16));

describe("windowsToReconcile", () => {
  it("returns only windows that ended at least the settle delay ago, after the watermark, oldest first", () => {
    const now = at("2026-11-30T12:00:30Z"); // settled up to 11:45:30 -> windows ending by 11:45
    const windows = windowsToReconcile(now, at("2026-11-30T11:30:00Z"), plan);
    expect(starts(windows)).toEqual(["11:30", "11:35", "11:40"]);
    expect(windows.at(-1)?.endMs).toBe(at("2026-11-30T11:45:00Z"));
  });

  it("is idempotent: the same watermark and clock give the same windows; the next watermark continues", () => {
    const now = at("2026-11-30T12:00:30Z");
    const first = windowsToReconcile(now, at("2026-11-30T11:30:00Z"), plan);
    expect(windowsToReconcile(now, at("2026-11-30T11:30:00Z"), plan)).toEqual(first);
    expect(windowsToReconcile(now, first.at(-1)?.endMs ?? null, plan)).toEqual([]);
  });

  it("starts a deployment's first run one lookback before the settled edge", () => {
    const windows = windowsToReconcile(at("2026-11-30T12:00:30Z"), null, plan);
    expect(windows).toHaveLength(12);
    expect(starts(windows)[0]).toBe("10:45");
  });

  it("bounds a catch-up run; the next run resumes where it stopped", () => {
    const now = at("2026-11-30T12:00:00Z");
    const bounded = { ...plan, maxWindows: 4 };
    const first = windowsToReconcile(now, at("2026-11-30T09:00:00Z"), bounded);
    expect(starts(first)).toEqual(["09:00", "09:05", "09:10", "09:15"]);
    expect(starts(windowsToReconcile(now, first.at(-1)?.endMs ?? null, bounded))[0]).toBe("09:20");
  });

  it("returns nothing when the clock is behind the watermark", () => {
    expect(windowsToReconcile(at("2026-11-30T12:00:00Z"), at("2026-11-30T13:00:00Z"), plan)).toEqual([]);
  });

  it("refuses a watermark that is not on a window boundary (the window length changed)", () => {
    expect(() => windowsToReconcile(at("2026-11-30T12:00:00Z"), at("2026-11-30T11:32:00Z"), plan)).toThrow(
      /not aligned on 5-minute windows/,
    );
  });

  it("refuses plans that cannot tile a day or have no window per run", () => {
    expect(() => validatePlan({ ...plan, windowMs: 7 * MIN })).toThrow(/dividing a day/);
    expect(() => validatePlan({ ...plan, maxWindows: 0 })).toThrow(/positive integer/);
    expect(() => validatePlan({ ...plan, settleMs: -1 })).toThrow(/negative/);
  });

  it("aligns on UTC multiples of the window", () => {
    expect(alignDown(at("2026-11-30T11:34:59.999Z"), 5 * MIN)).toBe(at("2026-11-30T11:30:00Z"));
  });
});
