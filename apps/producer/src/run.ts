/** Drives the simulator at a target rate into the publisher, counting what it sent by kind. */
import { ATTRIBUTES } from "@shopstream/events";
import type { StageMetrics } from "@shopstream/telemetry";
import type { EventPublisher } from "./publisher";
import type { Emission, ShopSimulator } from "./simulator";

export interface RunOptions {
  simulator: ShopSimulator;
  publisher: EventPublisher;
  metrics: StageMetrics;
  /** Emissions per second; 0 publishes as fast as flow control allows. */
  rate: number;
  /** Stop after this many emissions and/or this long (whichever first); at least one must be set. */
  count?: number;
  durationMs?: number;
  /** Called for every emission before it is published (tests keep the truth this way). */
  onEmission?: (emission: Emission) => void;
  signal?: AbortSignal;
}

/** The producer sleeps only when at least this far ahead of schedule. */
export const PACING_TICK_MS = 10;

export async function runProducer(options: RunOptions): Promise<void> {
  const { simulator, publisher, metrics, rate } = options;
  if (options.count === undefined && options.durationMs === undefined) {
    throw new Error("runProducer needs a count or a duration");
  }
  const started = Date.now();
  const deadline = options.durationMs === undefined ? Number.POSITIVE_INFINITY : started + options.durationMs;
  const limit = options.count ?? Number.POSITIVE_INFINITY;
  for (let sent = 0; sent < limit && Date.now() < deadline && !options.signal?.aborted; sent++) {
    if (rate > 0) {
      // Paced against the start (never drifting): sleep only when a whole tick ahead, then emit everything
      // due in a burst. One timer per event cost more than the event itself at a few hundred per second,
      // and each timer fired late on a busy machine, so the producer fell short of the rate asked.
      const due = started + (sent / rate) * 1000;
      const wait = due - Date.now();
      if (wait >= PACING_TICK_MS) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const emission = simulator.next();
    options.onEmission?.(emission);
    if (emission.kind === "malformed") {
      metrics.add("malformed");
      await publisher.publishRaw(
        emission.data,
        { [ATTRIBUTES.eventType]: "unknown" },
        `malformed:${emission.label}`,
      );
    } else {
      metrics.add(emission.duplicate ? "duplicates" : "events");
      if (emission.late) metrics.add("late");
      // Faulty-but-valid events go through the validating path; the simulator never makes invalid ones here.
      await publisher.publish(emission.event);
    }
    metrics.add("emitted");
    metrics.counters.published = publisher.stats.published;
    metrics.counters.publish_failed = publisher.stats.failed;
  }
  const stats = await publisher.flush();
  metrics.counters.published = stats.published;
  metrics.counters.publish_failed = stats.failed;
}
