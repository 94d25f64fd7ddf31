/**
 * The gate's verdicts in the situations of issue 12, each with the verdict a platform engineer expects.
 * Every case failed (wrong verdict) on the code before the fix.
 */
import {
  attributeBudget,
  decideYoungHistory,
  evaluateCatalog,
  evaluateRelease,
  evaluateTargetBudget,
  type MinuteCounts,
} from "../src";
import { END, fixtureCatalog, MINUTE, minutesOf } from "./helpers";

const catalog = fixtureCatalog();
const MONTH = 30 * 1440;
const clean = (minutes = MONTH, perMinute = 1000) =>
  minutesOf(minutes, () => ({ good: perMinute, total: perMinute }));
const data = (entries: Record<string, MinuteCounts>) => new Map(Object.entries(entries));
const by = (report: ReturnType<typeof evaluateCatalog>, name: string) =>
  report.evaluations.find((e) => e.slo.name === name)!;

describe("1. missing data: decided per SLO", () => {
  test("prod gate: an exporter not yet deployed shows NOT MEASURED and does not block", () => {
    const report = evaluateCatalog(
      catalog,
      data({ "processing-success": clean(), "processing-latency": clean() }),
      END,
    );
    const connections = by(report, "mongodb-connections");
    expect(connections).toMatchObject({ status: "not-measured", counted: false });
    expect(connections.reasons[0]).toMatch(/NOT MEASURED/);
    // before: "warn" (missing data), which prod's fail-on-warn turned into a blocked promotion
    expect(report.score).toBe("pass");
  });

  test("dev -> staging: a pipeline that never carried traffic is not waved through", () => {
    // its release has been live for a day: long enough for every writer to have delivered
    const report = evaluateCatalog(catalog, data({ "mongodb-connections": clean(MONTH, 1) }), END, {
      deployedAtMs: END - 1440 * MINUTE,
    });
    expect(by(report, "processing-success")).toMatchObject({ status: "not-measured", score: "fail" });
    // before: "warn", which dev -> staging (no fail-on-warn) let through
    expect(report.score).toBe("fail");
  });
});

describe("1b. never measured, relative to the source's deploy", () => {
  const neverFailing = (r: ReturnType<typeof evaluateCatalog>) =>
    r.evaluations
      .filter((e) => e.slo.neverMeasured === "fail")
      .map((e) => [e.slo.name, e.status, e.score, e.counted]);

  test("a fresh fork's first promote dev -> dev (nothing deployed, no deploy marker) is not blocked", () => {
    const report = evaluateCatalog(catalog, new Map(), END, {});
    for (const [, status, score, counted] of neverFailing(report))
      expect([status, score, counted]).toEqual(["not-measured", "pass", false]);
    expect(by(report, "processing-latency").reasons[0]).toMatch(/NOT MEASURED.*no recorded release/);
    // before: fail (processing-success, processing-latency, overall-availability never measured)
    expect(report.score).toBe("pass");
  });

  test("the release that ships the latency exporter, 10 minutes after its deploy, reaches the next stage with a warning", () => {
    const report = evaluateCatalog(
      catalog,
      data({ "processing-success": clean(), "mongodb-connections": clean(MONTH, 1) }),
      END,
      { deployedAtMs: END - 10 * MINUTE },
    );
    expect(by(report, "processing-latency")).toMatchObject({
      status: "not-measured",
      counted: true,
      score: "warn",
    });
    expect(by(report, "processing-latency").reasons[0]).toMatch(
      /insufficient history: the source's release has been live 10m/,
    );
    // before: fail (processing-latency and overall-availability never measured). Warn, not pass: dev ->
    // staging goes on with the warning, prod's fail-on-warn waits for the first data.
    expect(report.score).toBe("warn");
  });

  test("a source with no data at all, 5 minutes after its deploy, does not pass (a young release vouches for nothing)", () => {
    const report = evaluateCatalog(catalog, data({}), END, { deployedAtMs: END - 5 * MINUTE });
    for (const name of ["processing-success", "processing-latency", "overall-availability"])
      expect(by(report, name)).toMatchObject({ status: "not-measured", score: "warn", counted: true });
    // before: pass (every SLO not measured and not scored)
    expect(report.score).toBe("warn");
  });

  test("a release live for a day with no latency data at all fails: its writer is broken", () => {
    const report = evaluateCatalog(
      catalog,
      data({ "processing-success": clean(), "mongodb-connections": clean(MONTH, 1) }),
      END,
      { deployedAtMs: END - 1440 * MINUTE },
    );
    expect(by(report, "processing-latency")).toMatchObject({
      status: "not-measured",
      score: "fail",
      counted: true,
    });
    expect(by(report, "processing-latency").reasons[0]).toMatch(/nothing arrived/);
    expect(report.score).toBe("fail");
  });
});

