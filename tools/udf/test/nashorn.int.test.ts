/**
 * Parity in the engine that runs the UDFs: standalone Nashorn 15.4 on the machine's JDK. Every golden case
 * gives the same output string, or the same dead-letter reason, as the TypeScript transform in Node.
 * Needs the harness (bash tools/nashorn/install.sh, part of npm run setup:test).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { goldenCases, UDF_SPECS } from "@shopstream/transforms";
import { buildUdf } from "../src/build";
import { goldenFile } from "../src/cli";
import { NashornRunner } from "../src/nashorn";
import type { UdfOutcome } from "../src/vm";

// Engines as the templates may create them: the JSR-223 default (ES5.1) and with --language=es6.
const MODES: [string, string[]][] = [
  ["es5", []],
  ["es6", ["--language=es6"]],
];

let runner: NashornRunner;
const dir = mkdtempSync(join(tmpdir(), "udf-nashorn-"));

beforeAll(async () => {
  runner = await NashornRunner.start();
  for (const spec of UDF_SPECS) {
    const file = join(dir, `${spec.app}-udf.js`);
    writeFileSync(file, (await buildUdf(spec)).code);
    for (const [mode, options] of MODES) await runner.load(`${spec.app}-${mode}`, file, { options });
  }
  await runner.load("passthrough", writeScript("passthrough.js", "function transform(s) { return s; }"));
  await runner.load(
    "contract",
    writeScript(
      "contract.js",
      "function nothing(s) { return null; } function undef(s) {} function num(s) { return 42; } function boom(s) { throw new Error('bad: ' + s); }",
    ),
  );
});

afterAll(async () => {
  await runner?.close();
});

function writeScript(name: string, code: string): string {
  const file = join(dir, name);
  writeFileSync(file, code);
  return file;
}

it("runs standalone OpenJDK Nashorn 15.4", () => {
  expect(runner.engine).toMatch(/Nashorn 15\.4/);
});

it("models the template contract: null/undefined drop, non-strings and throws dead-letter", async () => {
  expect(await runner.call("passthrough", "transform", "é\u2028\ud83d\udc5f")).toEqual({
    kind: "string",
    value: "é\u2028\ud83d\udc5f",
  });
  expect(await runner.call("contract", "nothing", "x")).toEqual({ kind: "null" });
  expect(await runner.call("contract", "undef", "x")).toEqual({ kind: "null" });
  expect((await runner.call("contract", "num", "x")).kind).toBe("nonstring");
  expect(await runner.call("contract", "boom", "x")).toEqual({ kind: "error", message: "bad: x" });
});

describe.each(UDF_SPECS.flatMap((s) => MODES.map(([mode]) => [s.app, mode])))(
  "%s UDF in Nashorn (%s)",
  (app, mode) => {
    it("matches the golden outcomes byte for byte", async () => {
      const golden = JSON.parse(readFileSync(goldenFile(app), "utf8")) as {
        name: string;
        outcome: UdfOutcome;
      }[];
      const cases = goldenCases();
      const mismatches: string[] = [];
      for (const [i, c] of cases.entries()) {
        const got = await runner.call(`${app}-${mode}`, "transformAt", c.payload, c.nowMs);
        const want = golden[i]!.outcome;
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          mismatches.push(
            `${c.name}\n    nashorn: ${JSON.stringify(got).slice(0, 300)}\n    node:    ${JSON.stringify(want).slice(0, 300)}`,
          );
        }
      }
      expect(mismatches).toEqual([]);
    });

    it("the template entry stamps with the JVM clock", async () => {
      const event = JSON.parse(goldenCases()[0]!.payload);
      event.event_time = new Date().toISOString();
      expect((await runner.call(`${app}-${mode}`, "transform", JSON.stringify(event))).kind).toBe("string");
    });
  },
);
