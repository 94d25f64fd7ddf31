import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatDuration, loadSloCatalog, parseDuration, SloDeclarationError } from "../src";
import { copyDeclarations, FIXTURE_DIR } from "./helpers";

describe("loadSloCatalog", () => {
  test("the live declarations in policies/slo load", () => {
    const { slos } = loadSloCatalog();
    expect(slos.map((s) => [s.name, s.sli.kind])).toEqual([
      ["mongodb-connections", "windows-in-range"],
      ["overall-availability", "composite"],
      ["processing-latency", "distribution-cut"],
      ["processing-success", "ratio"],
    ]);
  });

  test("loads the four SLOs of the brief with the shared policy (fixture copy)", () => {
    const { slos, policy } = loadSloCatalog(FIXTURE_DIR);
    const byName = Object.fromEntries(slos.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual([
      "mongodb-connections",
      "overall-availability",
      "processing-latency",
      "processing-success",
    ]);
    expect(byName["processing-success"]).toMatchObject({ goal: 0.999, rollingPeriodSeconds: 30 * 86400 });
    expect(byName["processing-latency"]?.goal).toBe(0.95);
    expect(byName["processing-latency"]?.sli).toMatchObject({ kind: "distribution-cut", range: { max: 10 } });
    expect(byName["mongodb-connections"]?.goal).toBe(0.99);
    expect(byName["overall-availability"]).toMatchObject({ goal: 0.95, rollingPeriodSeconds: 30 * 86400 });
    // each SLO ends its evaluations at its metrics' documented visibility delay
    expect(byName["processing-success"]?.visibilityDelaySeconds).toBe(240);
    expect(byName["processing-latency"]?.visibilityDelaySeconds).toBe(1080); // written at 900 s + period, run, ingestion
    expect(byName["overall-availability"]?.visibilityDelaySeconds).toBe(1140); // one minute behind its inputs
    expect(byName["mongodb-connections"]?.neverMeasured).toBe("exclude");
    expect(byName["processing-success"]?.neverMeasured).toBe("fail");
    expect(policy.burnRateAlerts.map((a) => [a.name, a.severity, a.burnRate])).toEqual([
      ["fast-burn", "page", 14.4],
      ["medium-burn", "page", 6],
      ["slow-burn", "ticket", 1],
    ]);
    for (const slo of slos) expect(slo.alerts).toEqual(policy.burnRateAlerts);
  });

  test("names the file and the field of every problem, all at once", () => {
    const dir = copyDeclarations((file, text) => {
      if (file === "processing-success.yaml") return text.replace("goal: 0.999", "goal: 1.5");
      if (file === "mongodb-connections.yaml") return text.replace("window: 1m", "window: 90 seconds");
      if (file === "overall-availability.yaml")
        return text.replace("processing-latency]", "processing-latencies]");
      return text;
    });
    let error: unknown;
    try {
      loadSloCatalog(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SloDeclarationError);
    const problems = (error as SloDeclarationError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /processing-success\.yaml: spec\.objective\.goal must be a number strictly between 0 and 1, got 1\.5/,
        ),
        expect.stringMatching(/mongodb-connections\.yaml: spec\.sli\.window "90 seconds" is not a duration/),
        expect.stringMatching(
          /overall-availability\.yaml: spec\.sli\.components names unknown SLO "processing-latencies"/,
        ),
      ]),
    );
  });

  test("rejects duplicates, bad YAML, a missing policy and unknown local counters", () => {
    const dir = mkdtempSync(join(tmpdir(), "slo-bad-"));
    writeFileSync(
      join(dir, "a.yaml"),
      "apiVersion: shopstream.dev/v1\nkind: SLO\nmetadata: { name: x }\nspec: {}\n",
    );
    writeFileSync(
      join(dir, "b.yaml"),
      "apiVersion: shopstream.dev/v1\nkind: SLO\nmetadata: { name: x }\nspec: {}\n",
    );
    writeFileSync(join(dir, "c.yaml"), "key: [unclosed\n");
    expect(() => loadSloCatalog(dir)).toThrow(/b\.yaml: metadata\.name "x" is already declared in .*a\.yaml/);
    expect(() => loadSloCatalog(dir)).toThrow(/c\.yaml: \(document\) is not valid YAML/);
    expect(() => loadSloCatalog(dir)).toThrow(/needs exactly one ErrorBudgetPolicy, found 0/);
    const local = copyDeclarations((f, t) =>
      f === "processing-success.yaml" ? t.replace("good: validStored", "good: stored") : t,
    );
    expect(() => loadSloCatalog(local)).toThrow(
      /processing-success\.yaml: spec\.sli\.local\.good must be one of validPublished/,
    );
    const rolling = copyDeclarations((f, t) =>
      f === "processing-success.yaml" ? t.replace("rollingPeriod: 30d", "rollingPeriod: 45d") : t,
    );
    expect(() => loadSloCatalog(rolling)).toThrow(
      /spec\.objective\.rollingPeriod must be whole days from 1d to 30d/,
    );
  });

  test("a distribution cut must sit on the distribution's bucket bounds (Cloud Monitoring interpolates, the gate cannot)", () => {
    // before: 15 s loaded; the gate counted events up to 10 s, the Cloud Monitoring SLO an estimate up to 15 s
    const between = copyDeclarations((f, t) =>
      f === "processing-latency.yaml"
        ? t.replace("range: { min: 0, max: 10 }", "range: { min: 0, max: 15 }")
        : t,
    );
    expect(() => loadSloCatalog(between)).toThrow(
      /processing-latency\.yaml: spec\.sli\.range\.max must be a bucket bound of custom\.googleapis\.com\/shopstream\/pipeline\/event_latency/,
    );
    const onBound = copyDeclarations((f, t) =>
      f === "processing-latency.yaml"
        ? t.replace("range: { min: 0, max: 10 }", "range: { min: 0, max: 20 }")
        : t,
    );
    expect(loadSloCatalog(onBound).slos.find((s) => s.name === "processing-latency")?.sli).toMatchObject({
      range: { min: 0, max: 20 },
    });
  });

  test("an SLO can override the policy's alerts", () => {
    const dir = copyDeclarations((f, t) =>
      f === "processing-latency.yaml"
        ? t.replace(
            "runbook:",
            "alerts:\n    - { name: only, severity: ticket, longWindow: 1d, shortWindow: 2h, burnRate: 2 }\n  runbook:",
          )
        : t,
    );
    const latency = loadSloCatalog(dir).slos.find((s) => s.name === "processing-latency");
    expect(latency?.alerts).toEqual([
      { name: "only", severity: "ticket", longWindowSeconds: 86400, shortWindowSeconds: 7200, burnRate: 2 },
    ]);
  });
});

