/** The declaration's validator reports every problem at once, each naming its field. */
import {
  DECLARATION,
  declarationProblems,
  namesFor,
  type PlatformDeclaration,
  PlatformDeclarationError,
  platformNames,
  validateDeclaration,
} from "../src";

describe("the validator", () => {
  test("accepts the shipped declaration", () => {
    expect(declarationProblems(DECLARATION)).toEqual([]);
  });

  test("reports every problem of a broken declaration at once", () => {
    const broken: PlatformDeclaration = {
      app: "Google_Shop",
      environments: {
        local: { short: "loc", cloud: false },
        Dev: { short: "d", cloud: false },
        qa: { short: "loc", cloud: false, locations: { region: "moon" } },
      },
      locations: { region: "europe-west1", bigquery: "EU west", atlasRegion: "western europe" },
      delivery: {
        ackDeadlineSeconds: 5,
        minimumBackoffSeconds: 700,
        maximumBackoffSeconds: 60,
        maxDeliveryAttempts: 4,
      },
    };
    const problems = declarationProblems(broken);
    for (const expected of [
      /^app must be 3-12 lower-case/,
      /^app must not start with "goog" or contain "google"/,
      /^environments must declare at least one cloud environment/,
      /^environment name "Dev"/,
      /^environments\.Dev\.short must be 2-4/,
      /^environments\.qa\.short "loc" is already used by local/,
      /^environments\.qa: region must look like europe-west1, got "moon"/,
      /^locations\.bigquery must be a BigQuery location/,
      /^locations\.atlasRegion must be an Atlas region name/,
      /^delivery\.ackDeadlineSeconds must be an integer between 10 and 600/,
      /^delivery\.minimumBackoffSeconds must be an integer between 0 and 600/,
      /^delivery\.minimumBackoffSeconds \(700\) must not exceed maximumBackoffSeconds \(60\)/,
      /^delivery\.maxDeliveryAttempts must be an integer between 5 and 100/,
    ])
      expect([expected, problems.some((p) => expected.test(p))]).toEqual([expected, true]);
    expect(() => validateDeclaration(broken)).toThrow(PlatformDeclarationError);
  });

  test("an unknown environment names the declared ones", () => {
    expect(() => platformNames(DECLARATION, "qa")).toThrow(
      'environment "qa" is not declared in packages/platform/platform.ts (declared: local, dev, staging, prod)',
    );
  });
});

describe("derived names", () => {
  test("production keeps the names Terraform created before the declaration existed", () => {
    const prod = namesFor("prod");
    expect(prod.pubsub.topic).toBe("shopstream-prod-events");
    expect(prod.pubsub.subscriptions.ingestion).toBe("shopstream-prod-events-ingestion");
    expect(prod.pubsub.deadLetterTopics.analytics).toBe("shopstream-prod-events-analytics-dlq");
    expect(prod.pubsub.inspectionSubscriptions.analytics).toBe(
      "shopstream-prod-events-analytics-dlq-inspect",
    );
    expect(prod.bigquery).toMatchObject({
      rawDataset: "shopstream_prod_raw",
      analyticsDataset: "shopstream_prod_analytics",
    });
    expect(prod.mongodb).toMatchObject({
      database: "shopstream",
      collection: "events",
      cluster: "shopstream",
    });
    expect(prod.dataflow.serviceAccounts.ingestion).toBe("shopstream-prod-df-ingestion");
    expect(prod.dataflow.jobs.analytics).toBe("shopstream-prod-analytics");
    expect(prod.serviceAccounts.aggregates).toBe("shopstream-prod-agg");
    expect(prod.locations).toEqual({ region: "europe-west1", bigquery: "EU", atlasRegion: "WESTERN_EUROPE" });
  });

  test("the local stack is an environment like the others, with the same delivery policy", () => {
    const local = namesFor("local");
    expect(local.cloud).toBe(false);
    expect(local.pubsub.topic).toBe("shopstream-local-events");
    expect(local.delivery).toEqual(namesFor("prod").delivery);
  });

  test("SHOPSTREAM_ENV selects the environment, local by default", () => {
    const saved = process.env.SHOPSTREAM_ENV;
    try {
      delete process.env.SHOPSTREAM_ENV;
      expect(namesFor().environment).toBe("local");
      process.env.SHOPSTREAM_ENV = "staging";
      expect(namesFor().pubsub.topic).toBe("shopstream-staging-events");
    } finally {
      if (saved === undefined) delete process.env.SHOPSTREAM_ENV;
      else process.env.SHOPSTREAM_ENV = saved;
    }
  });

  test("an environment's locations override the platform's", () => {
    const d: PlatformDeclaration = {
      ...DECLARATION,
      environments: {
        ...DECLARATION.environments,
        us: { short: "us", cloud: true, locations: { bigquery: "US" } },
      },
    };
    expect(platformNames(d, "us").locations).toEqual({ ...DECLARATION.locations, bigquery: "US" });
  });
});
