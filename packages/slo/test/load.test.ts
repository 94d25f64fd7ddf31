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
      ["processing-latency", "windows-in-range"],
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
    expect(byName["processing-latency"]?.sli).toMatchObject({ kind: "windows-in-range", range: { max: 10 } });
    expect(byName["mongodb-connections"]?.goal).toBe(0.99);
    expect(byName["overall-availability"]).toMatchObject({ goal: 0.9999, rollingPeriodSeconds: 30 * 86400 });
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
      if (file === "processing-latency.yaml") return text.replace("window: 1m", "window: 90 seconds");
      if (file === "overall-availability.yaml")
        return text.replace("mongodb-connections]", "mongo-connections]");
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
        expect.stringMatching(/processing-latency\.yaml: spec\.sli\.window "90 seconds" is not a duration/),
        expect.stringMatching(
          /overall-availability\.yaml: spec\.sli\.components names unknown SLO "mongo-connections"/,
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
