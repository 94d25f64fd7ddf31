/**
 * Production mode end to end against the testkit's fake Cloud Run Admin API v2 (and the Cloud Storage
 * object calls the result travels through): publish -> jobs.run with overrides -> poll the operation ->
 * read the result the job wrote. Each failure path ends in one actionable error.
 */
import type { PubSub } from "@google-cloud/pubsub";
import {
  carriesReason,
  parseExpectations,
  type VerifyExpectations,
  type VerifyResult,
  writeVerifyResult,
} from "@shopstream/reconciler";
import { FakeCloudRunServer, type FakeRunOverrides } from "@shopstream/testkit";
import { readInputs } from "../src/inputs";
import { type ProductionConfig, runProductionTest } from "../src/production";

const JOB = "projects/shop-prod-123/locations/europe-west1/jobs/shopstream-prod-itest-verify";
const BUCKET = "shopstream-prod-itest-results";

/** A Pub/Sub client that records what the action publishes (the emulator path is tested locally). */
function recordingPubSub() {
  const published: { topic: string; data: Buffer; attributes: Record<string, string> }[] = [];
  const client = {
    topic: (topic: string) => ({
      publishMessage: async (m: { data: Buffer; attributes: Record<string, string> }) => {
        published.push({ topic, ...m });
        return String(published.length);
      },
    }),
  } as unknown as PubSub;
  return { client, published };
}

const envOf = (overrides: FakeRunOverrides) =>
  Object.fromEntries((overrides.containerOverrides?.[0]?.env ?? []).map((e) => [e.name, e.value]));

/** What the real job does at the end: write its result with writeVerifyResult, here into the fake. */
async function writeResult(server: FakeCloudRunServer, expected: VerifyExpectations, ok: boolean) {
  const seen = Object.fromEntries(expected.eventIds.map((id) => [id, Date.now()]));
  const result: VerifyResult = {
    runId: expected.runId,
    ok,
    checks: [
      {
        name: "every valid event in MongoDB",
        ok: true,
        detail: `${expected.eventIds.length}/${expected.eventIds.length}`,
      },
      ok
        ? { name: "poison messages dead-lettered with reasons (ingestion: d.dl)", ok: true, detail: "10/10" }
        : {
            name: "poison messages dead-lettered with reasons (ingestion: d.dl)",
            ok: false,
            detail: "not JSON: not dead-lettered",
          },
    ],
    firstSeen: { mongodb: seen, bigquery: seen },
    resolutionMs: 1000,
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
  };
  await writeVerifyResult(result, {
    bucket: BUCKET,
    endpoint: server.url,
    token: async () => server.token ?? "",
  });
}

