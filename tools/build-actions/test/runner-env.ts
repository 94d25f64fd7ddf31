/**
 * Runs an action's committed dist/index.js the way the runner runs it: `node dist/index.js` in a clean
 * environment holding only the runner's GITHUB_* / RUNNER_* variables and INPUT_* for each input (the
 * action.yml defaults first, as the runner applies them), and no credentials at all.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

export const repo = join(__dirname, "../../..");
export const work = mkdtempSync(join(tmpdir(), "dist-runner-"));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  errors: string[];
}

function defaults(action: string): Record<string, string> {
  const spec = parse(readFileSync(join(repo, "actions", action, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: string }>;
  };
  const out: Record<string, string> = {};
  for (const [name, input] of Object.entries(spec.inputs)) {
    // `${{ github.token }}` and the like: the runner would substitute them; here there are no credentials.
    const value = String(input.default ?? "");
    out[name] = value.includes("${{") ? "" : value;
  }
  return out;
}

export function runDist(
  action: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<Run> {
  const home = mkdtempSync(join(work, `${action}-`));
  for (const f of ["output", "summary", "env", "path"]) writeFileSync(join(home, f), "");
  writeFileSync(join(home, "event.json"), "{}");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: home, // no gcloud configuration, no application default credentials
    RUNNER_TEMP: home,
    GITHUB_WORKSPACE: repo,
    GITHUB_OUTPUT: join(home, "output"),
    GITHUB_STEP_SUMMARY: join(home, "summary"),
    GITHUB_ENV: join(home, "env"),
    GITHUB_PATH: join(home, "path"),
    GITHUB_EVENT_PATH: join(home, "event.json"),
    GITHUB_EVENT_NAME: "workflow_dispatch",
    GITHUB_REPOSITORY: "octo-org/shopstream",
    GITHUB_SHA: "3333333333333333333333333333333333333333",
    GITHUB_REF: "refs/heads/main",
    GITHUB_RUN_ID: "1",
    GITHUB_SERVER_URL: "https://github.com",
    // Nothing listens here: every GitHub API call fails to connect.
    GITHUB_API_URL: "http://127.0.0.1:1",
    ...extraEnv,
  };
  for (const [name, value] of Object.entries({ ...defaults(action), ...inputs })) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }
  return runNode(join(repo, "actions", action, "dist", "index.js"), env);
}

/** Runs a script with this node, in `env` only; collects its output and its `::error::` lines. */
export function runNode(script: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout, stderr, errors: stdout.split("\n").filter((l) => l.startsWith("::error::")) }),
    );
  });
}

export function expectOneError(run: Run, ...needles: string[]): void {
  expect(run.code).toBe(1);
  expect(run.errors).toHaveLength(1);
  for (const needle of needles) expect(run.errors[0]).toContain(needle);
  expect(run.stderr).not.toMatch(/\n\s+at |UnhandledPromiseRejection|Node\.js v\d+/);
}
