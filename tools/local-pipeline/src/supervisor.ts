/**
 * Runs the producer and workers as child processes (as they run in production: separate processes),
 * collects their metric snapshots over IPC, restarts crashed workers, and stops everything on exit so
 * no process is left behind.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { isMetricsMessage, LatencyHistogram, type StageSnapshot } from "@shopstream/telemetry";

export interface ChildSpec {
  name: string;
  /** TypeScript entry point, run with tsx. */
  script: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  /** Restart after an unexpected exit (workers: yes; the producer: no). */
  restart: boolean;
  logFile: string;
}

interface Child {
  spec: ChildSpec;
  process: ChildProcess;
  log: WriteStream;
  /** Counters of earlier incarnations, so totals survive restarts. */
  base: Record<string, number>;
  last?: StageSnapshot;
  exited: Promise<number | null>;
  stopping: boolean;
  restarts: number;
}

export class Supervisor {
  private readonly children = new Map<string, Child>();
  private readonly histograms = new Map<string, LatencyHistogram>();

  /**
   * `onEvent` hears restarts; `restartDelayMs` is the pause before a crashed worker starts again (a worker
   * that fails at once is not restarted in a tight loop).
   */
  constructor(
    private readonly onEvent: (line: string) => void = () => {},
    private readonly restartDelayMs = 1000,
  ) {}

  start(spec: ChildSpec, base: Record<string, number> = {}, restarts = 0): void {
    mkdirSync(dirname(spec.logFile), { recursive: true });
    const log = createWriteStream(spec.logFile, { flags: "a" });
    const child = fork(spec.script, spec.args ?? [], {
      execArgv: ["--import", "tsx"],
      env: spec.env,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      // Its own process group: a Ctrl-C in the terminal reaches the main job only, which decides how the
      // children stop (the producer first, the workers after the drain); exit handlers still kill them.
      detached: true,
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const entry: Child = {
      spec,
      process: child,
      log,
      base,
      exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))),
      stopping: false,
      restarts,
    };
    child.on("message", (message) => {
      if (isMetricsMessage(message)) entry.last = message.snapshot;
    });
    child.once("exit", (code, signal) => {
      log.end();
      if (entry.stopping || !spec.restart) return;
      this.onEvent(`${spec.name} exited (${signal ?? `code ${code}`}); restarting (see ${spec.logFile})`);
      this.keepHistogram(entry);
      const totals = this.counters(spec.name);
      setTimeout(() => this.start(spec, totals, restarts + 1), this.restartDelayMs);
    });
    this.children.set(spec.name, entry);
  }

  private keepHistogram(entry: Child): void {
    if (!entry.last) return;
    for (const kind of ["latency", "sliLatency"] as const) {
      const key = `${entry.spec.name}/${kind}`;
      const histogram = this.histograms.get(key) ?? new LatencyHistogram();
      histogram.merge(entry.last[kind]);
      this.histograms.set(key, histogram);
    }
  }

  /** Totals across restarts. */
  counters(name: string): Record<string, number> {
    const child = this.children.get(name);
    if (!child) return {};
    const totals = { ...child.base };
    for (const [key, value] of Object.entries(child.last?.counters ?? {}))
      totals[key] = (totals[key] ?? 0) + value;
    return totals;
  }

  /**
   * A stage's histogram across restarts: `latency` (Pub/Sub publish time -> stored and acked, exact) or
   * `sliLatency` (processed_at - published_at, the latency SLI's definition).
   */
  latency(name: string, kind: "latency" | "sliLatency" = "latency"): LatencyHistogram {
    const histogram = new LatencyHistogram();
    const earlier = this.histograms.get(`${name}/${kind}`);
    if (earlier) histogram.merge(earlier.snapshot());
    const last = this.children.get(name)?.last;
    if (last?.[kind]) histogram.merge(last[kind]);
    return histogram;
  }

  snapshot(name: string): StageSnapshot | undefined {
    return this.children.get(name)?.last;
  }

  restarts(name: string): number {
    return this.children.get(name)?.restarts ?? 0;
  }

  isRunning(name: string): boolean {
    const child = this.children.get(name);
    return !!child && child.process.exitCode === null && child.process.signalCode === null;
  }

  /** Resolves with the exit code once `name` exits by itself (the producer finishing its run). */
  async waitForExit(name: string): Promise<number | null> {
    const child = this.children.get(name);
    return child ? child.exited : null;
  }

  /** Sends a signal (fault injection: SIGKILL a worker mid-batch). */
  kill(name: string, signal: NodeJS.Signals): void {
    this.children.get(name)?.process.kill(signal);
  }

  /** SIGTERM (drain), then SIGKILL after `graceMs`; resolves with the exit code (null: killed by a signal). */
  async stop(name: string, graceMs = 30000): Promise<number | null> {
    const child = this.children.get(name);
    if (!child) return null;
    child.stopping = true;
    if (child.process.exitCode !== null || child.process.signalCode !== null) return child.process.exitCode;
    child.process.kill("SIGTERM");
    const timer = setTimeout(() => child.process.kill("SIGKILL"), graceMs);
    const code = await child.exited;
    clearTimeout(timer);
    return code;
  }

  /** Stops every child; resolves with each one's exit code. */
  async stopAll(graceMs = 30000): Promise<Record<string, number | null>> {
    const names = [...this.children.keys()];
    const codes = await Promise.all(names.map((name) => this.stop(name, graceMs)));
    return Object.fromEntries(names.map((name, i) => [name, codes[i] ?? null]));
  }

  /** Last-resort cleanup for process.on('exit'): synchronous SIGKILL of anything still running. */
  killAllNow(): void {
    for (const child of this.children.values()) {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill("SIGKILL");
    }
  }
}