describe("integration-test production mode (fake Cloud Run Admin API v2)", () => {
  let server: FakeCloudRunServer;
  let lines: string[];
  beforeEach(async () => {
    server = await new FakeCloudRunServer().start();
    lines = [];
  });
  afterEach(async () => server.stop());

  const config = (over: Partial<ProductionConfig> = {}): ProductionConfig => ({
    topic: "shopstream-prod-events",
    job: JOB,
    resultsBucket: BUCKET,
    timeoutMs: 60000,
    pollMs: 20,
    latencyThresholdMs: 10000,
    latencyObjective: 0.95,
    ...over,
  });
  const deps = (pubsub: PubSub) => ({
    pubsub,
    rest: { runEndpoint: server.url, storageEndpoint: server.url, token: async () => server.token ?? "" },
    log: (line: string) => lines.push(line),
  });

  it("publishes, runs the verify job with the run's expectations as overrides and reports its checks", async () => {
    let seen: FakeRunOverrides | undefined;
    server.jobs.set(JOB, async (overrides) => {
      seen = overrides;
      // Finish only after the action polled the running execution at least once.
      while (!server.calls.some((c) => c.method === "GET" && c.path.includes("/operations/")))
        await new Promise((r) => setTimeout(r, 5));
      await writeResult(
        server,
        JSON.parse(envOf(overrides).VERIFY_EXPECTATIONS ?? "") as VerifyExpectations,
        true,
      );
      return { succeeded: true };
    });
    const { client, published } = recordingPubSub();
    const result = await runProductionTest(deps(client), config());

    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => c.ok)).toEqual([true, true]);
    expect(result.cleanup).toBe("skipped");
    expect(result.latency.p50).toBeGreaterThanOrEqual(0);
    // The request body is RunJobRequest JSON: overrides.containerOverrides[].args/env, a Duration timeout.
    const run = server.calls.find((c) => c.method === "POST" && c.path === `/v2/${JOB}:run`);
    expect(run?.body).toEqual({
      overrides: expect.objectContaining({ timeout: expect.stringMatching(/^\d+s$/) }),
    });
    expect(seen?.containerOverrides?.[0]?.args).toEqual(["verify"]);
    const expected = JSON.parse(envOf(seen ?? {}).VERIFY_EXPECTATIONS ?? "") as VerifyExpectations;
    expect(expected.runId).toBe(result.runId);
    expect(expected.eventIds).toHaveLength(result.batch.events);
    // Every event was published, duplicates twice, and every poison message once.
    expect(published.length).toBe(result.batch.events + result.batch.duplicates + result.batch.poison);
    // Poison expectations: the payload as the template records it and the validator's reason of that text.
    const utf8 = expected.poison.find((p) => p.label === "invalid UTF-8");
    expect(utf8?.payloadString).toContain("\uFFFD(");
    expect(utf8?.reason).not.toBe("payload: not valid UTF-8"); // the template decodes before the UDF sees it
    expect(expected.poison.find((p) => p.label === "not JSON")?.reason).toBe("payload: not valid JSON");
    expect(lines.some((l) => /^waiting for .*executions\/.*: 1 running/.test(l))).toBe(true);
  });

  it("reports the job's failed checks as a failed run", async () => {
    server.jobs.set(JOB, async (overrides) => {
      await writeResult(
        server,
        JSON.parse(envOf(overrides).VERIFY_EXPECTATIONS ?? "") as VerifyExpectations,
        false,
      );
      return { succeeded: true };
    });
    const result = await runProductionTest(deps(recordingPubSub().client), config());
    expect(result.ok).toBe(false);
    expect(result.checks.find((c) => !c.ok)?.detail).toBe("not JSON: not dead-lettered");
  });

  it("fails with the execution's reason and where its logs are when the job fails", async () => {
    server.jobs.set(JOB, () => ({
      failed: "verify failed: connection <monitor> to 10.0.0.5:27017 timed out",
    }));
    await expect(runProductionTest(deps(recordingPubSub().client), config())).rejects.toThrow(
      /execution projects\/.*\/executions\/.* failed \(run .*\): Task .* failed with message: verify failed: connection <monitor> to 10\.0\.0\.5:27017 timed out.*its logs say why: https:\/\//,
    );
  });

  it("fails the same way when the failed execution is the operation's response", async () => {
    server.failureAs = "response";
    server.jobs.set(JOB, () => ({ failed: "verify failed: VERIFY_EXPECTATIONS is not JSON" }));
    await expect(runProductionTest(deps(recordingPubSub().client), config())).rejects.toThrow(
      /failed \(run .*\): tasks failed \[Completed: Task .* failed with message: verify failed: VERIFY_EXPECTATIONS is not JSON\]/,
    );
  });

  it("times out when the execution does not finish, naming it", async () => {
    server.jobs.set(JOB, () => ({ hang: true }));
    await expect(
      runProductionTest(deps(recordingPubSub().client), config({ timeoutMs: 300 })),
    ).rejects.toThrow(
      /timed out after 0 s waiting for execution .*executions\/.* of .*; it may still be running/,
    );
  });

  it("explains a permission refusal with the permission and role needed", async () => {
    server.jobs.set(JOB, () => ({ succeeded: true }));
    server.denied.add(JOB);
    await expect(runProductionTest(deps(recordingPubSub().client), config())).rejects.toThrow(
      /refused \(permission denied\): the deploy identity needs run\.jobs\.runWithOverrides .* PERMISSION_DENIED Permission 'run\.jobs\.runWithOverrides' denied/,
    );
  });

  it("fails when the job succeeded without writing a result", async () => {
    server.jobs.set(JOB, () => ({ succeeded: true }));
    await expect(runProductionTest(deps(recordingPubSub().client), config())).rejects.toThrow(
      /succeeded but wrote no result for run .* at gs:\/\/shopstream-prod-itest-results\/integration-test\//,
    );
  });

  it("names the job when it does not exist", async () => {
    await expect(runProductionTest(deps(recordingPubSub().client), config())).rejects.toThrow(
      /not found .*has terraform applied modules\/jobs/,
    );
  });
});

describe("production-mode inputs", () => {
  const read = (values: Record<string, string>) => (name: string) => values[name] ?? "";
  it("derives the verify job and the results bucket from the declaration and the jobs module's defaults", () => {
    const inputs = readInputs(
      read({ mode: "production", "project-id": "shop-dev-123", environment: "dev" }),
      "/w",
    );
    expect(inputs.mode).toBe("production");
    expect(inputs.verifyJob).toMatch(
      /^projects\/shop-dev-123\/locations\/[a-z]+-[a-z]+\d+\/jobs\/[a-z0-9-]+-itest-verify$/,
    );
    expect(inputs.resultsBucket).toBe("shop-dev-123-itest-results");
    expect(inputs.runEndpoint).toBe("https://run.googleapis.com");
  });
  it("refuses a MongoDB URI in production mode and an unknown mode, in one error", () => {
    expect(() =>
      readInputs(
        read({
          mode: "production",
          "project-id": "shop-dev-123",
          environment: "dev",
          "mongodb-uri": "mongodb://x",
        }),
        "/w",
      ),
    ).toThrow(/mongodb-uri is for mode: local only/);
    expect(() =>
      readInputs(read({ mode: "cloud", "project-id": "shop-dev-123", environment: "dev" }), "/w"),
    ).toThrow(/mode must be local or production, got "cloud"/);
  });
  it("still requires the URI in local mode", () => {
    expect(() => readInputs(read({ "project-id": "shop-dev-123", environment: "dev" }), "/w")).toThrow(
      /mongodb-uri must be a MongoDB connection string/,
    );
  });
});

describe("template dead letters", () => {
  it("finds the validator's reason inside Nashorn's wrapped message, whole", () => {
    const wrapped =
      "Error: properties.revenue: exceeds the maximum amount 1000000000 in <eval> at line number 623 at column number 12";
    expect(carriesReason(wrapped, "properties.revenue: exceeds the maximum amount 1000000000")).toBe(true);
    expect(carriesReason(wrapped, "properties.revenue: nope")).toBe(false);
    expect(carriesReason(null, "x")).toBe(false);
    expect(carriesReason(wrapped, "")).toBe(false);
  });
  it("refuses malformed expectations with what is wrong", () => {
    expect(() => parseExpectations("{")).toThrow(/VERIFY_EXPECTATIONS is not JSON/);
    expect(() => parseExpectations('{"runId":"x"}')).toThrow(
      /missing or has invalid: runId, eventIds, poison, orders, runField/,
    );
  });
});
