/**
 * Google Cloud's (and MongoDB's) limits on the names we derive, each with the document it comes from,
 * and the list of every derived name with its kind, so the validator and the naming-limits test can
 * check each one. Checked against the documents named in `source` on 2026-11-30.
 */
import type { BootstrapNames, PlatformNames } from "./derive";

export interface NameLimit {
  /** What the name identifies. */
  title: string;
  min: number;
  max: number;
  /** Characters and shape allowed (anchored). */
  pattern: RegExp;
  /** Other rules, as a predicate returning a problem or undefined. */
  extra?: (name: string) => string | undefined;
  /** Title of the document stating the limit. */
  source: string;
}

const notGoog = (name: string) => (name.startsWith("goog") ? 'must not start with "goog"' : undefined);

export const LIMITS = {
  pubsubResource: {
    title: "Pub/Sub topic, subscription or schema ID",
    min: 3,
    max: 255,
    pattern: /^[A-Za-z][A-Za-z0-9\-_.~+%]*$/,
    extra: notGoog,
    source:
      'Pub/Sub API reference, google.pubsub.v1 Topic.name / Subscription.name ("must start with a letter ... between 3 and 255 characters ... must not start with goog")',
  },
  serviceAccountId: {
    title: "service-account ID",
    min: 6,
    max: 30,
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])$/,
    source:
      "IAM API reference, CreateServiceAccountRequest.account_id (6-30 characters, [a-z]([-a-z0-9]*[a-z0-9]), RFC 1035)",
  },
  bigqueryDataset: {
    title: "BigQuery dataset ID",
    min: 1,
    max: 1024,
    pattern: /^[A-Za-z0-9_]+$/,
    source:
      "BigQuery API reference, DatasetReference.datasetId (letters, numbers, underscores; at most 1,024)",
  },
  bigqueryTable: {
    title: "BigQuery table ID",
    min: 1,
    max: 1024,
    pattern: /^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]+$/u,
    source: "BigQuery API reference, TableReference.tableId (Unicode L, M, N, Pc, Pd, Zs; at most 1,024)",
  },
  bucket: {
    title: "Cloud Storage bucket name (without dots)",
    min: 3,
    max: 63,
    pattern: /^[a-z0-9][a-z0-9_-]*[a-z0-9]$/,
    extra: (name) => notGoog(name) ?? (/g[o0]{2}gle/.test(name) ? 'must not contain "google"' : undefined),
    source: 'Cloud Storage "Bucket naming guidelines" (3-63 characters; no "goog" prefix, no "google")',
  },
  dataflowJob: {
    title: "Dataflow job name",
    min: 1,
    max: 1024,
    pattern: /^[a-z]([-a-z0-9]{0,1022}[a-z0-9])?$/,
    source: "Dataflow API reference, v1b3 Job.name ([a-z]([-a-z0-9]{0,1022}[a-z0-9])?)",
  },
  cloudRunJob: {
    title: "Cloud Run job name",
    min: 1,
    max: 63,
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    source:
      "Cloud Run names follow RFC 1035 with at most 63 characters (Compute API NetworkEndpointGroupCloudRun.service: 1-63, RFC 1035); the stricter of the Cloud Run limits is applied to jobs",
  },
  schedulerJob: {
    title: "Cloud Scheduler job ID",
    min: 1,
    max: 500,
    pattern: /^[A-Za-z0-9_-]+$/,
    source:
      "Cloud Scheduler API reference, google.cloud.scheduler.v1 Job.name (JOB_ID: letters, numbers, hyphens, underscores; at most 500)",
  },
  computeResource: {
    title: "Compute Engine resource name (network, subnetwork, firewall, address, forwarding rule)",
    min: 1,
    max: 63,
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    source: 'Compute Engine "Naming resources" (1-63 characters, [a-z]([-a-z0-9]*[a-z0-9])?)',
  },
  secretId: {
    title: "Secret Manager secret ID",
    min: 1,
    max: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    source:
      "Secret Manager API reference, CreateSecretRequest.secret_id (at most 255; letters, numerals, - and _)",
  },
  workloadIdentityPool: {
    title: "Workload Identity pool ID",
    min: 4,
    max: 32,
    pattern: /^[a-z0-9-]+$/,
    extra: (name) => (name.startsWith("gcp-") ? 'must not start with "gcp-"' : undefined),
    source:
      "IAM API reference, projects.locations.workloadIdentityPools.create (4-32 characters, [a-z0-9-], gcp- reserved)",
  },
  mongodbDatabase: {
    title: "MongoDB database name",
    min: 1,
    max: 63,
    pattern: /^[^/\\. "$*<>:|?\0]+$/,
    source:
      'MongoDB "Limits and Thresholds" (fewer than 64 characters; none of /\\. "$*<>:|? on any platform)',
  },
  mongodbCollection: {
    title: "MongoDB collection name",
    min: 1,
    // The namespace `<database>.<collection>` is limited to 255 bytes; checked with the database below.
    max: 255,
    pattern: /^[A-Za-z_][^$\0]*$/,
    extra: (name) => (name.startsWith("system.") ? 'must not start with "system."' : undefined),
    source:
      'MongoDB "Limits and Thresholds" (collection names begin with a letter or underscore, no $ or null; namespace at most 255 bytes)',
  },
  monitoringService: {
    title: "Cloud Monitoring service ID",
    min: 1,
    max: 32,
    pattern: /^[a-z0-9-]+$/,
    source:
      "not found in Google's documentation: the stricter bound of a published policy (serviceId at most 32 characters) is applied, with the provider's [a-z0-9-] characters",
  },
  artifactRegistryRepository: {
    title: "Artifact Registry repository ID",
    min: 1,
    max: 63,
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    source:
      'Artifact Registry "Create standard repositories" (repository names: lower-case letters, numbers and hyphens); the exact length bound was not found in the stored documents, so the RFC 1035 bound of 63 is applied',
  },
  atlasName: {
    title: "MongoDB Atlas project or cluster name",
    min: 1,
    max: 64,
    pattern: /^[A-Za-z0-9][A-Za-z0-9-]*$/,
    source:
      "Atlas project names at most 64 characters, cluster names ASCII letters, numbers and hyphens (mongodb-js/mongodb-mcp-server src/tools/args.ts, which mirrors the Atlas Administration API); the 64-character bound is applied to both",
  },
} satisfies Record<string, NameLimit>;