describe("3. NaN and negative counts", () => {
  test("a NaN good count in the newest minute during a 50x burn still fails", () => {
    // 5% of events failing for the last hour = 50x burn of a 99.9% objective
    const success = minutesOf(MONTH, (ago) =>
      ago < 64 ? { good: 950, total: 1000 } : { good: 1000, total: 1000 },
    );
    const newest = END - 4 * MINUTE; // the newest minute the gate sees (240 s visibility delay)
    success.set(newest, { good: Number.NaN, total: 1000 });
    const report = evaluateCatalog(
      catalog,
      data({ "processing-success": success, "processing-latency": clean() }),
      END,
    );
    const e = by(report, "processing-success");
    expect(e.alerts.find((a) => a.alert.name === "fast-burn")?.firing).toBe(true);
    expect(e.score).toBe("fail");
    expect(e.reasons.join()).toMatch(/1 minute\(s\) with NaN, infinite or negative counts left out/);
  });

  test("a negative count cannot make a window look healthy", () => {
    const success = minutesOf(MONTH, (ago) =>
      ago < 64 ? { good: 950, total: 1000 } : { good: 1000, total: 1000 },
    );
    success.set(END - 5 * MINUTE, { good: 5000, total: -1 });
    const e = by(
      evaluateCatalog(catalog, data({ "processing-success": success, "processing-latency": clean() }), END),
      "processing-success",
    );
    expect(e.score).toBe("fail");
  });
});

describe("4. coverage and volume", () => {
  test("two clean days of a 30-day objective: insufficient history, not pass", () => {
    const report = evaluateCatalog(
      catalog,
      data({ "processing-success": clean(2 * 1440), "processing-latency": clean(2 * 1440) }),
      END,
    );
    const e = by(report, "processing-success");
    expect(e.coverage).toBeCloseTo(0.066, 2);
    expect(e.status).toBe("insufficient-history");
    expect(e.score).toBe("warn");
    expect(e.reasons.join()).toMatch(/insufficient history: 6\.\d% of 30d observed/);
  });

  test("a month of history with long quiet periods is history, not insufficient (staging gets traffic one hour a day)", () => {
    // no traffic, no Pub/Sub points: 23 of 24 hours have no minute at all; 1.8 M clean events in 30 days
    const busyHour = (ago: number) => ago % 1440 < 60;
    const sparse = (minutes: MinuteCounts) => {
      for (const at of [...minutes.keys()]) if (!busyHour((END - at) / MINUTE)) minutes.delete(at);
      return minutes;
    };
    const report = evaluateCatalog(
      catalog,
      data({ "processing-success": sparse(clean()), "processing-latency": sparse(clean()) }),
      END,
    );
    const e = by(report, "processing-success");
    // before: 4.2% "coverage" (minutes with traffic) -> insufficient history -> warn, which prod's
    // fail-on-warn turns into a promotion blocked for as long as staging stays quiet (forever)
    expect(e.status).toBe("measured");
    expect(e.score).toBe("pass");
  });

  test("one event a minute: a single failure is not a page-level burn", () => {
    const success = minutesOf(MONTH, (ago) => ({ good: ago === 6 ? 0 : 1, total: 1 }));
    const report = evaluateCatalog(
      catalog,
      data({ "processing-success": success, "processing-latency": clean() }),
      END,
    );
    const e = by(report, "processing-success");
    const fast = e.alerts.find((a) => a.alert.name === "fast-burn")!;
    expect(fast.long.lowVolume).toBe(true); // 60 events < gate.minEvents (100)
    expect(fast.firing).toBe(false);
    expect(e.score).toBe("pass");
  });
});

