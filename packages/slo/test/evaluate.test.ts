import { auditCatalog, compositeMinutes, evaluateCatalog, type MinuteCounts } from "../src";
import { fixtureCatalog, minutesOf } from "./helpers";

const catalog = fixtureCatalog();
const MONTH = 30 * 1440;

/** A month of data: success `bad(ago)` failures per 1000 events a minute; latency and connections good. */
function month(bad: (ago: number) => number, extra: Partial<Record<string, MinuteCounts>> = {}) {
  return new Map<string, MinuteCounts>(
    Object.entries({
      "processing-success": minutesOf(MONTH, (ago) => ({ good: 1000 - bad(ago), total: 1000 })),
      "processing-latency": minutesOf(MONTH, () => ({ good: 1, total: 1 })),
      "mongodb-connections": minutesOf(MONTH, () => ({ good: 1, total: 1 })),
      ...extra,
    }) as [string, MinuteCounts][],
  );
}
const END = Date.UTC(2025, 0, 31, 12, 0, 0);
const evalOf = (data: Map<string, MinuteCounts>, name: string) =>
  evaluateCatalog(catalog, data, END).evaluations.find((e) => e.slo.name === name)!;

describe("gate scoring", () => {
  test("pass: no errors, full budget", () => {
    const report = evaluateCatalog(
      catalog,
      month(() => 0),
      END,
    );
    expect(report.score).toBe("pass");
    for (const e of report.evaluations) {
      expect(e.budgetRemaining).toBeCloseTo(1);
      expect(e.coverage).toBeCloseTo(1);
    }
  });

  test("warn: a slow burn (2x over 3 days) fires the ticket rule only", () => {
    const e = evalOf(
      month((ago) => (ago < 3 * 1440 ? 2 : 0)),
      "processing-success",
    );
    expect(e.alerts.map((a) => [a.alert.name, a.firing])).toEqual([
      ["fast-burn", false],
      ["medium-burn", false],
      ["slow-burn", true],
    ]);
    expect(e.budgetRemaining).toBeCloseTo(0.8);
    expect(e.score).toBe("warn");
    expect(e.reasons.join()).toMatch(/slow-burn: burning 2\.0x over 3d and 2\.0x over 6h/);
  });

  test("fail: a fast burn (20x over the last hour) fires a page rule", () => {
    const e = evalOf(
      month((ago) => (ago < 60 ? 20 : 0)),
      "processing-success",
    );
    expect(e.alerts.find((a) => a.alert.name === "fast-burn")?.firing).toBe(true);
    expect(e.score).toBe("fail");
  });

  test("a spike that has stopped (long window burning, short window clean) does not fire", () => {
    const e = evalOf(
      month((ago) => (ago >= 10 && ago < 60 ? 30 : 0)),
      "processing-success",
    );
    const fast = e.alerts.find((a) => a.alert.name === "fast-burn")!;
    expect(fast.long.burnRate).toBeGreaterThan(14.4);
    expect(fast.short.burnRate).toBe(0);
    expect(fast.firing).toBe(false);
  });

  test("fail: budget exhausted even without a current burn", () => {
    const e = evalOf(
      month((ago) => (ago > 10 * 1440 && ago < 20 * 1440 ? 4 : 0)),
      "processing-success",
    );
    expect(e.budgetRemaining).toBeLessThan(0);
    expect(e.alerts.every((a) => !a.firing)).toBe(true);
    expect(e.score).toBe("fail");
    expect(e.reasons[0]).toMatch(/error budget exhausted/);
  });

  test("never measured: each SLO's declared policy (exclude and show, or fail)", () => {
    // the source's release has been live a day: its writers had time to deliver (neverMeasuredFails)
    const report = evaluateCatalog(catalog, new Map(), END, { deployedAtMs: END - 86_400_000 });
    expect(report.evaluations.map((e) => [e.slo.name, e.status, e.score, e.counted])).toEqual([
      ["mongodb-connections", "not-measured", "pass", false],
      ["overall-availability", "not-measured", "fail", true],
      ["processing-latency", "not-measured", "fail", true],
      ["processing-success", "not-measured", "fail", true],
    ]);
    expect(report.evaluations[0]?.reasons[0]).toMatch(/NOT MEASURED: no data over 30d; not scored/);
    expect(report.score).toBe("fail");
  });
});

describe("composite availability", () => {
  test("a minute is good only when every component is up in it; traffic without data is down", () => {
    const overall = catalog.slos.find((s) => s.name === "overall-availability")!;
    // minute 5: 10% failed (down, under 95%); minute 6: 4% failed (up); minute 7: every event late;
    // minute 8: events published but no latency data at all (silent pipeline: down); minute 9: nothing
    // published and nothing stored (no traffic: not counted)
    const latency = minutesOf(MONTH, (ago) => ({ good: ago === 7 ? 0 : 1000, total: 1000 }));
    latency.delete(END - 8 * 60_000);
    latency.delete(END - 9 * 60_000);
    const data = month((ago) => (ago === 5 ? 100 : ago === 6 ? 40 : 0), { "processing-latency": latency });
    data.get("processing-success")?.delete(END - 9 * 60_000);
    const minutes = compositeMinutes(overall, data, catalog);
    const bad = [...minutes.entries()].filter(([, c]) => c.good === 0).map(([at]) => (END - at) / 60000);
    expect(bad.sort()).toEqual([5, 7, 8]);
    expect(minutes.has(END - 9 * 60_000)).toBe(false);
  });
});

describe("audit", () => {
  test("too loose, too tight, ok and no data, with trends", () => {
    const data = month((ago) => (ago > 10 * 1440 && ago < 20 * 1440 ? 4 : 0));
    data.set(
      "processing-latency",
      minutesOf(MONTH, (ago) => ({ good: ago % 25 === 0 ? 0 : 1, total: 1 })),
    );
    data.delete("mongodb-connections");
    const audit = auditCatalog(catalog, data, END);
    const by = Object.fromEntries(audit.findings.map((f) => [f.evaluation.slo.name, f]));
    expect(by["processing-success"]?.verdict).toBe("too-tight");
    expect(by["processing-success"]?.suggestedGoal).toBeLessThan(0.999);
    expect(by["processing-latency"]?.verdict).toBe("ok");
    expect(by["mongodb-connections"]?.verdict).toBe("no-data");
    // latency: 4% bad minutes, within its 5% budget, and so is availability (goal 95%, consistent with it)
    expect(by["overall-availability"]?.verdict).toBe("ok");
    const clean = auditCatalog(
      catalog,
      month(() => 0),
      END,
    );
    const latency = clean.findings.find((f) => f.evaluation.slo.name === "processing-latency")!;
    expect(latency.verdict).toBe("too-loose");
    // one clean month moves 0.95 by at most one nine (audit.maxTighteningFactor 10), not to 0.9999
    expect(latency.suggestedGoal).toBe(0.995);
    expect(latency.suggestedGoal).toBeGreaterThan(latency.evaluation.slo.goal);
  });

  test("burn trend compares this trend window with the previous one", () => {
    const rising = auditCatalog(
      catalog,
      month((ago) => (ago < 7 * 1440 ? 1 : 0)),
      END,
    );
    const f = rising.findings.find((x) => x.evaluation.slo.name === "processing-success")!;
    expect(f.trend).toMatchObject({ window: "7d", previous: 0, direction: "rising" });
    expect(f.trend.current).toBeCloseTo(1);
  });
});
