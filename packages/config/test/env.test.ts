import { DECLARATION, namesFor, platformNames } from "@shopstream/platform";
import {
  BIGQUERY,
  bool,
  ConfigError,
  describeConfig,
  int,
  MONGODB,
  num,
  oneOf,
  PUBSUB,
  readConfig,
  resourceVariables,
  str,
} from "../src";

const specs = {
  NAME: str("a name"),
  SIZE: int("a size", 10, 1, 100),
  RATIO: num("a ratio", 0.5, 0, 1),
  ON: bool("a switch", false),
  MODE: oneOf("a mode", ["a", "b"] as const, "a"),
};

describe("readConfig", () => {
  it("applies defaults and parses values", () => {
    expect(readConfig(specs, { NAME: " shop ", SIZE: "42", ON: "yes" })).toEqual({
      NAME: "shop",
      SIZE: 42,
      RATIO: 0.5,
      ON: true,
      MODE: "a",
    });
  });

  it("lists every problem at once", () => {
    try {
      readConfig(specs, { SIZE: "1000", RATIO: "x", ON: "maybe", MODE: "c" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(5);
      expect(problems[0]).toMatch(/^NAME is required/);
      expect(problems.join("\n")).toMatch(/SIZE must be an integer between 1 and 100, got "1000"/);
      expect((error as Error).message).toMatch(/MODE must be one of a, b/);
    }
  });

  it("documents the variables as a table", () => {
    expect(describeConfig(specs)).toMatch(/\| `SIZE` \| integer 1..100 \| `10` \| a size \|/);
  });
});

describe("resource names come from the platform declaration", () => {
  test("defaults are the local environment's names and delivery policy", () => {
    const local = namesFor("local");
    const config = readConfig({ ...PUBSUB, ...MONGODB, ...BIGQUERY }, {});
    expect(config).toMatchObject({
      EVENTS_TOPIC: local.pubsub.topic,
      INGESTION_SUBSCRIPTION: local.pubsub.subscriptions.ingestion,
      ANALYTICS_SUBSCRIPTION: local.pubsub.subscriptions.analytics,
      MAX_DELIVERY_ATTEMPTS: local.delivery.maxDeliveryAttempts,
      MONGODB_DATABASE: local.mongodb.database,
      MONGODB_COLLECTION: local.mongodb.collection,
      MONGODB_DEADLETTER_COLLECTION: local.mongodb.deadLetterCollection,
      BIGQUERY_DATASET: local.bigquery.analyticsDataset,
      BIGQUERY_LOCATION: local.locations.bigquery,
    });
  });

  test("an explicit variable still overrides the declaration", () => {
    const config = readConfig(PUBSUB, { EVENTS_TOPIC: "it-topic" });
    expect(config.EVENTS_TOPIC).toBe("it-topic");
  });

  test("another environment's names are one call away", () => {
    const staging = resourceVariables(platformNames(DECLARATION, "staging"));
    expect(readConfig(staging.PUBSUB, {}).EVENTS_TOPIC).toBe("shopstream-staging-events");
  });
});
