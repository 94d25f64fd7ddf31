/**
 * Wires a Pub/Sub streaming pull to the worker loop, with flow control that bounds memory and a drain on
 * SIGTERM/SIGINT (Cloud Run, Kubernetes and the local supervisor all stop workers with SIGTERM).
 */
import {
  Duration,
  type Message,
  type PubSub,
  type Subscription,
  SubscriptionCloseBehaviors,
} from "@google-cloud/pubsub";
import type { Logger } from "@shopstream/telemetry";
import { type LoopOptions, WorkerLoop } from "./loop";

export interface SubscriberOptions<T> extends Omit<LoopOptions<T>, "subscription"> {
  pubsub: PubSub;
  subscriptionName: string;
  /** Flow control: messages leased at once. Bounds memory together with maxOutstandingBytes. */
  maxOutstandingMessages: number;
  maxOutstandingBytes: number;
  /** Parallel streaming pulls (the Node client's default is 5). */
  streams: number;
}

export interface RunningWorker {
  subscription: Subscription;
  loop: WorkerLoop<unknown>;
  /** Drain and close; safe to call twice. */
  stop(): Promise<void>;
}

export function startSubscriber<T>(options: SubscriberOptions<T>): RunningWorker {
  const { pubsub, subscriptionName, logger } = options;
  const subscription = pubsub.subscription(subscriptionName, {
    flowControl: {
      maxMessages: options.maxOutstandingMessages,
      maxBytes: options.maxOutstandingBytes,
      allowExcessMessages: false,
    },
    streamingOptions: { maxStreams: options.streams },
    closeOptions: {
      behavior: SubscriptionCloseBehaviors.WaitForProcessing,
      timeout: Duration.from({ millis: options.drainTimeoutMs }),
    },
  });
  const loop = new WorkerLoop<T>({ ...options, subscription: subscriptionName });
  const onMessage = (message: Message) => loop.accept(message);
  subscription.on("message", onMessage);
  subscription.on("error", (error: Error) => {
    // The client reconnects retryable stream errors itself; anything surfacing here is worth a line.
    logger.error(`subscription ${subscriptionName} error`, { error: error.message });
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      logger.info(`draining ${subscriptionName}`, { inFlight: loop.inFlight });
      const closing = subscription.close();
      await loop.stop();
      subscription.removeListener("message", onMessage);
      await closing.catch((error: Error) => logger.warn("close failed", { error: error.message }));
      logger.info(`stopped ${subscriptionName}`);
    })();
    return stopped;
  };
  return { subscription, loop: loop as WorkerLoop<unknown>, stop };
}

/** Stops `worker` on SIGTERM or SIGINT, then runs `after` (closing clients) and exits. */
export function drainOnSignals(
  worker: { stop(): Promise<void> },
  logger: Logger,
  after: () => Promise<void>,
): void {
  let signalled = false;
  const handler = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info(`${signal} received: draining in-flight work`);
    worker
      .stop()
      .then(after)
      .then(
        () => process.exit(0),
        (error) => {
          logger.error("shutdown failed", { error: String(error) });
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
