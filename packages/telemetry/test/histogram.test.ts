import { LatencyHistogram } from "../src";

describe("LatencyHistogram", () => {
  it("estimates percentiles within 3% of the exact values", () => {
    const histogram = new LatencyHistogram();
    const values: number[] = [];
    for (let i = 1; i <= 10000; i++) {
      const value = (i * 7919) % 5000;
      values.push(value);
      histogram.record(value);
    }
    values.sort((a, b) => a - b);
    for (const p of [50, 95, 99]) {
      const exact = values[Math.ceil((p / 100) * values.length) - 1] as number;
      expect(Math.abs(histogram.percentile(p) - exact) / exact).toBeLessThan(0.03);
    }
    expect(histogram.count).toBe(10000);
  });

  it("merges snapshots and computes the share under a threshold", () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 0; i < 90; i++) a.record(100);
    for (let i = 0; i < 10; i++) b.record(20000);
    const merged = LatencyHistogram.from([a.snapshot(), b.snapshot()]);
    expect(merged.count).toBe(100);
    expect(merged.fractionAtOrBelow(10000)).toBeCloseTo(0.9);
    expect(merged.percentile(99)).toBe(20000);
    expect(new LatencyHistogram().percentile(50)).toBeNaN();
  });
});
