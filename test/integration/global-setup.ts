/**
 * jest globalSetup of the integration project: starts the `test` profile of the local stack from scratch
 * and exports its environment to the test workers (jest workers inherit process.env set here).
 * Test files reach the running services with `attachStack({ profile: "test" })` from tools/stack.
 */
import { type Stack, startStack } from "@shopstream/stack";

declare global {
  var __LOCAL_STACK__: Stack | undefined;
}

export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  const stack = await startStack({
    profile: "test",
    fresh: true,
    log: (line) => process.stderr.write(`[stack:test] ${line}\n`),
  });
  Object.assign(process.env, stack.env);
  globalThis.__LOCAL_STACK__ = stack;
  process.stderr.write(`[stack:test] up in ${Date.now() - t0} ms\n`);
}
