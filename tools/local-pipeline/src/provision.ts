/**
 * Creates what Terraform creates in the cloud, idempotently, against whatever the clients point at:
 * the events topic, one subscription per worker with a dead-letter topic, and an inspection
 * subscription on each dead-letter topic. MongoDB collections and BigQuery tables are ensured by the
 * workers themselves on start.
 */
import type { PubSub } from "@google-cloud/pubsub";
import { deadLetterTopicOf } from "@shopstream/config";

export interface TopologyNames {
  topic: string;
  subscriptions: string[];
  maxDeliveryAttempts: number;
}

async function ensureTopic(pubsub: PubSub, name: string): Promise<void> {
  const [exists] = await pubsub.topic(name).exists();
  if (!exists) await pubsub.createTopic(name).catch(ignoreAlreadyExists);
}

function ignoreAlreadyExists(error: { code?: number }): void {
  if (error.code !== 6) throw error; // gRPC ALREADY_EXISTS: another process won the race
}

export async function ensurePubSubTopology(pubsub: PubSub, names: TopologyNames): Promise<void> {
  await ensureTopic(pubsub, names.topic);
  for (const subscription of names.subscriptions) {
    const deadLetterTopic = deadLetterTopicOf(subscription);
    await ensureTopic(pubsub, deadLetterTopic);
    const [exists] = await pubsub.subscription(subscription).exists();
    if (!exists) {
      await pubsub
        .topic(names.topic)
        .createSubscription(subscription, {
          ackDeadlineSeconds: 60,
          deadLetterPolicy: {
            deadLetterTopic: pubsub.topic(deadLetterTopic).name,
            maxDeliveryAttempts: names.maxDeliveryAttempts,
          },
          retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 60 } },
        })
        .catch(ignoreAlreadyExists);
    }
    const inspection = `${deadLetterTopic}-inspect`;
    const [inspectionExists] = await pubsub.subscription(inspection).exists();
    if (!inspectionExists) {
      await pubsub
        .topic(deadLetterTopic)
        .createSubscription(inspection, { ackDeadlineSeconds: 60 })
        .catch(ignoreAlreadyExists);
    }
  }
}
