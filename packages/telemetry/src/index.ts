/** @shopstream/telemetry — latency histograms, stage counters and logs shared by every stage. */
export { type HistogramSnapshot, LatencyHistogram } from "./histogram";
export { createLogger, type Logger, type LogLevel } from "./log";
export {
  isMetricsMessage,
  type MetricsMessage,
  reportToParent,
  StageMetrics,
  type StageSnapshot,
} from "./metrics";
export { CLOCK_SKEW_TOLERANCE_MS, stampLatencyMs } from "./stamps";
