import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { expectOneError, type Run, repo, runDist, runNode, work } from "./runner-env";

/**
 * Each failure path of each action's dist must end with exit code 1 and exactly one `::error::` line that
 * says what to do, never a Node stack trace (runner-env.ts runs the dists as the runner does).
 */
describe("terraform-plan dist", () => {
  it("refuses bad inputs in one line", async () => {
    expectOneError(await runDist("terraform-plan", { environment: "Prod!" }), "input environment must be");
  });
  it("names the missing tofu binary", async () => {
    expectOneError(
      await runDist("terraform-plan", { environment: "dev", "terraform-binary": join(work, "no-tofu") }),
      "cannot run",
      "terraform-binary",
    );
  });
  it("names a var file that does not exist", async () => {
    expectOneError(
      await runDist("terraform-plan", { environment: "dev", "var-files": "nowhere.tfvars.json" }),
      "var-files: nowhere.tfvars.json does not exist",
    );
  });
});

describe("terraform-apply dist", () => {
  const plan = join(work, "prod.tfplan");
  writeFileSync(plan, "binary plan");
  const sha = createHash("sha256").update("binary plan").digest("hex");
  const meta = join(work, "meta.json");
  writeFileSync(
    meta,
    JSON.stringify({ environment: "prod", sha256: sha, commit: "3333333333333333333333333333333333333333" }),
  );
  const inputs = { environment: "prod", "plan-file": plan, "meta-file": meta, "expected-sha256": sha };

  it("without a GitHub token says which input to pass", async () => {
    expectOneError(await runDist("terraform-apply", inputs), "github-token is required");
  });
  it("when the GitHub API cannot be reached names the call and the permission", async () => {
    expectOneError(
      await runDist("terraform-apply", { ...inputs, "github-token": "ghs_fake" }),
      "cannot read the GitHub environment prod",
      "actions: read",
    );
  });
  it("refuses a changed plan in one line", async () => {
    expectOneError(
      await runDist("terraform-apply", {
        ...inputs,
        "expected-sha256": "a".repeat(64),
        "github-token": "ghs_fake",
      }),
      "plan-changed",
    );
  });
});

describe("dataflow-template dist", () => {
  it("without built bundles says how to build them", async () => {
    expectOneError(
      await runDist("dataflow-template", {
        bucket: "shop-dev-udf",
        region: "europe-west1",
        "build-command": "",
        "udf-dir": join(work, "no-bundles"),
      }),
      "manifest.json not found",
      "build",
    );
  });
  it("a failing build command fails in one line", async () => {
    expectOneError(
      await runDist("dataflow-template", {
        bucket: "shop-dev-udf",
        region: "europe-west1",
        "build-command": "exit 3",
      }),
      "build-command failed (exit 3)",
    );
  });
  it("resolve without the releases bucket says which input to pass", async () => {
    expectOneError(
      await runDist("dataflow-template", {
        mode: "resolve",
        "source-environment": "dev",
        "target-environment": "staging",
      }),
      "releases-bucket: required in mode resolve",
    );
  });
  it("resolve of an environment's running release (drift, pull-request plans) without a token says which permission", async () => {
    expectOneError(
      await runDist("dataflow-template", {
        mode: "resolve",
        environment: "dev",
        "releases-bucket": "shopstream-releases",
      }),
      "github-token: required in mode resolve",
      "contents: read",
    );
  });
  it("an unknown mode names the ones there are", async () => {
    expectOneError(
      await runDist("dataflow-template", { mode: "promote" }),
      'mode: "promote" must be publish, release, resolve, record or verified',
    );
  });
});

describe("slack-notify dist", () => {
  it("without a token says which secret to pass", async () => {
    expectOneError(await runDist("slack-notify", { channel: "C0123ABCD", kind: "deploy" }), "token is empty");
  });
  it("when Slack cannot be reached says so in one line", async () => {
    expectOneError(
      await runDist("slack-notify", {
        token: "xoxb-fake",
        channel: "C0123ABCD",
        kind: "deploy",
        status: "success",
        retries: "0",
        "api-url": "http://127.0.0.1:1/api/",
      }),
      "could not reach Slack",
    );
  });
});

describe("integration-test dist", () => {
  it("refuses bad inputs in one line and masks the URI", async () => {
    const run = await runDist("integration-test", {
      "project-id": "p",
      "mongodb-uri": "mongodb://u:pw-123456@127.0.0.1:1/x",
    });
    expectOneError(run, "project-id must be a Google Cloud project ID");
    expect(run.stdout).toContain("::add-mask::mongodb://u:pw-123456@127.0.0.1:1/x");
  });
});

/** Bundles a fixture the way tools/build-actions bundles an action, then runs it with node. */
async function runBundled(script: string): Promise<Run> {
  const outfile = join(work, `${script.split("/").pop()}.cjs`);
  await build({
    entryPoints: [script],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile,
    logLevel: "error",
    absWorkingDir: repo,
  });
  return runNode(outfile, { PATH: process.env.PATH ?? "", HOME: work });
}

describe("runAction", () => {
  it("a rejection in the background after the action failed is one log line, not a second error or a crash", async () => {
    const run = await runBundled(join(__dirname, "fixtures", "background-after-failure.ts"));
    expectOneError(run, "cannot reach MongoDB");
    expect(run.stdout).toContain(
      "demo: also failed after the first error: Could not load the default credentials",
    );
    expect(run.stdout).toContain("google-github-actions/auth");
  });

  it("a background rejection while the action succeeds becomes the one error, with the fix", async () => {
    const run = await runBundled(join(__dirname, "fixtures", "background-while-ok.ts"));
    expectOneError(run, "demo: Could not load the default credentials", "google-github-actions/auth");
  });
});
