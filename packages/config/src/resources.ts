/**
 * Names of the pipeline's resources and the variables that locate each service. One place, so the
 * producer, both workers, the local main job, the tests and the benchmarks agree.
 */
import { int, str } from "./env";

export const GOOGLE_CLOUD = {
  GOOGLE_CLOUD_PROJECT: str(
    "Google Cloud project ID (any name works against the emulators)",
    "shopstream-local",
  ),
};

export const PUBSUB = {
  EVENTS_TOPIC: str("Pub/Sub topic the shop publishes to", "shop-events"),
  INGESTION_SUBSCRIPTION: str("Subscription of the ingestion worker", "shop-events-ingestion"),
  ANALYTICS_SUBSCRIPTION: str("Subscription of the analytics worker", "shop-events-analytics"),
  MAX_DELIVERY_ATTEMPTS: int(
    "Deliveries before Pub/Sub moves a message to the dead-letter topic",
    10,
    5,
    100,
  ),
};

export const MONGODB = {
  MONGODB_URI: str(
    "MongoDB connection string (Atlas in the cloud, FerretDB locally)",
    "mongodb://127.0.0.1:27017/",
  ),
  MONGODB_DATABASE: str("Database of the raw events", "shop"),
  MONGODB_COLLECTION: str("Collection of the raw events", "events_raw"),
  MONGODB_DEADLETTER_COLLECTION: str("Collection of refused events", "events_deadletter"),
};

export const BIGQUERY = {
  BIGQUERY_EMULATOR_HOST: str(
    "BigQuery endpoint override, e.g. http://127.0.0.1:9050 for the local emulator; 'none' for Google's API",
    "none",
  ),
  BIGQUERY_DATASET: str("Dataset of the events table, its dead letters and the aggregates", "shop_analytics"),
  BIGQUERY_LOCATION: str("Dataset location", "US"),
};

/** Dead-letter topic of a subscription: same name with a -dlq suffix. */
export function deadLetterTopicOf(subscription: string): string {
  return `${subscription}-dlq`;
}
