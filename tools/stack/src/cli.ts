/**
 * tsx tools/stack/src/cli.ts up|down|status [--profile dev|test|bench] [--fresh]
 *
 * up:     starts the stand-ins, prints the environment to export, keeps running until Ctrl-C.
 * down:   stops the services recorded in the profile's pid files (data kept).
 * status: pid, port and health of each service.
 */
import { PROFILES, type Profile } from "./ports";
import { formatEnv, stackStatus, startStack, stopProfile } from "./stack";

function usage(): never {
  console.error("usage: tsx tools/stack/src/cli.ts up|down|status [--profile dev|test|bench] [--fresh]");
  process.exit(2);
}

export function parseArgs(argv: string[]): {
  command: "up" | "down" | "status";
  profile: Profile;
  fresh: boolean;
} {
  const [command, ...rest] = argv;
  if (command !== "up" && command !== "down" && command !== "status") usage();
  let profile: Profile = "dev";
  let fresh = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? "";
    const value = a.startsWith("--profile=")
      ? a.slice("--profile=".length)
      : a === "--profile"
        ? rest[++i]
        : undefined;
    if (value !== undefined) {
      if (!PROFILES.includes(value as Profile)) usage();
      profile = value as Profile;
    } else if (a === "--fresh") fresh = true;
    else usage();
  }
  return { command, profile, fresh };
}

async function main(): Promise<void> {
  const { command, profile, fresh } = parseArgs(process.argv.slice(2));
  if (command === "status") {
    for (const s of await stackStatus(profile)) {
      const state = s.running ? (s.healthy ? "running, healthy" : "running, NOT answering") : "stopped";
      console.log(
        `${s.name.padEnd(9)} port ${String(s.port).padEnd(6)} ${state}${s.pid ? ` (pid ${s.pid})` : ""}  log ${s.logFile}`,
      );
    }
    return;
  }
  if (command === "down") {
    await stopProfile(profile, (l) => console.log(`[stack:${profile}] ${l}`));
    return;
  }
  const stack = await startStack({ profile, fresh });
  console.log(`\n# local stack '${profile}' is up; in another shell:\n${formatEnv(stack.env)}\n`);
  console.log("# Ctrl-C stops it (data is kept under .local/data/).");
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stack.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  setInterval(() => {}, 1 << 30);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