describe("4b. a young environment (less than gate.minCoverage of history)", () => {
  const young = () => data({ "processing-success": clean(2 * 1440), "processing-latency": clean(2 * 1440) });
  const verdict = (deployedAgoMinutes?: number, minutes = young()) => {
    const measured = evaluateCatalog(catalog, minutes, END);
    const release =
      deployedAgoMinutes === undefined
        ? undefined
        : evaluateRelease(catalog, minutes, END, END - deployedAgoMinutes * MINUTE, measured);
    return decideYoungHistory(measured, release, catalog);
  };

  test("a clean release live for a day decides it: insufficient history is reported, not blocking", () => {
    const gate = verdict(1440);
    const e = by(gate, "processing-success");
    // before: warn (insufficient history) for 7.5 days, which prod's fail-on-warn turned into a block
    expect(e).toMatchObject({ status: "insufficient-history", score: "pass" });
    expect(e.reasons.join("\n")).toMatch(/insufficient history: 6\.\d% of 30d observed/);
    expect(e.reasons.join("\n")).toMatch(
      /decided by the release since its deploy instead: 1436000 events over 1436m, burning 0\.00x \(limit 2x\)/,
    );
    expect(gate.score).toBe("pass");
  });

  test("without a deploy marker, or a release too fresh or too quiet, the history rule stands", () => {
    const none = by(verdict(undefined), "processing-success");
    expect(none.score).toBe("warn");
    expect(none.reasons.join()).toMatch(/not decided by the release: no deploy marker \(deployed-at\)/);
    const fresh = by(verdict(30), "processing-success");
    expect(fresh.score).toBe("warn");
    expect(fresh.reasons.join()).toMatch(/live only 2\dm, less than the 6h page-severity window/);
    // one event every ten minutes: 2 days of history, and 42 events in the 7 hours since the deploy
    const sparse = minutesOf(2 * 1440, () => ({ good: 1, total: 1 }));
    for (const at of [...sparse.keys()]) if (((END - at) / MINUTE) % 10 !== 0) sparse.delete(at);
    const quiet = data({ "processing-success": sparse, "processing-latency": clean(2 * 1440) });
    const q = by(verdict(7 * 60, quiet), "processing-success");
    expect(q.score).toBe("warn");
    expect(q.reasons.join()).toMatch(
      /not decided by the release: \d+ events since the deploy \(fewer than gate.minEvents = 100\)/,
    );
  });

  test("a release that burns does not vouch for the missing history", () => {
    const minutes = data({
      "processing-success": minutesOf(2 * 1440, (ago) => ({ good: ago < 600 ? 995 : 1000, total: 1000 })),
      "processing-latency": clean(2 * 1440),
    });
    const e = by(verdict(600, minutes), "processing-success");
    expect(e.score).not.toBe("pass");
    expect(e.reasons.join()).toMatch(/the release itself fails its criteria/);
  });

  test("an old environment is judged on its history, whatever the release", () => {
    const gate = verdict(undefined, data({ "processing-success": clean(), "processing-latency": clean() }));
    expect(by(gate, "processing-success")).toMatchObject({ status: "measured", score: "pass" });
  });
});

