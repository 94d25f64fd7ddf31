/**
 * tsx tools/stack/src/cli.ts up|down|status [--profile dev|test|bench] [--fresh]
 *
 * up:     starts the stand-ins, prints the environment to export, keeps running until Ctrl-C.
 * down:   stops the services recorded in the profile's pid files (data kept).
 * status: pid, port and health of each service.
 */
import { parseArgs as parseArgv } from "node:util";
import { PROFILES, type Profile } from "./ports";
import { formatEnv, stackStatus, startStack, stopProfile } from "./stack";

const USAGE = "usage: tsx tools/stack/src/cli.ts up|down|status [--profile dev|test|bench] [--fresh]";
const COMMANDS = ["up", "down", "status"] as const;

/** A command line the CLI cannot run; the message says what is wrong. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
    this.name = "UsageError";
  }
}

const parseStrict = (args: string[]) =>
  parseArgv({
    args,
    allowPositionals: true,
    strict: true,
    options: { profile: { type: "string", default: "dev" }, fresh: { type: "boolean", default: false } },
  });

/** The command line (node:util parseArgs, strict: an unknown flag or a missing value is an error). */
export function parseArgs(argv: string[]): {
  command: (typeof COMMANDS)[number];
  profile: Profile;
  fresh: boolean;
} {
  let parsed: ReturnType<typeof parseStrict>;
  try {
    parsed = parseStrict(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [command, ...extra] = parsed.positionals;
  if (!COMMANDS.includes(command as (typeof COMMANDS)[number]))
    throw new UsageError(
      command === undefined
        ? "no command given"
        : `unknown command "${command}" (expected ${COMMANDS.join(", ")})`,
    );
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const profile = parsed.values.profile;
  if (!PROFILES.includes(profile as Profile))
    throw new UsageError(`unknown profile "${profile}" (expected ${PROFILES.join(", ")})`);
  return {
    command: command as (typeof COMMANDS)[number],
    profile: profile as Profile,
    fresh: parsed.values.fresh,
  };
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const { command, profile, fresh } = args;
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