export type NameKind = keyof typeof LIMITS;

/** One derived name, where it sits in PlatformNames, and the limit it must respect. */
export interface NamedResource {
  path: string;
  kind: NameKind;
  name: string;
}

const one = (path: string, kind: NameKind, name: string): NamedResource => ({ path, kind, name });
const each = <T extends string>(path: string, kind: NameKind, names: Record<T, string>): NamedResource[] =>
  Object.entries<string>(names).map(([key, name]) => ({ path: `${path}.${key}`, kind, name }));

/** Every resource name of an environment with its kind (project-ID placeholders left in). */
export function namedResources(n: PlatformNames): NamedResource[] {
  return [
    one("pubsub.topic", "pubsubResource", n.pubsub.topic),
    one("pubsub.schema", "pubsubResource", n.pubsub.schema),
    ...each("pubsub.subscriptions", "pubsubResource", n.pubsub.subscriptions),
    ...each("pubsub.deadLetterTopics", "pubsubResource", n.pubsub.deadLetterTopics),
    ...each("pubsub.inspectionSubscriptions", "pubsubResource", n.pubsub.inspectionSubscriptions),
    one("bigquery.rawDataset", "bigqueryDataset", n.bigquery.rawDataset),
    one("bigquery.analyticsDataset", "bigqueryDataset", n.bigquery.analyticsDataset),
    one("bigquery.eventsTable", "bigqueryTable", n.bigquery.eventsTable),
    ...each("bigquery.deadLetterTables", "bigqueryTable", n.bigquery.deadLetterTables),
    one("mongodb.atlasProject", "atlasName", n.mongodb.atlasProject),
    one("mongodb.cluster", "atlasName", n.mongodb.cluster),
    one("mongodb.database", "mongodbDatabase", n.mongodb.database),
    one("mongodb.collection", "mongodbCollection", n.mongodb.collection),
    one("mongodb.deadLetterCollection", "mongodbCollection", n.mongodb.deadLetterCollection),
    one("mongodb.uriSecret", "secretId", n.mongodb.uriSecret),
    one("mongodb.passwordSecret", "secretId", n.mongodb.passwordSecret),
    one("mongodb.jobsUriSecret", "secretId", n.mongodb.jobsUriSecret),
    ...each("dataflow.jobs", "dataflowJob", n.dataflow.jobs),
    ...each("dataflow.serviceAccounts", "serviceAccountId", n.dataflow.serviceAccounts),
    one("dataflow.tempBucket", "bucket", n.dataflow.tempBucket),
    ...each("scheduledJobs.jobs", "cloudRunJob", n.scheduledJobs.jobs),
    ...each("scheduledJobs.schedulers", "schedulerJob", n.scheduledJobs.schedulers),
    ...each("scheduledJobs.serviceAccounts", "serviceAccountId", n.scheduledJobs.serviceAccounts),
    one("serviceAccounts.aggregates", "serviceAccountId", n.serviceAccounts.aggregates),
    one("bootstrap.deployServiceAccount", "serviceAccountId", n.bootstrap.deployServiceAccount),
    one("bootstrap.planServiceAccount", "serviceAccountId", n.bootstrap.planServiceAccount),
    one("bootstrap.udfBucket", "bucket", n.bootstrap.udfBucket),
    one("network.vpc", "computeResource", n.network.vpc),
    one("network.subnetwork", "computeResource", n.network.subnetwork),
    one("network.dataflowFirewall", "computeResource", n.network.dataflowFirewall),
    one("network.pscEndpoint", "computeResource", n.network.pscEndpoint),
    one("monitoring.service", "monitoringService", n.monitoring.service),
  ];
}

/** The platform-wide bootstrap names with their kinds. */
export function namedBootstrapResources(b: BootstrapNames): NamedResource[] {
  return [
    one("bootstrap.stateBucket", "bucket", b.stateBucket),
    one("bootstrap.workloadIdentityPool", "workloadIdentityPool", b.workloadIdentityPool),
    one("bootstrap.sloAuditServiceAccount", "serviceAccountId", b.sloAuditServiceAccount),
    one("bootstrap.imageRepository", "artifactRegistryRepository", b.imageRepository),
    one("bootstrap.releasesBucket", "bucket", b.releasesBucket),
    one("bootstrap.releaseServiceAccount", "serviceAccountId", b.releaseServiceAccount),
  ];
}

/** The problem with `name` under `limit`, or undefined when it is within it. */
export function checkName(name: string, limit: NameLimit): string | undefined {
  if (name.length < limit.min || name.length > limit.max)
    return `has ${name.length} characters; a ${limit.title} has ${limit.min}-${limit.max} (${limit.source})`;
  if (!limit.pattern.test(name)) return `does not match ${limit.pattern} (${limit.source})`;
  const extra = limit.extra?.(name);
  return extra ? `${extra} (${limit.source})` : undefined;
}
