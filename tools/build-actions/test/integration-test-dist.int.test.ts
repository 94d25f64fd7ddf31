import { DEFAULT_PORTS, mongoUri } from "@shopstream/stack";
import { expectOneError, runDist } from "./runner-env";

/**
 * The integration-test dist with a reachable MongoDB (the test profile's stand-in) and no Google credentials:
 * its Pub/Sub client's credential lookup used to reject in the background after the action had failed, and
 * Node crashed with a stack trace.
 */
it("fails with one line that says to authenticate, and no crash", async () => {
  const run = await runDist("integration-test", {
    // Names come from the platform declaration for this environment (the action has no name defaults).
    environment: "dev",
    "project-id": "shop-dev-123456",
    "mongodb-uri": mongoUri(DEFAULT_PORTS.test.mongodb),
    "timeout-seconds": "30",
  });
  expectOneError(run, "Could not load the default credentials", "google-github-actions/auth");
}, 120_000);
