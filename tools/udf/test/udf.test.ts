import { readFileSync } from "node:fs";
import { parseAndValidate, validateEvent } from "@shopstream/events";
import { GOLDEN_NOW, goldenCases, referenceOutcome, UDF_SPECS } from "@shopstream/transforms";
import { buildUdf } from "../src/build";
import { goldenFile, renderGolden } from "../src/cli";
import { verifyEs5 } from "../src/verify";
import { loadUdfInVm, type UdfOutcome } from "../src/vm";

interface GoldenRow {
  name: string;
  nowMs: number;
  outcome: UdfOutcome;
}

const bundles = new Map<string, string>();
beforeAll(async () => {
  for (const spec of UDF_SPECS) bundles.set(spec.app, (await buildUdf(spec)).code);
});

describe("verifyEs5", () => {
  it.each<[string, string]>([
    ["arrow", "var f = () => 1;"],
    ["let", "let a = 1;"],
    ["const", "const a = 1;"],
    ["class", "class A {}"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the input is JavaScript source with a template literal
    ["template", "var s = `x${1}`;"],
    ["spread", "f(...a);"],
    ["object spread", "var o = { ...a };"],
    ["for..of", "for (var x of y) {}"],
    ["destructuring", "var { a } = b;"],
    ["default parameter", "function f(a = 1) {}"],
    ["optional chaining", "var a = b?.c;"],
    ["nullish", "var a = b ?? c;"],
    ["unicode regex", "var r = /a/u;"],
    ["Object.assign", "var o = Object.assign({}, a);"],
    ["Number.isFinite", "Number.isFinite(1);"],
    ["includes", "'abc'.includes('a');"],
    ["Map", "var m = new Map();"],
    ["require", "var fs = require('fs');"],
    ["console", "console.log(1);"],
    ["export", "export function f() {}"],
  ])("rejects %s", (_name, code) => {
    expect(verifyEs5(code).length).toBeGreaterThan(0);
  });

  it("accepts ES5 and feature-detected helpers", () => {
    const code = [
      "var __assign = (this && this.__assign) || function () { __assign = Object.assign || function (t) { return t; }; };",
      "var ok = typeof Symbol === 'function';",
      "function transform(s) { var o = JSON.parse(s); return JSON.stringify({ a: o, get b() { return 1; } }); }",
      "var r = /x/gi; var m = { includes: 1 }.includes;",
    ].join("\n");
    expect(verifyEs5(code)).toEqual([]);
  });
});

describe.each(UDF_SPECS.map((s) => [s.app]))("%s UDF bundle", (app) => {
  const code = () => bundles.get(app) as string;

  it("is deterministic and plain ES5", async () => {
    const again = await buildUdf(UDF_SPECS.find((s) => s.app === app)!);
    expect(again.code).toBe(code());
    expect(verifyEs5(code())).toEqual([]);
  });

  it("defines only global functions and one namespace, without Node APIs", () => {
    const udf = loadUdfInVm(code(), `${app}-udf.js`);
    expect(udf.call("transformAt", "{}", GOLDEN_NOW).kind).toBe("error");
  });

  it("golden fixtures are up to date with the TypeScript transform", () => {
    expect(readFileSync(goldenFile(app), "utf8")).toBe(renderGolden(app));
  });

  it("gives byte-identical outcomes in Node's vm and in the TypeScript transform", () => {
    const golden = JSON.parse(readFileSync(goldenFile(app), "utf8")) as GoldenRow[];
    const udf = loadUdfInVm(code(), `${app}-udf.js`);
    const cases = goldenCases();
    expect(cases.map((c) => c.name)).toEqual(golden.map((g) => g.name));
    for (const [i, c] of cases.entries()) {
      const expected = golden[i]!.outcome;
      expect({ name: c.name, outcome: referenceOutcome(app, c.payload, c.nowMs) }).toEqual({
        name: c.name,
        outcome: expected,
      });
      expect({ name: c.name, outcome: udf.call("transformAt", c.payload, c.nowMs) }).toEqual({
        name: c.name,
        outcome: expected,
      });
    }
  });

  it("the template entry uses the wall clock", () => {
    const udf = loadUdfInVm(code(), `${app}-udf.js`);
    const fresh = goldenCases()[0]!;
    const event = JSON.parse(fresh.payload);
    event.event_time = new Date().toISOString();
    expect(udf.call("transform", JSON.stringify(event)).kind).toBe("string");
    event.event_time = "2001-01-01T00:00:00Z";
    expect(udf.call("transform", JSON.stringify(event))).toEqual({
      kind: "error",
      message: "event_time: older than the 7-day acceptance window",
    });
  });
});

describe("the validator's in-place fast path", () => {
  // parseAndValidate validates a freshly parsed payload in place when its text allows (isPlainText);
  // validateEvent always copies first. Both must agree on every golden payload, edges included.
  it("gives what the copying path gives on every golden payload", () => {
    const differences: string[] = [];
    for (const c of goldenCases()) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(c.payload);
      } catch {
        continue;
      }
      if (c.payload.length > 100000) continue;
      const fast = parseAndValidate(c.payload, c.nowMs);
      const copied = validateEvent(parsed, c.nowMs);
      if (JSON.stringify(fast) !== JSON.stringify(copied)) differences.push(c.name);
    }
    expect(differences).toEqual([]);
  });
});
