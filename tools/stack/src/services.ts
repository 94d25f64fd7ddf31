import { join } from "node:path";
import type { StackPaths } from "./paths";
import { BIGQUERY_GRPC_OFFSET, type ServiceName } from "./ports";
import { bigqueryProbe, mongoProbe, type Probe, pubsubProbe } from "./readiness";

/** Everything needed to run one stand-in. */
export interface ServiceContext {
  name: ServiceName;
  port: number;
  projectId: string;
  dataDir: string;
  paths: StackPaths;
}

export interface ServiceSpec {
  /** Human name of the stand-in (for messages). */
  title: string;
  command(ctx: ServiceContext): { cmd: string; args: string[]; env: NodeJS.ProcessEnv };
  /** Every TCP port the process binds (checked before starting). */
  ports(ctx: ServiceContext): number[];
  probe(ctx: ServiceContext): Probe;
  /** Where the binary comes from, for the "not installed" message. */
  binary(ctx: ServiceContext): string;
}

export const mongoUri = (port: number): string => `mongodb://127.0.0.1:${port}/?directConnection=true`;
export const bigqueryApiEndpoint = (port: number): string => `http://127.0.0.1:${port}`;

export const SPECS: Readonly<Record<ServiceName, ServiceSpec>> = {
  pubsub: {
    title: "Pub/Sub emulator (gcloud)",
    binary: () => "gcloud",
    command: (ctx) => ({
      cmd: "gcloud",
      args: [
        "beta",
        "emulators",
        "pubsub",
        "start",
        `--host-port=127.0.0.1:${ctx.port}`,
        `--project=${ctx.projectId}`,
        `--data-dir=${ctx.dataDir}`,
        "--quiet",
      ],
      env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: "1" },
    }),
    ports: (ctx) => [ctx.port],
    probe: (ctx) => pubsubProbe(ctx.port),
  },
  mongodb: {
    title: "FerretDB (MongoDB wire protocol, SQLite backend)",
    binary: (ctx) => ctx.paths.ferretdbBin,
    command: (ctx) => ({
      cmd: ctx.paths.ferretdbBin,
      args: [
        `--listen-addr=127.0.0.1:${ctx.port}`,
        "--handler=sqlite",
        `--sqlite-url=file:${ctx.dataDir}/`,
        `--state-dir=${ctx.dataDir}`,
        "--telemetry=disable",
        // The debug HTTP listener (pprof/metrics) defaults to 127.0.0.1:8088 for every instance: disable it.
        "--debug-addr=-",
        "--log-level=WARN",
      ],
      env: { ...process.env },
    }),
    ports: (ctx) => [ctx.port],
    probe: (ctx) => mongoProbe(mongoUri(ctx.port)),
  },
  bigquery: {
    title: "bqemulator (BigQuery REST + gRPC, DuckDB)",
    binary: (ctx) => ctx.paths.bqemulatorBin,
    // Started through tools/stack/bqemulator-launch.py, which switches off the whole-table copy bqemulator
    // makes after every write for time travel (unused here): otherwise every insert costs as much as the table.
    command: (ctx) => ({
      cmd: join(ctx.paths.local, "venv", "bin", "python"),
      args: [
        join(ctx.paths.repo, "tools", "stack", "bqemulator-launch.py"),
        "start",
        "--rest-host=127.0.0.1",
        `--rest-port=${ctx.port}`,
        "--grpc-host=127.0.0.1",
        `--grpc-port=${ctx.port + BIGQUERY_GRPC_OFFSET}`,
        "--persistent",
        `--data-dir=${ctx.dataDir}`,
        `--project=${ctx.projectId}`,
        "--log-level=warning",
        "--log-format=json",
      ],
      // DuckDB looks for extensions under $HOME/.duckdb: install.sh put spatial/avro there.
      env: { ...process.env, HOME: ctx.paths.duckdbHome },
    }),
    ports: (ctx) => [ctx.port, ctx.port + BIGQUERY_GRPC_OFFSET],
    probe: (ctx) => bigqueryProbe(bigqueryApiEndpoint(ctx.port), ctx.projectId),
  },
};
