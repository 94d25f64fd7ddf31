/**
 * The stand-ins' installs, one per stand-in and all at once, so the main job can start each part of the
 * pipeline as soon as what it needs is ready (the producer with Pub/Sub, analytics with bqemulator,
 * ingestion when the FerretDB build ends) instead of after the slowest install.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { ServiceName } from "@shopstream/stack";

/** Installs one stand-in; rejects with a message naming its log file when the install fails. */
export type Installer = (service: ServiceName, signal: AbortSignal) => Promise<void>;

const REPO = join(__dirname, "..", "..", "..");

/** What the first install of each stand-in does, for the progress lines while it runs. */
export const INSTALL_WORK: Record<ServiceName, string> = {
  pubsub: "checking the gcloud Pub/Sub emulator",
  mongodb: "building FerretDB (first run only, ~2 min of CPU)",
  bigquery: "installing bqemulator (first run only, ~25 s of CPU)",
};

export const INSTALL_LOG: Record<ServiceName, string> = {
  pubsub: "(gcloud is preinstalled: no log)",
  mongodb: join(REPO, ".local", "install-ferretdb.log"),
  bigquery: join(REPO, ".local", "install-bqemulator.log"),
};

/**
 * `tools/stack/install.sh <service>` (idempotent: a few hundred ms when already installed). It runs in
 * its own process group so an abort (Ctrl-C) kills the builds it started too; the script's own trap
 * leaves nothing half-installed marked as installed.
 */
export function scriptInstaller(
  print: (line: string) => void,
  script: string = join(REPO, "tools", "stack", "install.sh"),
  logs: Record<ServiceName, string> = INSTALL_LOG,
): Installer {
  return (service, signal) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn("bash", [script, service], {
        stdio: ["ignore", "pipe", "pipe"],
        // One "still installing" line for all stand-ins (Installs.describePending), not one per script.
        env: { ...process.env, STACK_INSTALL_PROGRESS: "0" },
        detached: true,
      });
      let stderr = "";
      const relay = (chunk: Buffer) => {
        for (const line of chunk.toString().split("\n")) if (line.trim()) print(`  ${line}`);
      };
      child.stdout?.on("data", relay);
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        relay(chunk);
      });
      const abort = () => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
        } catch {
          // already gone
        }
      };
      signal.addEventListener("abort", abort, { once: true });
      const killOnExit = () => abort();
      process.once("exit", killOnExit);
      child.once("error", (error) => reject(error));
      child.once("exit", (code, sig) => {
        signal.removeEventListener("abort", abort);
        process.removeListener("exit", killOnExit);
        if (code === 0) resolve();
        else
          reject(
            new Error(
              `installing ${service} failed (${sig ?? `exit code ${code}`}); log: ${logs[service]}` +
                (stderr.trim() ? `\n${stderr.trim().split("\n").slice(-5).join("\n")}` : ""),
            ),
          );
      });
    });
}

/** The installs under way: one promise per stand-in, and what is still running (for progress lines). */
export class Installs {
  private readonly pending = new Set<ServiceName>();
  private readonly done = new Map<ServiceName, Promise<void>>();
  private readonly started = Date.now();
  private readonly abort = new AbortController();
  /** The first install that failed, if any (the run stops on it). */
  failure: Error | undefined;

  constructor(installer: Installer, services: readonly ServiceName[]) {
    for (const service of services) {
      this.pending.add(service);
      const promise = installer(service, this.abort.signal).then(
        () => {
          this.pending.delete(service);
        },
        (error: unknown) => {
          this.pending.delete(service);
          const failure = error instanceof Error ? error : new Error(String(error));
          this.failure ??= failure;
          throw failure;
        },
      );
      promise.catch(() => {}); // observed through `failure` and `ready()`
      this.done.set(service, promise);
    }
  }

  /** Resolves when `service` is installed; rejects with the install's error. */
  ready(service: ServiceName): Promise<void> {
    return this.done.get(service) ?? Promise.resolve();
  }

  /** `mongodb: building FerretDB (first run only, ~2 min of CPU), 45 s so far`, or undefined when none runs. */
  describePending(): string | undefined {
    if (this.pending.size === 0) return undefined;
    const seconds = Math.round((Date.now() - this.started) / 1000);
    return `still installing: ${[...this.pending].map((s) => `${s}: ${INSTALL_WORK[s]}`).join("; ")} (${seconds} s so far)`;
  }

  isPending(service: ServiceName): boolean {
    return this.pending.has(service);
  }

  /** Kills the installs still running (Ctrl-C, or the run failed). */
  cancel(): void {
    this.abort.abort();
  }
}
