/**
 * The platform declaration: the one file a forking team edits to rename the platform, add an
 * environment or move it to another region. Every resource name (topics, subscriptions, datasets,
 * tables, MongoDB database and collections, Dataflow jobs, service accounts, buckets...) is derived
 * from it by packages/platform/src/derive.ts, for Terraform (through the generated
 * packages/platform/generated/terraform-platform.json), the local stack, the workers and the actions.
 *
 * After editing: `npm run generate:platform` (and `npm run check` proves the generated file fresh).
 * The validator reports every problem at once (packages/platform/src/validate.ts), including any
 * derived name that would exceed its Google Cloud limit.
 */
import type { PlatformDeclaration } from "./src/declaration";

export const PLATFORM: PlatformDeclaration = {
  // First part of every resource name: 3-12 lower-case letters, digits or hyphens (the limit keeps
  // every service-account ID within 30 characters and every bucket name within 63).
  app: "shopstream",

  // `short` (2-4 characters) replaces the environment name where Google Cloud's limits are tight:
  // service-account IDs. `cloud: false` marks the local stand-ins (no Terraform for it).
  environments: {
    local: { short: "loc", cloud: false },
    dev: { short: "dev", cloud: true },
    staging: { short: "stg", cloud: true },
    prod: { short: "prod", cloud: true },
  },

  // Where everything runs; an environment may override any of these with its own `locations`.
  locations: {
    region: "europe-west1",
    bigquery: "EU",
    atlasRegion: "WESTERN_EUROPE",
  },

  // Pub/Sub delivery policy of the workers' subscriptions, the same locally and in Google Cloud. The
  // retry backoff applies to nacked messages and to expired ack deadlines (a crashed worker): at most
  // 60 s keeps a redelivered event's delay within minutes of the 10 s latency objective, and a message
  // that keeps failing reaches its dead-letter topic after 10 attempts (about 4 minutes).
  delivery: {
    ackDeadlineSeconds: 60,
    minimumBackoffSeconds: 1,
    maximumBackoffSeconds: 60,
    maxDeliveryAttempts: 10,
  },
};
