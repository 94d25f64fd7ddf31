import { execFileSync } from "node:child_process";
import net from "node:net";

export type Profile = "dev" | "test" | "bench";
export type ServiceName = "pubsub" | "mongodb" | "bigquery";
export const SERVICE_NAMES: readonly ServiceName[] = ["pubsub", "mongodb", "bigquery"];
export const PROFILES: readonly Profile[] = ["dev", "test", "bench"];

/**
 * Fixed default ports per profile, so `npm start` (dev), `npm test` (test) and benchmarks (bench) can run
 * side by side. bqemulator also listens on gRPC (Storage Read/Write API) at the BigQuery port + 10.
 */
export const DEFAULT_PORTS: Readonly<Record<Profile, Readonly<Record<ServiceName, number>>>> = {
  dev: { pubsub: 8085, mongodb: 27017, bigquery: 9050 },
  test: { pubsub: 18085, mongodb: 37017, bigquery: 19050 },
  bench: { pubsub: 28085, mongodb: 47017, bigquery: 29050 },
};

/** Offset of bqemulator's gRPC port from its REST port. */
export const BIGQUERY_GRPC_OFFSET = 10;

export function resolvePorts(
  profile: Profile,
  overrides: Partial<Record<ServiceName, number>> = {},
): Record<ServiceName, number> {
  const ports = { ...DEFAULT_PORTS[profile], ...overrides };
  for (const name of SERVICE_NAMES) {
    const port = ports[name];
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`invalid port for ${name}: ${String(port)}`);
    }
  }
  const all = [...SERVICE_NAMES.map((n) => ports[n]), ports.bigquery + BIGQUERY_GRPC_OFFSET];
  if (new Set(all).size !== all.length) throw new Error(`ports clash: ${JSON.stringify(ports)}`);
  return ports;
}

/** True when nothing listens on 127.0.0.1:port (we can bind it ourselves). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface PortOwner {
  pid: number;
  command: string;
}

/**
 * Parses `ss -Hltnp` output and returns the process listening on `port`, if the line names one.
 * Example line: `LISTEN 0 4096 127.0.0.1:9050 0.0.0.0:* users:(("python3",pid=123,fd=6))`
 */
export function parseSsListeners(output: string, port: number): PortOwner | undefined {
  for (const line of output.split("\n")) {
    const cols = line.trim().split(/\s+/);
    const local = cols[3];
    if (!local?.endsWith(`:${port}`)) continue;
    const m = /users:\(\("([^"]*)",pid=(\d+)/.exec(line);
    if (m) return { command: m[1] ?? "?", pid: Number(m[2]) };
    return { command: "unknown (run as root to see it)", pid: 0 };
  }
  return undefined;
}

/** Best-effort lookup of the process that listens on a TCP port (uses `ss`, absent on some machines). */
export function findPortOwner(port: number): PortOwner | undefined {
  try {
    const out = execFileSync("ss", ["-Hltnp", `sport = :${port}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return parseSsListeners(out, port);
  } catch {
    return undefined;
  }
}

export function describePortOwner(port: number): string {
  const owner = findPortOwner(port);
  if (!owner) return `port ${port} is in use`;
  return owner.pid > 0
    ? `port ${port} is in use by pid ${owner.pid} (${owner.command})`
    : `port ${port} is in use by ${owner.command}`;
}
