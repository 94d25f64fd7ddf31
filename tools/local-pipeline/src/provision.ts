/**
 * Creates what Terraform creates in the cloud, idempotently, against whatever the clients point at:
 * the events topic, one subscription per worker with a dead-letter topic, and an inspection
 * subscription on each dead-letter topic, with the declaration's delivery policy (packages/platform:
 * the same ack deadline, backoff and delivery attempts as Terraform). MongoDB collections and BigQuery
 * tables are ensured by the workers themselves on start.
 */
import type { PubSub } from "@google-cloud/pubsub";
import { type DeliveryPolicy, deadLetterTopicOf, inspectionSubscriptionOf } from "@shopstream/platform";

export interface TopologyNames {
  topic: string;
  subscriptions: string[];
  /** Usually `namesFor(...).delivery` (packages/platform). */
  delivery: DeliveryPolicy;
}

async function ensureTopic(pubsub: PubSub, name: string): Promise<void> {
  const [exists] = await pubsub.topic(name).exists();
  if (!exists) await pubsub.createTopic(name).catch(ignoreAlreadyExists);
}

function ignoreAlreadyExists(error: { code?: number }): void {
  if (error.code !== 6) throw error; // gRPC ALREADY_EXISTS: another process won the race
}

export async function ensurePubSubTopology(pubsub: PubSub, names: TopologyNames): Promise<void> {
  const { delivery } = names;
  await ensureTopic(pubsub, names.topic);
  for (const subscription of names.subscriptions) {
    const deadLetterTopic = deadLetterTopicOf(subscription);
    await ensureTopic(pubsub, deadLetterTopic);
    const [exists] = await pubsub.subscription(subscription).exists();
    if (!exists) {
      await pubsub
        .topic(names.topic)
        .createSubscription(subscription, {
          ackDeadlineSeconds: delivery.ackDeadlineSeconds,
          deadLetterPolicy: {
            deadLetterTopic: pubsub.topic(deadLetterTopic).name,
            maxDeliveryAttempts: delivery.maxDeliveryAttempts,
          },
          retryPolicy: {
            minimumBackoff: { seconds: delivery.minimumBackoffSeconds },
            maximumBackoff: { seconds: delivery.maximumBackoffSeconds },
          },
        })
        .catch(ignoreAlreadyExists);
    }
    const inspection = inspectionSubscriptionOf(deadLetterTopic);
    const [inspectionExists] = await pubsub.subscription(inspection).exists();
    if (!inspectionExists) {
      await pubsub
        .topic(deadLetterTopic)
        .createSubscription(inspection, { ackDeadlineSeconds: delivery.ackDeadlineSeconds })
        .catch(ignoreAlreadyExists);
    }
  }
}
