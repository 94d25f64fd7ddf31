import { budgetRemaining, burnRate, sli, windowCounts } from "../src";
import { END, MINUTE, minutesOf } from "./helpers";

describe("SLO math", () => {
  test("SLI = good / total, null without events, clamped to [0, 1]", () => {
    expect(sli(999, 1000)).toBeCloseTo(0.999);
    expect(sli(0, 0)).toBeNull();
    expect(sli(12, 10)).toBe(1);
  });

  test("burn rate = (1 - SLI) / (1 - goal)", () => {
    expect(burnRate(0.999, 0.999)).toBeCloseTo(1);
    expect(burnRate(0.9856, 0.999)).toBeCloseTo(14.4);
    expect(burnRate(1, 0.999)).toBe(0);
    expect(burnRate(null, 0.999)).toBeNull();
  });

  test("budget remaining = 1 - burn rate over the rolling period", () => {
    expect(budgetRemaining(0.9995, 0.999)).toBeCloseTo(0.5);
    expect(budgetRemaining(0.998, 0.999)).toBeCloseTo(-1);
    expect(budgetRemaining(null, 0.999)).toBeNull();
  });

  test("windows sum the minutes ending in (end - window, end]", () => {
    const minutes = minutesOf(10, (ago) => ({ good: ago, total: 10 }));
    expect(windowCounts(minutes, END, 300)).toEqual({
      good: 0 + 1 + 2 + 3 + 4,
      total: 50,
      minutes: 5,
      invalid: 0,
    });
    expect(windowCounts(minutes, END - 5 * MINUTE, 300)).toEqual({
      good: 5 + 6 + 7 + 8 + 9,
      total: 50,
      minutes: 5,
      invalid: 0,
    });
  });
});
