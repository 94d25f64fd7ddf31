/** jest globalTeardown of the integration project: stops the `test` stack started by global-setup.ts. */
import { stopProfile } from "@shopstream/stack";

export default async function globalTeardown(): Promise<void> {
  const stack = globalThis.__LOCAL_STACK__;
  if (stack) {
    await stack.stop();
    globalThis.__LOCAL_STACK__ = undefined;
  }
  // Also stops an instance that a test restarted after stop() and that is recorded only in the pid files.
  await stopProfile("test");
}
