/** The production mode of the bundled dist, run as the runner runs it (runner-style environment, no credentials). */
import { expectOneError, runDist } from "@shopstream/build-actions/testing";

jest.setTimeout(120_000);

it("without Google credentials: one line that says to authenticate, and no crash", async () => {
  const run = await runDist("integration-test", {
    mode: "production",
    environment: "dev",
    "project-id": "shop-dev-123456",
    "timeout-seconds": "30",
  });
  expectOneError(run, "Could not load the default credentials", "google-github-actions/auth");
});

it("refuses a MongoDB URI in production mode in one line, masked", async () => {
  const run = await runDist("integration-test", {
    mode: "production",
    environment: "dev",
    "project-id": "shop-dev-123456",
    "mongodb-uri": "mongodb://u:pw-987654@10.0.0.5:27017/x",
  });
  expectOneError(run, "mongodb-uri is for mode: local only");
  expect(run.stdout).toContain("::add-mask::mongodb://u:pw-987654@10.0.0.5:27017/x");
});
