/**
 * Naming limits: every derived resource name and ID, for every declared environment and for a fork
 * whose app name is as long as the declaration allows, is within the Google Cloud (or MongoDB) limit of
 * its resource type. Limits and their source documents are in src/limits.ts.
 */
import {
  bootstrapNames,
  checkName,
  DECLARATION,
  declarationProblems,
  LIMITS,
  LONGEST_PROJECT_ID,
  MAX_APP_LENGTH,
  MAX_ENVIRONMENT_LENGTH,
  namedBootstrapResources,
  namedResources,
  type PlatformDeclaration,
  platformNames,
  withProjectId,
} from "../src";

/** A fork at every length limit: longest app, longest environment name, longest short code. */
const longestFork: PlatformDeclaration = {
  ...DECLARATION,
  app: `a${"b".repeat(MAX_APP_LENGTH - 2)}c`,
  environments: {
    ...DECLARATION.environments,
    [`q${"a".repeat(MAX_ENVIRONMENT_LENGTH - 1)}`]: { short: "qaqa", cloud: true },
  },
};

const violations = (d: PlatformDeclaration) =>
  Object.keys(d.environments).flatMap((env) =>
    [...namedResources(platformNames(d, env)), ...namedBootstrapResources(bootstrapNames(d))]
      .map((r) => ({ env, ...r, name: withProjectId(r.name, LONGEST_PROJECT_ID) }))
      .map((r) => ({ ...r, problem: checkName(r.name, LIMITS[r.kind]) }))
      .filter((r) => r.problem !== undefined),
  );

describe("every derived name is within its limit", () => {
  test.each(Object.keys(DECLARATION.environments))("environment %s of the declaration", (env) => {
    const resources = namedResources(platformNames(DECLARATION, env));
    // every kind of name the platform creates is covered
    expect(new Set(resources.map((r) => r.kind)).size).toBeGreaterThanOrEqual(12);
    expect(violations({ ...DECLARATION, environments: { [env]: DECLARATION.environments[env]! } })).toEqual(
      [],
    );
  });

  test(`a fork with a ${MAX_APP_LENGTH}-character app name and a ${MAX_ENVIRONMENT_LENGTH}-character environment`, () => {
    expect(violations(longestFork)).toEqual([]);
    expect(declarationProblems(longestFork)).toEqual([]);
    // the longest names really are at the limit, so the bounds are tight rather than loose
    const names = platformNames(longestFork, `q${"a".repeat(MAX_ENVIRONMENT_LENGTH - 1)}`);
    expect(names.scheduledJobs.serviceAccounts.exporter).toHaveLength(30);
    expect(withProjectId(names.dataflow.tempBucket, LONGEST_PROJECT_ID)).toHaveLength(63);
  });

  test("staging's service-account IDs fit in 30 characters (they did not with <app>-<env>-df-<job>)", () => {
    const staging = platformNames(DECLARATION, "staging");
    const old = `${staging.prefix}-df-ingestion`;
    expect(checkName(old, LIMITS.serviceAccountId)).toMatch(/has 31 characters/);
    for (const id of Object.values(staging.dataflow.serviceAccounts))
      expect([id, checkName(id, LIMITS.serviceAccountId)]).toEqual([id, undefined]);
  });

  test("one character more than the declaration allows is refused before any name is derived", () => {
    const tooLong = { ...DECLARATION, app: `a${"b".repeat(MAX_APP_LENGTH - 1)}c` };
    expect(declarationProblems(tooLong)).toEqual([expect.stringMatching(/^app must be 3-12 /)]);
  });

  test("each limit names the document it comes from", () => {
    for (const [kind, limit] of Object.entries(LIMITS)) {
      expect([kind, limit.source.length > 20]).toEqual([kind, true]);
      expect([kind, limit.min <= limit.max]).toEqual([kind, true]);
    }
  });
});

describe("checkName refuses what Google Cloud refuses", () => {
  test.each([
    ["serviceAccountId", "abc12", /has 5 characters/],
    ["serviceAccountId", "shopstream-staging-df-ingestion", /has 31 characters/],
    ["serviceAccountId", "shop_stream-dev", /does not match/],
    ["pubsubResource", "goog-events", /must not start with "goog"/],
    ["pubsubResource", "1events", /does not match/],
    ["bucket", `${"p".repeat(30)}-shopstream-staging-dataflow-x${"x".repeat(10)}`, /has 70 characters/],
    ["bucket", "my-google-bucket", /must not contain "google"/],
    ["bigqueryDataset", "shopstream-dev_raw", /does not match/],
    ["mongodbDatabase", "shop.stream", /does not match/],
    ["workloadIdentityPool", "gcp-github", /must not start with "gcp-"/],
    ["computeResource", `a${"b".repeat(63)}`, /has 64 characters/],
  ] as const)("%s %s", (kind, name, problem) => {
    expect(checkName(name, LIMITS[kind])).toMatch(problem);
  });
});
