/** Shape of the platform declaration (packages/platform/platform.ts). */

/** Where an environment's resources live. */
export interface Locations {
  /** Google Cloud region of Pub/Sub consumers, Dataflow, Cloud Run and the PSC endpoint. */
  region: string;
  /** BigQuery location of the datasets and scheduled queries (`EU`, `US` or a region). */
  bigquery: string;
  /** MongoDB Atlas name of `region` (e.g. `WESTERN_EUROPE` for europe-west1). */
  atlasRegion: string;
}

export interface EnvironmentDeclaration {
  /** 2-4 characters used instead of the name where limits are tight (service-account IDs). */
  short: string;
  /** false for the local stand-ins: no Terraform, no Google Cloud project. */
  cloud: boolean;
  /** Overrides of the platform-wide locations. */
  locations?: Partial<Locations>;
}

/** Pub/Sub delivery policy of the workers' subscriptions (Terraform and the local stack). */
export interface DeliveryPolicy {
  ackDeadlineSeconds: number;
  minimumBackoffSeconds: number;
  maximumBackoffSeconds: number;
  maxDeliveryAttempts: number;
}

export interface PlatformDeclaration {
  app: string;
  environments: Record<string, EnvironmentDeclaration>;
  locations: Locations;
  delivery: DeliveryPolicy;
}
