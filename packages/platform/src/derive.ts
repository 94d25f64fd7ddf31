/**
 * Every resource name of one environment, derived from the declaration in one place. Terraform reads
 * the cloud environments' names from the generated JSON (scripts/generate.ts); packages/config, the
 * local provisioning and the actions call `platformNames` directly.
 *
 * Names that embed the Google Cloud project ID (globally unique bucket names) keep the placeholder
 * `{project_id}`; Terraform fills it in, `withProjectId` does it in TypeScript.
 */
import type { DeliveryPolicy, Locations, PlatformDeclaration } from "./declaration";

/** The two stream consumers: each has a subscription, a dead-letter topic and a Dataflow job. */
export const CONSUMERS = ["ingestion", "analytics"] as const;
export type Consumer = (typeof CONSUMERS)[number];

/** The scheduled Cloud Run jobs (Cloud Scheduler triggers each). */
export const SCHEDULED_JOBS = ["reconciler", "exporter"] as const;
export type ScheduledJob = (typeof SCHEDULED_JOBS)[number];

/** Placeholder for the project ID in globally unique names. */
export const PROJECT_ID_PLACEHOLDER = "{project_id}";

export interface PlatformNames {
  app: string;
  environment: string;
  /** `<app>-<environment>`: the prefix of display names and of the SLO filters' `{name_prefix}`. */
  prefix: string;
  cloud: boolean;
  locations: Locations;
  delivery: DeliveryPolicy;
  pubsub: {
    topic: string;
    schema: string;
    subscriptions: Record<Consumer, string>;
    deadLetterTopics: Record<Consumer, string>;
    inspectionSubscriptions: Record<Consumer, string>;
  };
  bigquery: {
    rawDataset: string;
    analyticsDataset: string;
    eventsTable: string;
    deadLetterTables: Record<Consumer, string>;
    /** Display names of the scheduled queries are `<prefix><aggregate>`. */
    scheduledQueryPrefix: string;
  };
  mongodb: {
    atlasProject: string;
    cluster: string;
    database: string;
    collection: string;
    /** Locally the ingestion worker stores refused events here; in Google Cloud they go to BigQuery. */
    deadLetterCollection: string;
    databaseUser: string;
    uriSecret: string;
    passwordSecret: string;
    /** Read-only user of the scheduled jobs (read on the database, clusterMonitor for serverStatus). */
    jobsDatabaseUser: string;
    /** Secret holding the jobs user's URI (the jobs never see the ingestion user's readWrite URI). */
    jobsUriSecret: string;
  };
  dataflow: {
    jobs: Record<Consumer, string>;
    serviceAccounts: Record<Consumer, string>;
    tempBucket: string;
  };
  /** Cloud Run jobs and the Cloud Scheduler jobs that trigger them. */
  scheduledJobs: {
    jobs: Record<ScheduledJob, string>;
    schedulers: Record<ScheduledJob, string>;
    serviceAccounts: Record<ScheduledJob, string>;
  };
  /** Service accounts of the environment project that belong to no module above. */
  serviceAccounts: { aggregates: string };
  /** Identities and buckets that bootstrap creates per environment (in the admin project). */
  bootstrap: { deployServiceAccount: string; planServiceAccount: string; udfBucket: string };
  network: { vpc: string; subnetwork: string; dataflowFirewall: string; pscEndpoint: string };
  monitoring: { service: string };
}

/** Names that bootstrap creates once for the platform (admin project). */
export interface BootstrapNames {
  stateBucket: string;
  workloadIdentityPool: string;
  sloAuditServiceAccount: string;
  /** Artifact Registry Docker repository (admin project) of the scheduled jobs' image (apps/reconciler). */
  imageRepository: string;
  /** Write-once bucket of the releases (ADR 0002): manifests and UDF bundles, built once on main. */
  releasesBucket: string;
  /** The identity of .github/workflows/release.yml on main: the only writer of releases. */
  releaseServiceAccount: string;
}

/** Dead-letter topic of a subscription: the subscription's name with a -dlq suffix. */
export function deadLetterTopicOf(subscription: string): string {
  return `${subscription}-dlq`;
}

/** Inspection subscription of a dead-letter topic (keeps what is dead-lettered for replay). */
export function inspectionSubscriptionOf(deadLetterTopic: string): string {
  return `${deadLetterTopic}-inspect`;
}

const byConsumer = <T>(f: (c: Consumer) => T) =>
  Object.fromEntries(CONSUMERS.map((c) => [c, f(c)])) as Record<Consumer, T>;
