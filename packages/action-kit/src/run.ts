/**
 * The error boundary of every action. `src/index.ts` of an action calls {@link runAction}, which runs the
 * action's `run()` so that every failure path ends in exactly one actionable `::error::` line and exit code 1,
 * never in a Node crash; `run()` itself is wrapped in {@link failureBoundary} so that tests calling it directly
 * see the same one error line.
 *   - a rejection or exception that escapes `run()` (a client library's background promise, such as the
 *     Google auth lookup of a gRPC stub created before the action failed) is reported once, not as a stack
 *     trace; once the action has failed, later ones are logged as plain lines;
 *   - errors that a user can fix get the fix appended (missing Google credentials, for example);
 *   - open handles (gRPC channels, sockets) cannot keep the step running after `run()` has finished.
 */
import * as core from "@actions/core";

/** Known errors and what to do about them. */
const HINTS: readonly [RegExp, string][] = [
  [
    /Could not load the default credentials|Unable to detect a Project Id|invalid_grant|Could not refresh access token/i,
    "no usable Google Cloud credentials: run google-github-actions/auth (Workload Identity Federation) in this job before this step, with the service account of this environment",
  ],
  [
    /Bad credentials|Resource not accessible by integration|requires authentication/i,
    "the GitHub token cannot do this: pass github-token (default github.token) and grant the job the permissions listed in the action's README",
  ],
];

/** The error's message with the hint that applies to it, as one line. */
export function explain(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).trim() || "unknown error";
  const hint = HINTS.find(([re]) => re.test(message))?.[1];
  return hint && !message.includes(hint) ? `${message} (${hint})` : message;
}

/**
 * Wraps an action's `run`: whatever it throws becomes one `core.setFailed` line, `prefix` first (an action
 * name, or "" where the message names its input), `describe` turning the error into words (default: its
 * message), then {@link explain}'s hint. Tests call the wrapped `run` directly; the bundle calls it through
 * {@link runAction}.
 */
export function failureBoundary<Args extends unknown[]>(
  body: (...args: Args) => Promise<void>,
  options: { prefix?: string; describe?: (error: unknown) => string } = {},
): (...args: Args) => Promise<void> {
  const prefix = options.prefix ? `${options.prefix}: ` : "";
  return async (...args: Args) => {
    try {
      await body(...args);
    } catch (error) {
      core.setFailed(`${prefix}${explain(options.describe ? new Error(options.describe(error)) : error)}`);
    }
  };
}

/** How long open handles may keep the process alive after `run()` has finished. */
const EXIT_GRACE_MS = 5_000;

/**
 * Runs an action. `run` reports its own failures with `core.setFailed` (which sets exit code 1); anything that
 * escapes it, or rejects in the background, is reported here: as the one error line when the action has not
 * failed yet, otherwise as a plain log line.
 */
export function runAction(name: string, run: () => Promise<void>): void {
  let settled = false;
  const pending: unknown[] = [];
  const report = (error: unknown) => {
    if (process.exitCode === 1) core.info(`${name}: also failed after the first error: ${explain(error)}`);
    else core.setFailed(`${name}: ${explain(error)}`);
  };
  // Background failures wait for run() to finish: its own error, when it has one, is the one that counts.
  const background = (error: unknown) => (settled ? report(error) : pending.push(error));
  process.on("unhandledRejection", background);
  process.on("uncaughtException", background);
  run()
    .catch(report)
    .finally(() => {
      settled = true;
      for (const error of pending.splice(0)) report(error);
      setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
    });
}
