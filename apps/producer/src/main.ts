/**
 * Producer CLI: simulate a shop and publish its events.
 *   tsx apps/producer/src/main.ts --rate 200 --duration 60 --seed 7 [--faults default|none] [--count N]
 * Endpoints come from the environment (PUBSUB_EMULATOR_HOST, GOOGLE_CLOUD_PROJECT, EVENTS_TOPIC).
 */
import { parseArgs } from "node:util";
import { PubSub } from "@google-cloud/pubsub";
import { GOOGLE_CLOUD, PUBSUB, readConfig } from "@shopstream/config";
import { createLogger, reportToParent, StageMetrics } from "@shopstream/telemetry";
import { EventPublisher } from "./publisher";
import { runProducer } from "./run";
import { DEFAULT_FAULTS, NO_FAULTS, ShopSimulator } from "./simulator";

async function main(): Promise<void> {
  const logger = createLogger("producer");
  const { values } = parseArgs({
    options: {
      rate: { type: "string", default: "100" },
      duration: { type: "string" },
      count: { type: "string" },
      seed: { type: "string", default: "1" },
      faults: { type: "string", default: "default" },
    },
  });
  const number = (name: string, raw: string | undefined) => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`--${name} must be a non-negative number, got ${raw}`);
    return value;
  };
  if (!["default", "none"].includes(values.faults)) throw new Error(`--faults must be default or none`);
  const config = readConfig({ ...GOOGLE_CLOUD, EVENTS_TOPIC: PUBSUB.EVENTS_TOPIC });
  const durationS = number("duration", values.duration);
  const count = number("count", values.count);
  const metrics = new StageMetrics("producer");
  const stopReporting = reportToParent(metrics);
  const pubsub = new PubSub({ projectId: config.GOOGLE_CLOUD_PROJECT });
  const publisher = new EventPublisher({ pubsub, topic: config.EVENTS_TOPIC });
  const abort = new AbortController();
  process.on("SIGTERM", () => abort.abort());
  process.on("SIGINT", () => abort.abort());
  logger.info(`publishing to ${config.EVENTS_TOPIC}`, { rate: values.rate, durationS, count });
  await runProducer({
    simulator: new ShopSimulator({
      seed: number("seed", values.seed) ?? 1,
      faults: values.faults === "none" ? NO_FAULTS : DEFAULT_FAULTS,
    }),
    publisher,
    metrics,
    rate: number("rate", values.rate) ?? 100,
    durationMs: durationS === undefined ? (count === undefined ? 60000 : undefined) : durationS * 1000,
    count,
    signal: abort.signal,
  });
  stopReporting();
  await pubsub.close();
  for (const failure of publisher.failures.slice(0, 5)) logger.error("publish failed", failure);
  logger.info("done", metrics.counters);
  process.exitCode = publisher.stats.failed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