const byJob = <T>(f: (j: ScheduledJob) => T) =>
  Object.fromEntries(SCHEDULED_JOBS.map((j) => [j, f(j)])) as Record<ScheduledJob, T>;

/** Every name of `environment`; throws when the environment is not declared. */
export function platformNames(declaration: PlatformDeclaration, environment: string): PlatformNames {
  const env = declaration.environments[environment];
  if (!env) {
    const known = Object.keys(declaration.environments).join(", ");
    throw new Error(
      `environment "${environment}" is not declared in packages/platform/platform.ts (declared: ${known})`,
    );
  }
  const app = declaration.app;
  const prefix = `${app}-${environment}`;
  // Service-account IDs have 6-30 characters: the short environment code keeps them within the limit.
  const accountPrefix = `${app}-${env.short}`;
  const datasetPrefix = prefix.replace(/-/g, "_");
  const topic = `${prefix}-events`;
  return {
    app,
    environment,
    prefix,
    cloud: env.cloud,
    locations: { ...declaration.locations, ...env.locations },
    delivery: { ...declaration.delivery },
    pubsub: {
      topic,
      schema: `${prefix}-shop-event`,
      subscriptions: byConsumer((c) => `${topic}-${c}`),
      deadLetterTopics: byConsumer((c) => deadLetterTopicOf(`${topic}-${c}`)),
      inspectionSubscriptions: byConsumer((c) =>
        inspectionSubscriptionOf(deadLetterTopicOf(`${topic}-${c}`)),
      ),
    },
    bigquery: {
      rawDataset: `${datasetPrefix}_raw`,
      analyticsDataset: `${datasetPrefix}_analytics`,
      eventsTable: "events",
      deadLetterTables: { ingestion: "ingestion_deadletter", analytics: "events_deadletter" },
      scheduledQueryPrefix: `${datasetPrefix}-agg-`,
    },
    mongodb: {
      atlasProject: prefix,
      cluster: app,
      database: app.replace(/-/g, "_"),
      collection: "events",
      deadLetterCollection: "events_deadletter",
      databaseUser: `${app}-ingestion`,
      uriSecret: `${prefix}-mongodb-uri`,
      passwordSecret: `${prefix}-mongodb-password`,
      jobsDatabaseUser: `${app}-jobs`,
      jobsUriSecret: `${prefix}-mongodb-jobs-uri`,
    },
    dataflow: {
      jobs: byConsumer((c) => `${prefix}-${c}`),
      serviceAccounts: byConsumer((c) => `${accountPrefix}-df-${c}`),
      tempBucket: `${PROJECT_ID_PLACEHOLDER}-${prefix}-dataflow`,
    },
    scheduledJobs: {
      jobs: byJob((j) => `${prefix}-${j}`),
      schedulers: byJob((j) => `${prefix}-${j}`),
      serviceAccounts: {
        reconciler: `${accountPrefix}-reconciler`,
        exporter: `${accountPrefix}-sli-exporter`,
      },
    },
    serviceAccounts: { aggregates: `${accountPrefix}-agg` },
    bootstrap: {
      deployServiceAccount: `${app}-deploy-${environment}`,
      planServiceAccount: `${app}-plan-${environment}`,
      udfBucket: `${PROJECT_ID_PLACEHOLDER}-${app}-udf`,
    },
    network: {
      vpc: `${prefix}-vpc`,
      subnetwork: `${prefix}-workers`,
      dataflowFirewall: `${prefix}-dataflow-internal`,
      pscEndpoint: `${prefix}-atlas-psc`,
    },
    monitoring: { service: `${prefix}-pipeline` },
  };
}

/** The platform-wide names bootstrap creates in the admin project. */
export function bootstrapNames(declaration: PlatformDeclaration): BootstrapNames {
  return {
    stateBucket: `${PROJECT_ID_PLACEHOLDER}-${declaration.app}-tfstate`,
    workloadIdentityPool: `${declaration.app}-github`,
    sloAuditServiceAccount: `${declaration.app}-slo-audit`,
    imageRepository: `${declaration.app}-images`,
    releasesBucket: `${PROJECT_ID_PLACEHOLDER}-${declaration.app}-releases`,
    releaseServiceAccount: `${declaration.app}-release`,
  };
}

/** Fills the `{project_id}` placeholder of a globally unique name. */
export function withProjectId(name: string, projectId: string): string {
  return name.split(PROJECT_ID_PLACEHOLDER).join(projectId);
}
