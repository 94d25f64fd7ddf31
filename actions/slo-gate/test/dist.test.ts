/**
 * The bundled action run the way the runner runs it: `node dist/index.js` with INPUT_* variables, a
 * GITHUB_OUTPUT file and no Google credentials. Every failure path must end in exactly one actionable
 * ::error:: line, exit code 1 and a `score` output (before the fix: an unhandled rejection, a stack trace
 * and nothing else).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { explain } from "../src/main";

const REPO = join(__dirname, "..", "..", "..");
const DIST = join(REPO, "actions", "slo-gate", "dist", "index.js");

function runDist(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "slo-gate-dist-"));
  const output = join(dir, "output");
  writeFileSync(output, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: dir, // no ~/.config/gcloud credentials
    METADATA_SERVER_DETECTION: "none", // not on Google Cloud: do not probe the metadata server
    GITHUB_WORKSPACE: REPO,
    GITHUB_OUTPUT: output,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const result = spawnSync(process.execPath, [DIST], { env, encoding: "utf8", timeout: 60_000 });
  const errors = result.stdout.split("\n").filter((l) => l.startsWith("::error::"));
  return { result, errors, outputs: readFileSync(output, "utf8") };
}

const base = { mode: "gate", "project-id": "shop-staging-1234", environment: "staging" };

describe("dist/index.js as the runner runs it", () => {
  test("no credentials: one ::error:: line saying to authenticate, exit 1, score=error", () => {
    const { result, errors, outputs } = runDist(base);
    expect(result.status).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /no Google Cloud credentials .*google-github-actions\/auth.*roles\/monitoring\.viewer/,
    );
    expect(result.stderr).not.toMatch(/UnhandledPromiseRejection|at GoogleAuth/);
    expect(outputs).toMatch(/score<<[\s\S]*error/);
  }, 60_000);

  test("bad inputs: one ::error:: line listing every problem", () => {
    const { result, errors } = runDist({ ...base, "project-id": "X", mode: "deploy" });
    expect(result.status).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/mode must be "gate" or "audit".*project-id must be a Google Cloud project ID/);
  }, 60_000);

  test("a missing SLO folder: one ::error:: line naming it", () => {
    const { result, errors } = runDist({ ...base, "slo-dir": "policies/nope" });
    expect(result.status).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/policies\/nope/);
  }, 60_000);
});

test("API errors are explained with the fix", () => {
  expect(explain(Object.assign(new Error("7 PERMISSION_DENIED: denied"), { code: 7 }))).toMatch(
    /Grant roles\/monitoring\.viewer/,
  );
  expect(explain(Object.assign(new Error("16 UNAUTHENTICATED: bad"), { code: 16 }))).toMatch(/auth step/);
  expect(explain(Object.assign(new Error("14 UNAVAILABLE: x"), { code: 14 }))).toMatch(/Re-run the job/);
  // the one-pass decoder's refusal reaches the action as grpc-js INTERNAL (client-interceptors.js)
  expect(
    explain(
      Object.assign(
        new Error(
          "13 INTERNAL: Response message parsing error: malformed ListTimeSeries answer at byte 72: truncated varint",
        ),
        { code: 13 },
      ),
    ),
  ).toMatch(/SLO_GATE_STOCK_DECODE: "true"/);
});
