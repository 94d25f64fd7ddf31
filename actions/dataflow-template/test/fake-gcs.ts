/** Starts fsouza/fake-gcs-server (installed by tools/fake-gcs/install.sh) on a free loopback port, in memory. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const FAKE_GCS_BIN = join(__dirname, "..", "..", "..", ".local", "bin", "fake-gcs-server");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface FakeGcs {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startFakeGcs(): Promise<FakeGcs> {
  if (!existsSync(FAKE_GCS_BIN))
    throw new Error(`${FAKE_GCS_BIN} missing: run bash tools/fake-gcs/install.sh`);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    FAKE_GCS_BIN,
    [
      "-scheme",
      "http",
      "-backend",
      "memory",
      "-host",
      "127.0.0.1",
      "-port",
      String(port),
      "-public-host",
      `127.0.0.1:${port}`,
      "-log-level",
      "error",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(`${endpoint}/storage/v1/b`);
      if (response.ok) break;
    } catch {}
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`fake-gcs-server did not start on ${endpoint}: ${stderr.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
