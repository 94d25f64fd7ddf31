/**
 * The JSON Schema editors read (policies/slo/generated/slo-declaration.schema.json) is generated from the
 * loader's own schema: it accepts what the loader accepts and refuses the shape errors the loader refuses.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { DEFAULT_SLO_DIR, loadSloCatalog, type SloDeclarationError } from "../src";
import { copyDeclarations } from "./helpers";

const schema = JSON.parse(
  readFileSync(join(DEFAULT_SLO_DIR, "generated", "slo-declaration.schema.json"), "utf8"),
) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const declarations = readdirSync(DEFAULT_SLO_DIR)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => [f, readFileSync(join(DEFAULT_SLO_DIR, f), "utf8")] as const);

describe("the generated JSON Schema of policies/slo", () => {
  test.each(declarations)("accepts the live %s", (_file, text) => {
    expect(validate(parse(text))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  test("every live declaration names it for the YAML language server", () => {
    for (const [, text] of declarations)
      expect(text.split("\n")[0]).toBe(
        "# yaml-language-server: $schema=./generated/slo-declaration.schema.json",
      );
  });

  test("refuses what the loader refuses by shape", () => {
    const success = declarations.find(([f]) => f === "processing-success.yaml")?.[1] ?? "";
    const policy = declarations.find(([f]) => f === "error-budget-policy.yaml")?.[1] ?? "";
    for (const text of [
      success.replace("goal: 0.999", "goal: 1.5"),
      success.replace("rollingPeriod: 30d", "rollingPeriod: 30 days"),
      success.replace("kind: ratio", "kind: ratios"),
      success.replace(/ {2}neverMeasured: fail\n/, ""),
      policy.replace("minCoverage: 0.25", "minCoverage: 0.25\n    missingData: warn"),
    ]) {
      expect(text).not.toBe(success);
      expect(validate(parse(text))).toBe(false);
    }
  });
});

describe("the loader's messages stay the house's, never zod's defaults", () => {
  test.each([
    ["processing-success.yaml", "displayName: Processing success", "displayName: [1]"],
    ["processing-success.yaml", "description: >-", "description: 42\n  notes: >-"],
    ["overall-availability.yaml", "components: [", "components: [7, "],
    ["processing-success.yaml", /resourceLabels:/, "resourceLabels: { Bad: x, ok: 'a\"b' }\n    unused:"],
    ["error-budget-policy.yaml", "burnRateAlerts:", "burnRateAlerts: 3\n  unused:"],
  ])("%s: %s -> %s", (file, from, to) => {
    const dir = copyDeclarations((f, t) => (f === file ? t.replace(from, to) : t));
    let problems: string[] = [];
    try {
      loadSloCatalog(dir);
    } catch (error) {
      problems = (error as SloDeclarationError).problems;
    }
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem).not.toMatch(/Invalid input|expected .*, received/);
      expect(problem).toMatch(/\.yaml: \S+ (must|is|names) /);
    }
  });
});