describe("5. availability", () => {
  test("one event a minute: a single failed event does not fail availability (nor the gate)", () => {
    // one publish a minute for 30 days; one of them never acked, one stored late
    const success = minutesOf(MONTH, (ago) => (ago === 6 ? { good: 0, total: 1 } : { good: 1, total: 1 }));
    const latency = minutesOf(MONTH, (ago) => ({ good: ago === 9 ? 0 : 1, total: 1 }));
    const report = evaluateCatalog(
      catalog,
      data({ "processing-success": success, "processing-latency": latency }),
      END,
    );
    const availability = by(report, "overall-availability");
    expect(availability.alerts.filter((a) => a.firing)).toEqual([]);
    expect(availability.score).toBe("pass");
    expect(report.score).toBe("pass");
  });

  test("one minute with 1.1% errors does not fail availability for the next half hour", () => {
    const success = minutesOf(MONTH, (ago) => ({ good: ago === 10 ? 989 : 1000, total: 1000 }));
    const report = evaluateCatalog(
      catalog,
      data({ "processing-success": success, "processing-latency": clean() }),
      END,
    );
    expect(by(report, "overall-availability").score).toBe("pass");
  });

  test("a silent pipeline (published, nothing stored, no latency data) is unavailable", () => {
    const latency = clean();
    for (let ago = 0; ago < 90; ago++) latency.delete(END - ago * MINUTE);
    const success = minutesOf(MONTH, (ago) =>
      ago < 90 ? { good: 0, total: 1000, incomplete: true } : { good: 1000, total: 1000 },
    );
    const report = evaluateCatalog(
      catalog,
      data({ "processing-success": success, "processing-latency": latency }),
      END,
    );
    const availability = by(report, "overall-availability");
    expect(availability.alerts.find((a) => a.alert.name === "fast-burn")?.firing).toBe(true);
    expect(availability.score).toBe("fail");
  });
});

describe("5b. the rollout of a component's writer (once arrived)", () => {
  // publishes healthy for 30 days, the latency writer shipped N days ago: the minutes before it are not
  // measured, not bad
  for (const days of [2, 10, 29]) {
    test(`latency measured for ${days} days: availability is healthy, not budget exhausted`, () => {
      const report = evaluateCatalog(
        catalog,
        data({
          "processing-success": clean(),
          "processing-latency": clean(days * 1440),
          "mongodb-connections": clean(MONTH, 1),
        }),
        END,
        { deployedAtMs: END - days * 1440 * MINUTE },
      );
      const availability = by(report, "overall-availability");
      // before: "error budget exhausted" (every minute before the writer existed counted bad)
      expect(availability.budgetRemaining).toBe(1);
      expect(availability.reasons.join("; ")).not.toMatch(/exhausted/);
      expect(evaluateTargetBudget(report, "prod", "change").score).toBe("pass");
    });
  }

  test("after the writer arrived, a minute with traffic and no latency point is still bad", () => {
    const latency = clean(10 * 1440);
    latency.delete(END - 20 * MINUTE);
    const report = evaluateCatalog(
      catalog,
      data({ "processing-success": clean(), "processing-latency": latency }),
      END,
    );
    const availability = by(report, "overall-availability");
    expect(availability.period.total - availability.period.good).toBe(1);
  });
});

