/** Throughput and memory knobs of a worker, with the defaults both workers start from. */

export interface WorkerTuning {
  /** Messages per store write. */
  batchSize: number;
  /** Longest a partial batch waits before it is written anyway. */
  batchWaitMs: number;
  /** Store writes in flight at once. */
  maxConcurrentBatches: number;
  /** Flow control: messages and bytes leased at once (bounds memory). */
  maxOutstandingMessages: number;
  maxOutstandingBytes: number;
  /** Parallel streaming pulls. */
  streams: number;
  /** How long SIGTERM keeps retrying an unreachable store before nacking what is left. */
  drainTimeoutMs: number;
}

export const DEFAULT_TUNING: WorkerTuning = {
  batchSize: 500,
  batchWaitMs: 50,
  maxConcurrentBatches: 4,
  maxOutstandingMessages: 4000,
  maxOutstandingBytes: 64 * 1024 * 1024,
  streams: 5,
  drainTimeoutMs: 30000,
};

/** The tuning keys of `options` that are set, over the worker's own defaults, over DEFAULT_TUNING. */
export function resolveTuning(
  options: Partial<WorkerTuning>,
  workerDefaults: Partial<WorkerTuning> = {},
): WorkerTuning {
  const tuning = { ...DEFAULT_TUNING, ...workerDefaults };
  for (const key of Object.keys(DEFAULT_TUNING) as (keyof WorkerTuning)[]) {
    const value = options[key];
    if (value !== undefined) tuning[key] = value;
  }
  return tuning;
}
