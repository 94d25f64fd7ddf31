import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What a pid file records about a running stand-in. */
export interface PidRecord {
  /** Process id of the group leader; the group id is the same (processes are started with setsid). */
  pid: number;
  /** Start time of the process from /proc/<pid>/stat (clock ticks since boot): guards against pid reuse. */
  startTime: number;
  port: number;
  command: string[];
  startedAt: string;
  /** Process that started it (informational). */
  parentPid: number;
}

/** Field 22 of /proc/<pid>/stat, or undefined when the process does not exist. */
export function procStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may contain spaces: split after the last ")".
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const value = Number(rest[19]);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Pure parser of /proc/<pid>/stat, exported for tests. */
export function parseProcStat(stat: string): { state: string; pgid: number; startTime: number } {
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: rest[0] ?? "?", pgid: Number(rest[2]), startTime: Number(rest[19]) };
}

/** True when the pid exists, is not a zombie, and is the same process as recorded. */
export function isRecordAlive(rec: PidRecord): boolean {
  try {
    const st = parseProcStat(readFileSync(`/proc/${rec.pid}/stat`, "utf8"));
    return st.state !== "Z" && st.startTime === rec.startTime;
  } catch {
    return false;
  }
}

/** Pids of all live (non-zombie) processes whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const st = parseProcStat(readFileSync(`/proc/${e}/stat`, "utf8"));
      if (st.pgid === pgid && st.state !== "Z") out.push(Number(e));
    } catch {
      // process vanished
    }
  }
  return out;
}

export function readPidFile(file: string): PidRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PidRecord;
  } catch {
    return undefined;
  }
}

export function writePidFile(file: string, rec: PidRecord): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(rec, null, 2)}\n`);
}

export function removePidFile(file: string): void {
  rmSync(file, { force: true });
}

export interface SpawnOptions {
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Starts `command` detached in its own session/process group (setsid), stdout+stderr appended to
 * `logFile`, stdin closed. The child is unref'd: it does not keep the parent alive.
 */
export function spawnDetached(command: string, args: string[], opts: SpawnOptions): PidRecord {
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = openSync(opts.logFile, "a");
  try {
    writeFileSync(fd, `\n=== ${new Date().toISOString()} starting: ${[command, ...args].join(" ")}\n`);
    const child = spawn(command, args, {
      detached: true,
      stdio: ["ignore", fd, fd],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
    });
    if (child.pid === undefined) throw new Error(`failed to spawn ${command} (see ${opts.logFile})`);
    child.on("error", () => {
      // reported through the readiness check and the log file
    });
    child.unref();
    const pid = child.pid;
    return {
      pid,
      startTime: procStartTime(pid) ?? -1,
      port: 0,
      command: [command, ...args],
      startedAt: new Date().toISOString(),
      parentPid: process.pid,
    };
  } finally {
    closeSync(fd);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // group already gone
  }
}

/**
 * Stops a whole process group: SIGTERM, wait up to `graceMs` for every member to exit, then SIGKILL.
 * Resolves once no member of the group is left.
 */
export async function killGroup(pgid: number, graceMs = 10_000): Promise<void> {
  if (groupMembers(pgid).length === 0) return;
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (groupMembers(pgid).length === 0) return;
    await sleep(100);
  }
  signalGroup(pgid, "SIGKILL");
  const hard = Date.now() + 5_000;
  while (Date.now() < hard && groupMembers(pgid).length > 0) await sleep(50);
}

/** Synchronous variant for process 'exit' handlers (blocks up to `graceMs`). */
export function killGroupSync(pgid: number, graceMs = 3_000): void {
  if (groupMembers(pgid).length === 0) return;
  signalGroup(pgid, "SIGTERM");
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupMembers(pgid).length > 0) Atomics.wait(cell, 0, 0, 50);
  signalGroup(pgid, "SIGKILL");
}

// ------------------------------------------------------------------ cleanup when the parent dies

const owned = new Map<string, () => void>();
let hooksInstalled = false;

function cleanupAll(): void {
  for (const fn of owned.values()) {
    try {
      fn();
    } catch {
      // best effort
    }
  }
  owned.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", cleanupAll);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const handler = () => {
      // Only act when nobody else handles the signal: a host with its own handler is expected to call
      // stack.stop() or process.exit() (which runs the 'exit' hook) after its graceful shutdown.
      if (process.listenerCount(sig) > 1) return;
      cleanupAll();
      process.removeListener(sig, handler);
      process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

/**
 * Registers a synchronous cleanup run when this process exits (normally, by an uncaught error, or by
 * SIGINT/SIGTERM/SIGHUP when no other handler is installed). Returns a function that unregisters it.
 */
export function registerCleanup(key: string, fn: () => void): () => void {
  installHooks();
  owned.set(key, fn);
  return () => {
    if (owned.get(key) === fn) owned.delete(key);
  };
}