describe("gate policy: release-aware, target budget", () => {
  // 1% of events failing since a deploy 50 minutes before the visibility horizon: 10x a 99.9% budget
  const deployedAt = END - 4 * MINUTE - 50 * MINUTE;
  const regression = () =>
    data({
      "processing-success": minutesOf(MONTH, (ago) =>
        ago < 54 ? { good: 990, total: 1000 } : { good: 1000, total: 1000 },
      ),
      "processing-latency": clean(),
    });

  test("a fresh regression (1% errors, promoted within the hour) passes the windows but fails the release", () => {
    const d = regression();
    const gate = evaluateCatalog(catalog, d, END);
    // the burn-rate windows alone let it through: 10x < 14.4x over 1 h, and the 6 h window is diluted
    expect(by(gate, "processing-success").score).toBe("pass");
    const release = evaluateRelease(catalog, d, END, deployedAt, gate);
    const row = release.rows.find((r) => r.name === "processing-success")!;
    expect(row.sinceDeploy?.burnRate).toBeCloseTo(10);
    expect(row.score).toBe("fail");
    expect(row.reasons.join()).toMatch(
      /since the deploy \(50m\) the budget burns 10\.0x \(absolute limit 2x\)/,
    );
    expect(row.reasons.join()).toMatch(/regression: 10\.0x since the deploy against 0\.0x/);
    expect(release.score).toBe("fail");
  });

  test("a release deployed after the visibility horizon is too fresh to judge (warn)", () => {
    const d = regression();
    const release = evaluateRelease(catalog, d, END, END - 2 * MINUTE, evaluateCatalog(catalog, d, END));
    expect(release.rows.every((r) => r.score === "warn" && /too fresh/.test(r.reasons[0] ?? ""))).toBe(true);
  });

  test("an exhausted target budget stops changes, and fixes without a second person's approval", () => {
    const exhausted = data({
      "processing-success": minutesOf(MONTH, (ago) =>
        ago > 1440 && ago < 5 * 1440 ? { good: 990, total: 1000 } : { good: 1000, total: 1000 },
      ),
      "processing-latency": clean(),
    });
    const target = evaluateCatalog(catalog, exhausted, END);
    expect(evaluateTargetBudget(target, "prod", "change")).toMatchObject({
      score: "fail",
      exhausted: ["processing-success"],
    });
    // change-kind is self-declared: before, a bare "fix" passed
    expect(evaluateTargetBudget(target, "prod", "fix")).toMatchObject({ score: "fail" });
    expect(evaluateTargetBudget(target, "prod", "fix").reasons[0]).toMatch(
      /only with an approval in the protected slo-override/,
    );
    const approved = evaluateTargetBudget(target, "prod", "fix", ["bob"]);
    expect(approved.score).toBe("pass");
    expect(approved.reasons[0]).toMatch(/a fix approved in slo-override by bob/);
    expect(evaluateTargetBudget(target, "prod", "change", ["bob"]).score).toBe("fail");
    expect(
      evaluateTargetBudget(
        evaluateCatalog(catalog, data({ "processing-success": clean(), "processing-latency": clean() }), END),
        "prod",
        "change",
      ).score,
    ).toBe("pass");
  });
});

describe("budget spend attributed to releases (audit)", () => {
  test("each release is charged the bad events of the time it was live", () => {
    // v1 live from 30 days ago, v2 from 10 days ago (0.5% errors for a day = 1/6 of a 30-day 99.9% budget),
    // v3 from 2 days ago (clean)
    const v2 = END - 10 * 1440 * MINUTE;
    const v3 = END - 2 * 1440 * MINUTE;
    const success = minutesOf(MONTH, (ago) =>
      ago > 8 * 1440 && ago <= 9 * 1440 ? { good: 995, total: 1000 } : { good: 1000, total: 1000 },
    );
    const spend = attributeBudget(
      catalog,
      data({ "processing-success": success, "processing-latency": clean() }),
      END,
      [
        { release: "v3", deployedAtMs: v3 },
        { release: "v1", deployedAtMs: END - 40 * 1440 * MINUTE },
        { release: "v2", deployedAtMs: v2 },
      ],
    );
    expect(spend.map((s) => s.release)).toEqual(["v1", "v2", "v3"]);
    const success3 = spend.map((s) => s.spent["processing-success"] as number);
    expect(success3[0]).toBeCloseTo(0);
    expect(success3[1]).toBeCloseTo((1440 * 5) / (0.001 * 1000 * MONTH), 2);
    expect(success3[2]).toBeCloseTo(0);
  });
});

describe("acks and publishes land in different minutes", () => {
  test("a healthy pipeline whose acks straddle minute boundaries passes (more acks than publishes in a minute is not bad data)", () => {
    // every event is acked about a second after its publish, so each minute's ack count is the
    // publish count give or take the events near its boundaries: 97 in one minute, 103 in the next
    const success = minutesOf(MONTH, (ago) => ({ good: ago % 2 === 0 ? 97 : 103, total: 100 }));
    const report = evaluateCatalog(
      catalog,
      data({ "processing-success": success, "processing-latency": clean() }),
      END,
    );
    const e = by(report, "processing-success");
    // before: the 103-ack minutes were "invalid" and left out, the 97-ack ones counted: SLI 0.97, 30x burn
    expect(e.reasons.join()).not.toMatch(/left out/);
    expect(e.budgetRemaining).toBeGreaterThan(0.99);
    expect(e.score).toBe("pass");
  });
});
