/**
 * The Terraform feed: packages/platform/generated/terraform-platform.json, read by the root module
 * (terraform/main.tf: jsondecode(file(var.platform_file))) for the environment it is applied to. Keys
 * are snake_case as Terraform expects; names holding `{project_id}` are completed by the root.
 */
import type { PlatformDeclaration } from "./declaration";
import { bootstrapNames, platformNames } from "./derive";
import { validateDeclaration } from "./validate";

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Deep copy with every object key in snake_case (values untouched). */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), snakeKeys(v)]));
  return value;
}

/** The root module's platform input: app, bootstrap names and every cloud environment's names. */
export function terraformPlatform(declaration: PlatformDeclaration): unknown {
  validateDeclaration(declaration);
  const environments = Object.fromEntries(
    Object.entries(declaration.environments)
      .filter(([, e]) => e.cloud)
      .map(([name]) => {
        const { delivery, ...names } = platformNames(declaration, name);
        return [
          name,
          {
            ...names,
            // Pub/Sub takes durations as strings such as "10s" (google_pubsub_subscription.retry_policy).
            delivery: {
              ackDeadlineSeconds: delivery.ackDeadlineSeconds,
              minimumBackoff: `${delivery.minimumBackoffSeconds}s`,
              maximumBackoff: `${delivery.maximumBackoffSeconds}s`,
              maxDeliveryAttempts: delivery.maxDeliveryAttempts,
            },
          },
        ];
      }),
  );
  return snakeKeys({ app: declaration.app, bootstrap: bootstrapNames(declaration), environments });
}

/** The generated file's text (stable: two-space JSON and a final newline). */
export function terraformPlatformJson(declaration: PlatformDeclaration): string {
  return `${JSON.stringify(terraformPlatform(declaration), null, 2)}\n`;
}
