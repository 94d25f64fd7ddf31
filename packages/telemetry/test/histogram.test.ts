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

describe("LatencyHistogram.shareWithinSloBound (the local latency SLI)", () => {
  it("applies the cloud's distribution_cut rule exactly: 9.999 s is good, 10.000 s is bad", () => {
    const histogram = new LatencyHistogram();
    histogram.record(9_999);
    histogram.record(10_000);
    histogram.record(10_150); // inside the log bucket that holds 10 s: the old SLI counted it as good
    expect(histogram.shareWithinSloBound(10)).toBeCloseTo(1 / 3, 12);
    expect(histogram.shareWithinSloBound(20)).toBe(1);
    // the exact counts survive the IPC snapshot and merging across processes and restarts
    const merged = LatencyHistogram.from([histogram.snapshot(), histogram.snapshot()]);
    expect(merged.shareWithinSloBound(10)).toBeCloseTo(1 / 3, 12);
    expect(new LatencyHistogram().shareWithinSloBound(10)).toBeNaN();
  });

  it("refuses a bound that is not one of the distribution's bucket bounds", () => {
    expect(() => new LatencyHistogram().shareWithinSloBound(7)).toThrow(/not a bucket bound.*10, 20/);
  });
});
