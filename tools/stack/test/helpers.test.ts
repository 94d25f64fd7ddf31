import { parseArgs, UsageError } from "../src/cli";
import {
  DEFAULT_PORTS,
  formatEnv,
  PROFILES,
  parseProcStat,
  parseSsListeners,
  resolvePorts,
  SERVICE_NAMES,
  stackEnv,
  waitUntilReady,
} from "../src/index";

describe("ports", () => {
  it("gives every profile distinct ports (dev, test and bench can run side by side)", () => {
    const all = PROFILES.flatMap((p) =>
      SERVICE_NAMES.flatMap((s) => [DEFAULT_PORTS[p][s], DEFAULT_PORTS[p][s] + 10]),
    );
    expect(new Set(all).size).toBe(all.length);
    expect(DEFAULT_PORTS.dev).toEqual({ pubsub: 8085, mongodb: 27017, bigquery: 9050 });
  });

  it("applies overrides and rejects clashes and invalid ports", () => {
    expect(resolvePorts("test", { mongodb: 40000 }).mongodb).toBe(40000);
    expect(() => resolvePorts("dev", { mongodb: 8085 })).toThrow(/clash/);
    expect(() => resolvePorts("dev", { pubsub: 9060 })).toThrow(/clash/); // bigquery gRPC = 9050 + 10
    expect(() => resolvePorts("dev", { pubsub: 70000 })).toThrow(/invalid port/);
  });

  it("parses ss output to name the process on a port", () => {
    const out = [
      'LISTEN 0 4096 127.0.0.1:9050 0.0.0.0:* users:(("python3.11",pid=4242,fd=6))',
      "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*",
    ].join("\n");
    expect(parseSsListeners(out, 9050)).toEqual({ pid: 4242, command: "python3.11" });
    expect(parseSsListeners(out, 22)?.pid).toBe(0);
    expect(parseSsListeners(out, 905)).toBeUndefined();
  });
});

describe("process", () => {
  it("parses /proc/<pid>/stat even when the command name has spaces and parentheses", () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = "S"; // state (field 3)
    fields[2] = "777"; // pgrp (field 5)
    fields[19] = "123456"; // starttime (field 22)
    const stat = `1234 (my (odd) cmd) ${fields.join(" ")}`;
    expect(parseProcStat(stat)).toEqual({ state: "S", pgid: 777, startTime: 123456 });
  });
});

describe("env", () => {
  it("points every client at the stand-ins", () => {
    const env = stackEnv("p1", { pubsub: 1, mongodb: 2, bigquery: 3 });
    expect(env).toEqual({
      GOOGLE_CLOUD_PROJECT: "p1",
      PUBSUB_EMULATOR_HOST: "127.0.0.1:1",
      MONGODB_URI: "mongodb://127.0.0.1:2/?directConnection=true",
      BIGQUERY_EMULATOR_HOST: "http://127.0.0.1:3/bigquery/v2",
      BIGQUERY_API_ENDPOINT: "http://127.0.0.1:3",
      METADATA_SERVER_DETECTION: "none",
      FAST_QUERY_PATH: "DISABLED",
    });
    expect(formatEnv(env)).toContain('export PUBSUB_EMULATOR_HOST="127.0.0.1:1"');
  });
});

describe("waitUntilReady", () => {
  it("retries until the probe passes", async () => {
    let n = 0;
    await waitUntilReady(
      async () => {
        n++;
        if (n < 3) throw new Error("not yet");
      },
      { timeoutMs: 2_000, intervalMs: 5 },
    );
    expect(n).toBe(3);
  });

  it("times out with the last probe error", async () => {
    await expect(
      waitUntilReady(
        async () => {
          throw new Error("connection refused");
        },
        { timeoutMs: 50, intervalMs: 10 },
      ),
    ).rejects.toThrow(/not ready after 50 ms.*connection refused/);
  });

  it("gives up early when told to", async () => {
    await expect(
      waitUntilReady(
        async () => {
          throw new Error("x");
        },
        { timeoutMs: 10_000, intervalMs: 10, giveUp: () => "process exited" },
      ),
    ).rejects.toThrow("process exited");
  });
});

describe("cli arguments", () => {
  it("parses command, profile and --fresh", () => {
    expect(parseArgs(["up"])).toEqual({ command: "up", profile: "dev", fresh: false });
    expect(parseArgs(["status", "--profile", "test"])).toEqual({
      command: "status",
      profile: "test",
      fresh: false,
    });
    expect(parseArgs(["up", "--profile=bench", "--fresh"])).toEqual({
      command: "up",
      profile: "bench",
      fresh: true,
    });
  });
});

describe("cli arguments that cannot run", () => {
  it.each([
    [[], /no command given/],
    [["start"], /unknown command "start" \(expected up, down, status\)/],
    [["up", "--profil", "test"], /Unknown option '--profil'/],
    [["up", "--profile"], /Option '--profile <value>' argument missing/],
    [["up", "--profile", "prod"], /unknown profile "prod" \(expected dev, test, bench\)/],
    [["up", "down"], /unexpected argument "down"/],
  ])("%j is refused with a reason and the usage line", (argv, reason) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(reason);
    expect(() => parseArgs(argv)).toThrow(/usage: tsx tools\/stack\/src\/cli\.ts up\|down\|status/);
  });
});