describe("declarations Cloud Monitoring could not honour are refused at load time", () => {
  const problems = (edit: (file: string, text: string) => string) => {
    try {
      loadSloCatalog(copyDeclarations(edit));
    } catch (error) {
      return (error as SloDeclarationError).problems;
    }
    return [];
  };

  test("windows SLIs: only mean (metric_mean_in_range) or sum (metric_sum_in_range) across series", () => {
    // today's declaration style: aligner/reducer with a max reducer Terraform silently turned into a mean
    const found = problems((f, t) =>
      f === "mongodb-connections.yaml"
        ? t.replace(/aggregate: sum.*\n/, "aligner: mean\n    reducer: max\n")
        : t,
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /mongodb-connections\.yaml: spec\.sli\.aligner is not supported: use aggregate: mean .* or aggregate: sum/,
        ),
      ]),
    );
    expect(
      problems((f, t) =>
        f === "mongodb-connections.yaml" ? t.replace("aggregate: sum", "aggregate: max") : t,
      ),
    ).toEqual([expect.stringMatching(/spec\.sli\.aggregate must be one of mean, sum, got "max"/)]);
  });

  test("a composite goal above its weakest component's is refused (99.99% over 95%)", () => {
    const found = problems((f, t) =>
      f === "overall-availability.yaml" ? t.replace("goal: 0.95", "goal: 0.9999") : t,
    );
    expect(found).toEqual([
      expect.stringMatching(
        /overall-availability\.yaml: spec\.objective\.goal 0\.9999 is above its component processing-latency's goal 0\.95/,
      ),
    ]);
    expect(
      problems((f, t) =>
        f === "overall-availability.yaml" ? t.replace("minuteThreshold: 0.95", "minuteThreshold: 0.99") : t,
      ),
    ).toEqual([
      expect.stringMatching(/minuteThreshold 0\.99 is above component processing-latency's goal 0\.95/),
    ]);
  });

  test("every SLO decides its never-measured policy; a metric must be recorded or catalogued", () => {
    expect(
      problems((f, t) => (f === "processing-success.yaml" ? t.replace(/ {2}neverMeasured: fail\n/, "") : t)),
    ).toEqual([
      expect.stringMatching(/processing-success\.yaml: spec\.neverMeasured must be one of exclude, fail/),
    ]);
    expect(
      problems((f, t) =>
        f === "error-budget-policy.yaml"
          ? t.replace("minCoverage: 0.25", "minCoverage: 0.25\n    missingData: warn")
          : t,
      ),
    ).toEqual([expect.stringMatching(/spec\.gate\.missingData is replaced by spec\.neverMeasured/)]);
    expect(
      problems((f, t) =>
        f === "processing-latency.yaml"
          ? t.replace(
              "metricType: custom.googleapis.com/shopstream/pipeline/event_latency",
              "metricType: custom.googleapis.com/shopstream/pipeline/latency_v2",
            )
          : t,
      ),
    ).toEqual([
      expect.stringMatching(
        /custom\.googleapis\.com\/shopstream\/pipeline\/latency_v2 is neither a recorded built-in metric/,
      ),
    ]);
  });
});

describe("durations", () => {
  test.each([
    ["30s", 30],
    ["5m", 300],
    ["1h", 3600],
    ["3d", 259200],
  ])("%s = %i s and back", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    expect(formatDuration(seconds)).toBe(text);
  });
  test("rejects other spellings", () => {
    expect(() => parseDuration("1h30m")).toThrow(/not a duration/);
    expect(() => parseDuration("0m")).toThrow(/longer than zero/);
  });
});
