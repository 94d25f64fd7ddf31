/**
 * The variables that name the pipeline's resources and locate each service. The names' defaults come
 * from the platform declaration (packages/platform) for the environment in SHOPSTREAM_ENV (default
 * `local`, the stand-ins), so the producer, both workers, the local stack, the tests, the benchmarks and
 * Terraform agree; an explicit variable still overrides its default.
 */
import { namesFor, type PlatformNames } from "@shopstream/platform";

export { deadLetterTopicOf } from "@shopstream/platform";

import { int, str } from "./env";

/** Every resource variable, with defaults taken from `names`. */
export function resourceVariables(names: PlatformNames) {
  return {
    GOOGLE_CLOUD: {
      GOOGLE_CLOUD_PROJECT: str(
        "Google Cloud project ID (any name works against the emulators)",
        `${names.app}-local`,
      ),
    },
    PUBSUB: {
      EVENTS_TOPIC: str("Pub/Sub topic the shop publishes to", names.pubsub.topic),
      INGESTION_SUBSCRIPTION: str(
        "Subscription of the ingestion worker",
        names.pubsub.subscriptions.ingestion,
      ),
      ANALYTICS_SUBSCRIPTION: str(
        "Subscription of the analytics worker",
        names.pubsub.subscriptions.analytics,
      ),
      MAX_DELIVERY_ATTEMPTS: int(
        "Deliveries before Pub/Sub moves a message to the dead-letter topic",
        names.delivery.maxDeliveryAttempts,
        5,
        100,
      ),
    },
    MONGODB: {
      MONGODB_URI: str(
        "MongoDB connection string (Atlas in the cloud, FerretDB locally)",
        "mongodb://127.0.0.1:27017/",
      ),
      MONGODB_DATABASE: str("Database of the raw events", names.mongodb.database),
      MONGODB_COLLECTION: str("Collection of the raw events", names.mongodb.collection),
      MONGODB_DEADLETTER_COLLECTION: str("Collection of refused events", names.mongodb.deadLetterCollection),
    },
    BIGQUERY: {
      BIGQUERY_EMULATOR_HOST: str(
        "BigQuery endpoint override, e.g. http://127.0.0.1:9050 for the local emulator; 'none' for Google's API",
        "none",
      ),
      // The local analytics worker keeps `events`, its dead letters and the aggregates in one dataset;
      // in Google Cloud `events` and the dead-letter tables are in the raw dataset (see docs/architecture.md).
      BIGQUERY_DATASET: str(
        "Dataset of the events table, its dead letters and the aggregates",
        names.bigquery.analyticsDataset,
      ),
      BIGQUERY_LOCATION: str("Dataset location", names.locations.bigquery),
    },
  };
}

/** Names of the environment selected by SHOPSTREAM_ENV (default `local`). */
export const PLATFORM_NAMES: PlatformNames = namesFor();

export const { GOOGLE_CLOUD, PUBSUB, MONGODB, BIGQUERY } = resourceVariables(PLATFORM_NAMES);
