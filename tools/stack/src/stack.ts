import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type StackPaths, stackPaths } from "./paths";
import { type Profile, resolvePorts, SERVICE_NAMES, type ServiceName } from "./ports";
import { ServiceController, type ServiceHandle } from "./service-controller";
import { bigqueryApiEndpoint, mongoUri } from "./services";

export interface StackOptions {
  /** Selects default ports, data and run directories. dev: `npm start`; test: jest; bench: benchmarks. */
  profile: Profile;
  /** Project id given to the emulators and put in GOOGLE_CLOUD_PROJECT. Default `shopstream-local`. */
  projectId?: string;
  /** Root of the data directories (one sub-directory per service). Default `.local/data/<profile>`. */
  dataDir?: string;
  /** Port overrides; defaults in DEFAULT_PORTS. */
  ports?: Partial<Record<ServiceName, number>>;
  /** Progress lines. Default: console.log with a `[stack:<profile>]` prefix. */
  log?: (line: string) => void;
  /** Stop any previous instance of the profile and wipe its data directories first. */
  fresh?: boolean;
  /** Only these services (default: all three). */
  services?: readonly ServiceName[];
  /** Readiness timeout per service (default 120 s: bqemulator and the Pub/Sub JVM are slow on 2 cores). */
  readyTimeoutMs?: number;
  /** Grace period between SIGTERM and SIGKILL on stop (default 10 s). */
  stopGraceMs?: number;
  /**
   * Runs a separate copy of the profile with its own run and data directories (`<profile>-<instance>`),
   * e.g. for tests of the stack itself. Ports still come from the profile unless overridden.
   */
  instance?: string;
}

/** Environment variables that point the Google Cloud and MongoDB clients at the stand-ins. */
export interface StackEnv {
  GOOGLE_CLOUD_PROJECT: string;
  /** `127.0.0.1:PORT`; read by @google-cloud/pubsub (plaintext, no auth). */
  PUBSUB_EMULATOR_HOST: string;
  /** `mongodb://127.0.0.1:PORT/?directConnection=true` */
  MONGODB_URI: string;
  /**
   * `http://127.0.0.1:PORT/bigquery/v2`. @google-cloud/bigquery 8.x uses this variable verbatim as its
   * base URL (it does NOT append /bigquery/v2), so `new BigQuery({ projectId })` works with no options.
   */
  BIGQUERY_EMULATOR_HOST: string;
  /** `http://127.0.0.1:PORT`: value for the `apiEndpoint` option of `new BigQuery(...)` (client appends /bigquery/v2). */
  BIGQUERY_API_ENDPOINT: string;
  /** `none`: google-auth-library skips probing the GCE metadata server (no credentials are needed locally). */
  METADATA_SERVER_DETECTION: string;
  /**
   * `DISABLED`: makes @google-cloud/bigquery's `query()` use jobs.insert + getQueryResults instead of the
   * jobs.query fast path. bqemulator answers a failing jobs.query with HTTP 200 + `errors`, which the
   * client ignores (query() would resolve to [] instead of rejecting).
   */
  FAST_QUERY_PATH: string;
}

export interface Stack {
  profile: Profile;
  projectId: string;
  ports: Record<ServiceName, number>;
  env: StackEnv;
  services: Record<ServiceName, ServiceHandle>;
  /**
   * Starts more services of the same profile and settings (reusing a healthy instance as startStack does;
   * with `fresh`, their data directories are wiped first). The main job starts each stand-in as soon as it
   * is installed. Added services are stopped by `stop()` like the others.
   */
  add(services: readonly ServiceName[]): Promise<void>;
  /** Stops every service this stack started or attached to (data kept). */
  stop(): Promise<void>;
}

/** Written to `.local/run/<profile>/stack.json` so other processes can attach to the running stack. */
interface StackState {
  profile: Profile;
  instance?: string;
  projectId: string;
  ports: Record<ServiceName, number>;
  dataRoot: string;
  services: ServiceName[];
  ownerPid: number;
}

export const DEFAULT_PROJECT_ID = "shopstream-local";

export function stackEnv(projectId: string, ports: Record<ServiceName, number>): StackEnv {
  return {
    GOOGLE_CLOUD_PROJECT: projectId,
    PUBSUB_EMULATOR_HOST: `127.0.0.1:${ports.pubsub}`,
    MONGODB_URI: mongoUri(ports.mongodb),
    BIGQUERY_EMULATOR_HOST: `${bigqueryApiEndpoint(ports.bigquery)}/bigquery/v2`,
    BIGQUERY_API_ENDPOINT: bigqueryApiEndpoint(ports.bigquery),
    METADATA_SERVER_DETECTION: "none",
    FAST_QUERY_PATH: "DISABLED",
  };
}

