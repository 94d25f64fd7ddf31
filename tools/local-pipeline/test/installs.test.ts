/**
 * The per-stand-in installs the main job runs in parallel: a failure names the install's log, Ctrl-C kills
 * the builds an install started (nothing keeps running), and the progress line says what is still going.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServiceName } from "@shopstream/stack";
import { Installs, scriptInstaller } from "../src/installs";

const LOGS: Record<ServiceName, string> = {
  pubsub: "/logs/pubsub.log",
  mongodb: "/logs/install-ferretdb.log",
  bigquery: "/logs/install-bqemulator.log",
};

function script(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), "installs-"));
  const file = join(dir, "install.sh");
  writeFileSync(file, `#!/usr/bin/env bash\nset -euo pipefail\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("scriptInstaller", () => {
  it("relays the script's lines and resolves when it succeeds", async () => {
    const lines: string[] = [];
    const install = scriptInstaller((l) => lines.push(l), script('echo "[stack] installing $1"'), LOGS);
    await install("bigquery", new AbortController().signal);
    expect(lines).toEqual(["  [stack] installing bigquery"]);
  });

  it("rejects with the stand-in, the exit code, the log path and the script's last error lines", async () => {
    const install = scriptInstaller(
      () => {},
      script('echo "[stack] ERROR: go build of FerretDB failed" >&2; exit 1'),
      LOGS,
    );
    await expect(install("mongodb", new AbortController().signal)).rejects.toThrow(
      /installing mongodb failed \(exit code 1\); log: \/logs\/install-ferretdb\.log\n\[stack\] ERROR: go build of FerretDB failed/,
    );
  });

  it("kills the whole install, builds included, when aborted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "installs-"));
    const pidFile = join(dir, "build.pid");
    // A "build" the script waits on, as install.sh waits on go build.
    const install = scriptInstaller(
      () => {},
      script(`sleep 300 & echo $! > ${pidFile}; echo started; wait`),
      LOGS,
    );
    const abort = new AbortController();
    const done = install("mongodb", abort.signal);
    while (!existsSync(pidFile) || readFileSync(pidFile, "utf8").trim() === "")
      await new Promise((r) => setTimeout(r, 20));
    const buildPid = Number(readFileSync(pidFile, "utf8"));
    expect(isAlive(buildPid)).toBe(true);
    abort.abort();
    await expect(done).rejects.toThrow(/installing mongodb failed \(SIGTERM\)/);
    for (let i = 0; i < 100 && isAlive(buildPid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(buildPid)).toBe(false);
  });
});

describe("Installs", () => {
  it("resolves each stand-in on its own and lists only what is still installing", async () => {
    const release: Partial<Record<ServiceName, () => void>> = {};
    const installs = new Installs(
      (service) => new Promise<void>((resolve) => (release[service] = resolve)),
      ["pubsub", "mongodb", "bigquery"],
    );
    release.pubsub?.();
    release.bigquery?.();
    await installs.ready("pubsub");
    await installs.ready("bigquery");
    expect(installs.isPending("mongodb")).toBe(true);
    expect(installs.describePending()).toMatch(/^still installing: mongodb: building FerretDB/);
    release.mongodb?.();
    await installs.ready("mongodb");
    expect(installs.describePending()).toBeUndefined();
  });

  it("keeps the first failure and rejects that stand-in's readiness with it", async () => {
    const installs = new Installs(
      async (service) => {
        if (service === "mongodb") throw new Error("installing mongodb failed; log: x.log");
      },
      ["pubsub", "mongodb"],
    );
    await expect(installs.ready("mongodb")).rejects.toThrow("log: x.log");
    await installs.ready("pubsub");
    expect(installs.failure?.message).toBe("installing mongodb failed; log: x.log");
  });

  it("aborts the installs still running on cancel", async () => {
    const installs = new Installs(
      (_service, signal) =>
        new Promise<void>((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(new Error("killed"))),
        ),
      ["mongodb"],
    );
    installs.cancel();
    await expect(installs.ready("mongodb")).rejects.toThrow("killed");
  });
});
