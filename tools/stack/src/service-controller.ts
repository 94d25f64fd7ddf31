import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { StackPaths } from "./paths";
import type { ServiceName } from "./ports";
import { describePortOwner, isPortFree } from "./ports";
import {
  isRecordAlive,
  killGroup,
  killGroupSync,
  type PidRecord,
  readPidFile,
  registerCleanup,
  removePidFile,
  spawnDetached,
  writePidFile,
} from "./process";
import { errorText, waitUntilReady } from "./readiness";
import { type ServiceContext, SPECS } from "./services";

/** Control of one stand-in. `stop()` keeps the data directory, so `start()` brings the same data back. */
export interface ServiceHandle {
  readonly name: ServiceName;
  readonly port: number;
  readonly logFile: string;
  readonly dataDir: string;
  /** True while the process recorded in the pid file is alive. */
  readonly running: boolean;
  /** Starts the stand-in (no-op when already running and healthy) and waits until it answers. */
  start(): Promise<void>;
  /** Stops the whole process group (SIGTERM, SIGKILL after the grace period); data is kept. */
  stop(): Promise<void>;
  /** One protocol-level readiness probe; resolves when the service answers. */
  healthy(): Promise<boolean>;
  /** Pid of the process group leader, when running. */
  pid(): number | undefined;
}

export interface ControllerOptions {
  profile: string;
  ctx: ServiceContext;
  runDir: string;
  paths: StackPaths;
  log: (line: string) => void;
  readyTimeoutMs: number;
  stopGraceMs: number;
  /**
   * When true this process owns the instance it starts: it is killed when this process exits.
   * Attached handles (other processes, e.g. jest workers) do not own what they start.
   */
  own: boolean;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export class ServiceController implements ServiceHandle {
  readonly name: ServiceName;
  readonly port: number;
  readonly logFile: string;
  readonly dataDir: string;
  readonly pidFile: string;
  private unregister: (() => void) | undefined;

  constructor(private readonly o: ControllerOptions) {
    this.name = o.ctx.name;
    this.port = o.ctx.port;
    this.dataDir = o.ctx.dataDir;
    this.logFile = path.join(o.runDir, `${this.name}.log`);
    this.pidFile = path.join(o.runDir, `${this.name}.pid`);
  }

  /** The pid record if the recorded process is still the one alive. */
  record(): PidRecord | undefined {
    const rec = readPidFile(this.pidFile);
    return rec && isRecordAlive(rec) ? rec : undefined;
  }

  get running(): boolean {
    return this.record() !== undefined;
  }

  pid(): number | undefined {
    return this.record()?.pid;
  }

  async healthy(): Promise<boolean> {
    try {
      await SPECS[this.name].probe(this.o.ctx)();
      return true;
    } catch {
      return false;
    }
  }

  /** Makes this process responsible for killing the running instance when it exits. */
  adopt(): void {
    this.unregister?.();
    this.unregister = registerCleanup(`${this.o.profile}/${this.name}`, () => {
      const rec = this.record();
      if (rec) {
        killGroupSync(rec.pid);
        removePidFile(this.pidFile);
      }
    });
  }

  async start(): Promise<void> {
    const spec = SPECS[this.name];
    const existing = this.record();
    if (existing) {
      if (existing.port === this.port && (await this.healthy())) return;
      this.o.log(`${this.name}: previous instance (pid ${existing.pid}) is not healthy, restarting it`);
      await this.stop();
    }
    removePidFile(this.pidFile);
    const binary = spec.binary(this.o.ctx);
    if (binary.includes("/") && !existsSync(binary)) {
      throw new Error(`${spec.title} is not installed (${binary} missing): run 'npm run setup'`);
    }
    for (const port of spec.ports(this.o.ctx)) {
      if (!(await isPortFree(port))) {
        throw new Error(
          `${this.name} (${this.o.profile} profile) cannot start: ${describePortOwner(port)}. ` +
            `Stop that process, or pick other ports (StackOptions.ports).`,
        );
      }
    }
    const { cmd, args, env } = spec.command(this.o.ctx);
    const t0 = Date.now();
    const rec = spawnDetached(cmd, args, { logFile: this.logFile, env, cwd: this.dataDir });
    rec.port = this.port;
    writePidFile(this.pidFile, rec);
    if (this.o.own) this.adopt();
    try {
      await waitUntilReady(spec.probe(this.o.ctx), {
        timeoutMs: this.o.readyTimeoutMs,
        giveUp: () => (isRecordAlive(rec) ? undefined : `the process exited during start-up`),
      });
    } catch (err) {
      await this.stop();
      throw new Error(
        `${spec.title} on port ${this.port} did not become ready: ${errorText(err)}\n` +
          `log file: ${this.logFile}\n--- last lines ---\n${tail(this.logFile)}`,
      );
    }
    this.o.log(`${this.name}: ready on 127.0.0.1:${this.port} in ${Date.now() - t0} ms (pid ${rec.pid})`);
  }

  async stop(): Promise<void> {
    const rec = this.record();
    if (rec) {
      await killGroup(rec.pid, this.o.stopGraceMs);
      this.o.log(`${this.name}: stopped (pid ${rec.pid})`);
    }
    removePidFile(this.pidFile);
    this.unregister?.();
    this.unregister = undefined;
  }
}