/** `export K=V` lines for a shell. */
export function formatEnv(env: StackEnv): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}=${JSON.stringify(v)}`)
    .join("\n");
}

/** Directory name of a profile (or of a separate instance of it) under .local/run and .local/data. */
const slotOf = (profile: Profile, instance?: string): string =>
  instance ? `${profile}-${instance}` : profile;

const stateFile = (paths: StackPaths, slot: string) => path.join(paths.runDir(slot), "stack.json");

function readState(paths: StackPaths, slot: string): StackState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(paths, slot), "utf8")) as StackState;
  } catch {
    return undefined;
  }
}

interface Built {
  state: StackState;
  controllers: Record<ServiceName, ServiceController>;
}

function build(
  state: StackState,
  paths: StackPaths,
  own: boolean,
  opts: Pick<StackOptions, "log" | "readyTimeoutMs" | "stopGraceMs">,
): Built {
  const slot = slotOf(state.profile, state.instance);
  const log = opts.log ?? ((line: string) => console.log(`[stack:${slot}] ${line}`));
  const controllers = {} as Record<ServiceName, ServiceController>;
  for (const name of SERVICE_NAMES) {
    controllers[name] = new ServiceController({
      profile: slot,
      ctx: {
        name,
        port: state.ports[name],
        projectId: state.projectId,
        dataDir: paths.dataDir(state.profile, name, state.dataRoot),
        paths,
      },
      runDir: paths.runDir(slot),
      paths,
      log,
      readyTimeoutMs: opts.readyTimeoutMs ?? 120_000,
      stopGraceMs: opts.stopGraceMs ?? 10_000,
      own,
    });
  }
  return { state, controllers };
}

function makeStack(
  b: Built,
  stopWhich: () => ServiceController[],
  add: (services: readonly ServiceName[]) => Promise<void>,
): Stack {
  return {
    profile: b.state.profile,
    projectId: b.state.projectId,
    ports: b.state.ports,
    env: stackEnv(b.state.projectId, b.state.ports),
    services: b.controllers,
    add,
    stop: async () => {
      await Promise.all(stopWhich().map((c) => c.stop()));
    },
  };
}

/**
 * Starts the stand-ins of a profile in parallel and waits until each answers at protocol level.
 *
 * A service already running from a previous start of the same profile (pid file, same port, healthy) is
 * reused. If the process that started it is gone, this process takes over and stops it with the stack;
 * otherwise (e.g. `stack up` running in another terminal) it is shared and left running by `stop()`.
 * With `fresh: true` previous instances are stopped and the data directories wiped.
 */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const paths = stackPaths();
  const profile = opts.profile;
  const ports = resolvePorts(profile, opts.ports);
  const wanted = [...(opts.services ?? SERVICE_NAMES)];
  const slot = slotOf(profile, opts.instance);
  const state: StackState = {
    profile,
    ...(opts.instance ? { instance: opts.instance } : {}),
    projectId: opts.projectId ?? DEFAULT_PROJECT_ID,
    ports,
    dataRoot: path.resolve(opts.dataDir ?? path.join(paths.local, "data", slot)),
    services: wanted,
    ownerPid: process.pid,
  };
  const previous = readState(paths, slot);
  const b = build(state, paths, true, opts);
  const log = opts.log ?? ((line: string) => console.log(`[stack:${slot}] ${line}`));

  // A previous instance started with other settings (or a fresh start): stop it using its own settings.
  const settingsChanged =
    previous &&
    (previous.projectId !== state.projectId ||
      previous.dataRoot !== state.dataRoot ||
      SERVICE_NAMES.some((n) => previous.ports[n] !== ports[n]));
  if (previous && (opts.fresh || settingsChanged)) {
    const live = Object.values(build(previous, paths, false, { log }).controllers).filter((c) => c.running);
    if (live.length > 0 && previous.ownerPid !== process.pid && isPidAlive(previous.ownerPid)) {
      throw new Error(
        `profile '${slot}' is in use by running process ${previous.ownerPid} ` +
          `(${live.map((c) => `${c.name}:${c.port}`).join(", ")}); ` +
          `${opts.fresh ? "a fresh start" : "other settings"} would break it. Stop it first ` +
          `('tsx tools/stack/src/cli.ts down --profile ${profile}') or use another profile.`,
      );
    }
    const old = build(previous, paths, false, { ...opts, log });
    await Promise.all(Object.values(old.controllers).map((c) => c.stop()));
  }

  const shared = new Set<ServiceName>();
  const started: ServiceName[] = [];
  mkdirSync(paths.runDir(slot), { recursive: true });
  let stateShared = false;
  const startServices = async (names: readonly ServiceName[]): Promise<void> => {
    const fresh = names.filter((n) => !started.includes(n));
    for (const name of fresh) {
      const c = b.controllers[name];
      const rec = c.record();
      if (!rec) continue;
      if (await c.healthy()) {
        // Owned by a live process, this one included: another startStack here (jest's globalSetup when a
        // test runs the main job in-process) owns it and stops it, not this stack.
        const ownerAlive =
          previous !== undefined && (previous.ownerPid === process.pid || isPidAlive(previous.ownerPid));
        if (ownerAlive) {
          shared.add(name);
          log(`${name}: reusing instance pid ${rec.pid} owned by running process ${previous?.ownerPid}`);
        } else {
          c.adopt();
          log(`${name}: reusing instance pid ${rec.pid} left by a previous run (now owned by this process)`);
        }
      } else {
        await c.stop();
      }
    }
    for (const name of fresh) {
      const dir = b.controllers[name].dataDir;
      if (opts.fresh) rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    }
    started.push(...fresh);
    if (shared.size > 0 && previous) stateShared = true;
    if (!stateShared) {
      state.services = [...started];
      writeFileSync(stateFile(paths, slot), `${JSON.stringify(state, null, 2)}\n`);
    }
    const results = await Promise.allSettled(fresh.map((n) => b.controllers[n].start()));
    const failures = results.flatMap((r) => (r.status === "rejected" ? [errorMessage(r.reason)] : []));
    if (failures.length > 0) {
      await Promise.all(started.filter((n) => !shared.has(n)).map((n) => b.controllers[n].stop()));
      throw new Error(`local stack (${slot}) failed to start:\n${failures.join("\n\n")}`);
    }
  };
  await startServices(wanted);
  return makeStack(
    b,
    () => started.filter((n) => !shared.has(n)).map((n) => b.controllers[n]),
    startServices,
  );
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface AttachOptions {
  profile: Profile;
  /** Same as StackOptions.instance. */
  instance?: string;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
  stopGraceMs?: number;
}

/**
 * Handles on a stack started by another process (e.g. jest globalSetup, from inside a test file).
 * `services.mongodb.stop()` / `.start()` act on the same pid file, port and data directory; an instance
 * started here stays owned by the process that started the stack (it is stopped by its teardown).
 * `stop()` of the returned stack stops nothing: it is the owner's job.
 */
export function attachStack(opts: AttachOptions): Stack {
  const paths = stackPaths();
  const slot = slotOf(opts.profile, opts.instance);
  const state = readState(paths, slot);
  if (!state) {
    throw new Error(
      `no local stack state for profile '${slot}' (${stateFile(paths, slot)}): ` +
        `start it first (jest globalSetup, or 'tsx tools/stack/src/cli.ts up --profile ${opts.profile}')`,
    );
  }
  const b = build(state, paths, false, opts);
  return makeStack(
    b,
    () => [],
    async () => {
      throw new Error(`an attached stack (profile '${slot}') cannot start services: its owner does`);
    },
  );
}

export interface ServiceStatus {
  name: ServiceName;
  port: number;
  pid?: number;
  running: boolean;
  healthy: boolean;
  logFile: string;
  dataDir: string;
}

function stateOrDefault(paths: StackPaths, profile: Profile): StackState {
  return (
    readState(paths, profile) ?? {
      profile,
      projectId: DEFAULT_PROJECT_ID,
      ports: resolvePorts(profile),
      dataRoot: path.join(paths.local, "data", profile),
      services: [...SERVICE_NAMES],
      ownerPid: 0,
    }
  );
}

/** Status of every service of a profile (pid files + one readiness probe each). */
export async function stackStatus(profile: Profile): Promise<ServiceStatus[]> {
  const paths = stackPaths();
  const b = build(stateOrDefault(paths, profile), paths, false, { log: () => {} });
  return Promise.all(
    SERVICE_NAMES.map(async (name) => {
      const c = b.controllers[name];
      const pid = c.pid();
      return {
        name,
        port: c.port,
        ...(pid !== undefined ? { pid } : {}),
        running: pid !== undefined,
        healthy: await c.healthy(),
        logFile: c.logFile,
        dataDir: c.dataDir,
      };
    }),
  );
}

/** Stops every service of a profile recorded in its pid files (data kept). */
export async function stopProfile(profile: Profile, log?: (line: string) => void): Promise<void> {
  const paths = stackPaths();
  const b = build(stateOrDefault(paths, profile), paths, false, { log: log ?? (() => {}) });
  await Promise.all(Object.values(b.controllers).map((c) => c.stop()));
}
