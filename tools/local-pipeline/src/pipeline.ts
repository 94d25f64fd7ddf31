/**
 * The main job: stand-ins up, topology provisioned, workers and producer running as processes, live
 * progress, a drain, then a summary with a reconciliation (published vs stored) and the top rows of
 * every aggregate. Everything it started is stopped before it returns.
 */
import { PubSub } from "@google-cloud/pubsub";
import { type AggregateDefinition, createBigQuery, loadAggregates } from "@shopstream/analytics";
import { BIGQUERY, MONGODB, PLATFORM_NAMES, PUBSUB, readConfig } from "@shopstream/config";
import { type ServiceName, type Stack, type StackOptions, startStack } from "@shopstream/stack";
import { MongoClient } from "mongodb";
import { type Backlog, type DrainOutcome, describeBacklog, drainBacklogs } from "./drain";
import { type Installer, Installs } from "./installs";
import { ENTRY, RUN_DIR } from "./paths";
import { heldBy, type PipelineTotals, progressLine, totals } from "./progress";
import { ensurePubSubTopology } from "./provision";
import { collectionCount, StoreLedger } from "./settled";
import { Supervisor } from "./supervisor";

export interface PipelineOptions {
  durationS: number;
  rate: number;
  seed: number;
  faults: "default" | "none";
  profile: StackOptions["profile"];
  fresh: boolean;
  progressEveryMs: number;
  /**
   * After the producer stops, the workers run until both backlogs are empty; this bounds only a drain that
   * makes no progress (a stuck stand-in): it gives up after this long without the backlog shrinking.
   */
  drainTimeoutMs: number;
  print: (line: string) => void;
  /** First Ctrl-C: stop producing, then drain everything and refresh the aggregates. */
  signal?: AbortSignal;
  /** Second Ctrl-C: stop at once, reporting how many messages are abandoned. */
  forceSignal?: AbortSignal;
  /**
   * Installs one stand-in (`scriptInstaller`: tools/stack/install.sh <service>). The stand-ins install in
   * parallel and each part of the pipeline starts as soon as what it needs is ready. Default: none (the
   * caller installed everything first, as the tests and the benchmark do).
   */
  installer?: Installer;
  /** Called every second while producing and draining (benchmarks sample memory here). */
  onSample?: (supervisor: Supervisor, elapsedMs: number) => void;
  /**
   * The stores may already hold this seed's events (a seed given again on kept data): then the stores'
   * counts cannot confirm the drain, which ends on the workers' counters alone. Default false.
   */
  storesMayHoldThisSeed?: boolean;
}

export interface PipelineSummary {
  totals: PipelineTotals;
  /** MongoDB `serverStatus().connections.current` at the end of the run, when the server reports it. */
  mongodbConnections?: number;
  rawDocuments: number;
  warehouseDistinctEvents: number;
  aggregates: Record<string, Record<string, unknown>[]>;
  /** Every published message settled: confirmed in the stores unless `storesMayHoldThisSeed`. */
  drained: boolean;
  /** Whether the stores confirmed the drain (false: the workers' counters alone said it). */
  drainConfirmedInStores: boolean;
  /** Whether the analytics worker stopped cleanly, which refreshes every dirty aggregate window. */
  aggregatesRefreshed: boolean;
  elapsedMs: number;
}

/** Thrown when a second Ctrl-C stopped the run before it drained: no summary, just what was abandoned. */
export class RunAbandoned extends Error {
  constructor(readonly abandoned: Backlog) {
    super(`stopped at once: abandoned ${describeBacklog(abandoned)} still in the subscriptions`);
  }
}

const backlogOf = (t: PipelineTotals): Backlog => ({
  ingestion: t.backlogIngestion,
  analytics: t.backlogAnalytics,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The store each worker writes to: a worker starts as soon as its store is installed and running. */
const WORKER_STORE = { ingestion: "mongodb", analytics: "bigquery" } as const satisfies Record<
  string,
  ServiceName
>;
type WorkerName = keyof typeof WORKER_STORE;
const WORKERS = Object.keys(WORKER_STORE) as WorkerName[];

/** Rejects when `signal` aborts (Ctrl-C while waiting for an install). */
function abortable<T>(promise: Promise<T>, signals: (AbortSignal | undefined)[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    for (const signal of signals) {
      if (signal?.aborted) reject(new InstallInterrupted());
      signal?.addEventListener("abort", () => reject(new InstallInterrupted()), { once: true });
    }
    promise.then(resolve, reject);
  });
}

/** Ctrl-C before Pub/Sub was up: nothing was published, so nothing is lost. */
export class InstallInterrupted extends Error {
  constructor() {
    super("interrupted while installing the stand-ins: nothing was published; the installs were stopped");
  }
}

/** What every phase of a run shares. */
interface Run {
  options: PipelineOptions;
  print: (line: string) => void;
  supervisor: Supervisor;
  installs: Installs;
  started: number;
  runDir: string;
}

type PipelineConfig = ReturnType<typeof readPipelineConfig>;
const readPipelineConfig = (env: NodeJS.ProcessEnv) =>
  readConfig({ ...PUBSUB, ...MONGODB, ...BIGQUERY }, env);

/**
 * The whole run, in phases: Pub/Sub up and provisioned, workers started as their stores arrive, the
 * producer, the drain, the workers stopped, the summary. Everything it started is stopped before it returns.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineSummary> {
  const { print } = options;
  const installs = new Installs(options.installer ?? (async () => {}), ["pubsub", "mongodb", "bigquery"]);
  const installTicker = setInterval(() => {
    const pending = installs.describePending();
    if (pending) print(`${pending}`);
  }, 15000);
  const supervisor = new Supervisor((line) => print(`! ${line}`));
  const run: Run = {
    options,
    print,
    supervisor,
    installs,
    started: Date.now(),
    runDir: RUN_DIR(options.profile),
  };
  const killOnExit = () => {
    supervisor.killAllNow();
    installs.cancel();
  };
  process.once("exit", killOnExit);
  let stack: Stack | undefined;
  let ledger: StoreLedger | undefined;
  try {
    stack = await startPubSub(run);
    const { env, config } = await provisionPubSub(run, stack);
    ledger = new StoreLedger(stack.env, config);
    const workers = startWorkersAsStoresArrive(run, stack, env, ledger);
    const outcome = await produceAndDrain(run, env, workers, ledger);
    // Its MongoDB connections would count in the summary's connection figure.
    await ledger.close();
    const final = totals(supervisor);
    print(progressLine(Date.now() - run.started, final));
    const aggregatesRefreshed = await stopWorkers(run);
    const summary = await summarize(stack, config, final, run.started);
    return {
      ...summary,
      drained: outcome.drained,
      drainConfirmedInStores: outcome.drained && !options.storesMayHoldThisSeed,
      aggregatesRefreshed,
    };
  } finally {
    clearInterval(installTicker);
    await ledger?.close().catch(() => {});
    installs.cancel();
    supervisor.killAllNow();
    process.removeListener("exit", killOnExit);
    if (stack) {
      print("stopping stand-ins...");
      await stack.stop();
    }
  }
}

/**
 * Phase 1: the Pub/Sub emulator, as soon as its install is ready. Pub/Sub holds the events: the producer
 * needs only it, and every event waits in its subscriptions until the worker that stores it starts.
 */
async function startPubSub({ options, print, installs }: Run): Promise<Stack> {
  await abortable(installs.ready("pubsub"), [options.signal, options.forceSignal]);
  print(`starting the Pub/Sub emulator (profile ${options.profile})...`);
  return startStack({
    profile: options.profile,
    fresh: options.fresh,
    services: ["pubsub"],
    log: (l) => print(`  ${l}`),
  });
}

/** Phase 2: the topic, subscriptions and dead-letter topics, as Terraform provisions them in the cloud. */
async function provisionPubSub(
  { print, installs }: Run,
  stack: Stack,
): Promise<{ env: NodeJS.ProcessEnv; config: PipelineConfig }> {
  // The clients in this process (provisioning, summary) and the children read the same variables.
  Object.assign(process.env, stack.env);
  const env = { ...process.env, LOG_FORMAT: "json" };
  const config = readPipelineConfig(env);
  const pubsub = new PubSub({ projectId: stack.env.GOOGLE_CLOUD_PROJECT });
  print("provisioning topic, subscriptions and dead-letter topics...");
  await ensurePubSubTopology(pubsub, {
    topic: config.EVENTS_TOPIC,
    subscriptions: [config.INGESTION_SUBSCRIPTION, config.ANALYTICS_SUBSCRIPTION],
    delivery: { ...PLATFORM_NAMES.delivery, maxDeliveryAttempts: config.MAX_DELIVERY_ATTEMPTS },
  });
  await pubsub.close();
  // An install that already failed stops the run before anything is published.
  if (installs.failure) throw installs.failure;
  return { env, config };
}

interface Workers {
  /** Resolves once both workers run (or could not start: see check). */
  allStarted: Promise<void>;
  /** Throws when a worker could not start, or keeps dying before its first report. */
  check: () => void;
}

/**
 * Phase 3: each worker waits for its store's install, starts the store, counts what it holds already (the
 * drain's baseline), then starts the worker (which creates its collections or tables on start). A failure
 * is kept and stops the run at the next check.
 */
function startWorkersAsStoresArrive(
  run: Run,
  stack: Stack,
  env: NodeJS.ProcessEnv,
  ledger: StoreLedger,
): Workers {
  const { options, print, installs, supervisor, runDir } = run;
  const elapsed = () => `+${Math.round((Date.now() - run.started) / 1000)} s`;
  let startFailure: Error | undefined;
  const started = WORKERS.map((worker) => {
    const store = WORKER_STORE[worker];
    if (installs.isPending(store))
      print(`${worker} worker waits for ${store}: ${installs.describePending() ?? "installing"}`);
    return installs
      .ready(store)
      .then(async () => {
        if (startFailure || options.forceSignal?.aborted) return;
        print(`${store} installed (${elapsed()}): starting it, then the ${worker} worker`);
        await stack.add([store]);
        await ledger.takeBaseline(worker);
        supervisor.start({
          name: worker,
          script: ENTRY[worker],
          env,
          restart: true,
          logFile: `${runDir}/${worker}.log`,
        });
      })
      .catch((error: unknown) => {
        startFailure ??= error instanceof Error ? error : new Error(String(error));
      });
  });
  const check = () => {
    if (startFailure) throw startFailure;
    for (const name of WORKERS) {
      if (
        supervisor.snapshot(name) === undefined &&
        supervisor.restarts(name) > 2 &&
        !supervisor.isRunning(name)
      )
        throw new Error(`${name} worker keeps failing to start; see ${runDir}/${name}.log`);
    }
  };
  return { allStarted: Promise.all(started).then(() => {}), check };
}

/**
 * Phases 4 and 5, with a progress line throughout: the producer runs to its end (or to a Ctrl-C), then,
 * once both workers run, the backlogs drain until the workers hold nothing and the stores confirm every
 * published message settled (src/drain.ts says why the counters alone cannot). A second Ctrl-C abandons
 * the backlog (RunAbandoned).
 */
async function produceAndDrain(
  run: Run,
  env: NodeJS.ProcessEnv,
  workers: Workers,
  ledger: StoreLedger,
): Promise<DrainOutcome> {
  const { options, print, supervisor } = run;
  print(
    `producing for ${options.durationS}s at ${options.rate} events/s (seed ${options.seed}, faults ${options.faults}); ` +
      "each worker starts as soon as its store is ready, the subscriptions keep the events until then",
  );
  const ticker = setInterval(
    () => print(progressLine(Date.now() - run.started, totals(supervisor))),
    options.progressEveryMs,
  );
  const sampler = setInterval(() => options.onSample?.(supervisor, Date.now() - run.started), 1000);
  let outcome: DrainOutcome;
  try {
    await produce(run, env, workers);
    await waitForWorkers(run, workers);
    // Let the producer's last metrics message arrive: the backlog is published minus acked.
    await sleep(200);
    clearInterval(ticker);
    if (options.storesMayHoldThisSeed)
      print(
        "the stores may hold this seed's events already: the drain ends on the workers' counters, unconfirmed",
      );
    // Every message published must end stored or dead-lettered, except duplicate publishes of an event.
    const unsettled = () => {
      const t = totals(supervisor);
      return ledger.unsettled(t.published - t.duplicates);
    };
    outcome = options.forceSignal?.aborted
      ? { drained: false, reason: "forced", abandoned: backlogOf(totals(supervisor)) }
      : await drainBacklogs({
          backlog: () => backlogOf(totals(supervisor)),
          held: () => ({
            ingestion: heldBy(supervisor, "ingestion"),
            analytics: heldBy(supervisor, "analytics"),
          }),
          ...(options.storesMayHoldThisSeed ? {} : { confirm: unsettled }),
          ...(options.forceSignal ? { force: options.forceSignal } : {}),
          stallTimeoutMs: options.drainTimeoutMs,
          progressEveryMs: options.progressEveryMs,
          print,
        });
  } finally {
    clearInterval(ticker);
    clearInterval(sampler);
  }
  if (!outcome.drained && outcome.reason === "forced") {
    print(`stopping now: abandoning ${describeBacklog(outcome.abandoned)} still in the subscriptions`);
    supervisor.killAllNow();
    throw new RunAbandoned(outcome.abandoned);
  }
  if (!outcome.drained) {
    print(
      `! the drain has not progressed for ${Math.round(options.drainTimeoutMs / 1000)} s; giving up on ${describeBacklog(outcome.abandoned)}`,
    );
  }
  return outcome;
}

/** Phase 4: the producer, until it ends by itself or a Ctrl-C stops it. */
async function produce(run: Run, env: NodeJS.ProcessEnv, workers: Workers): Promise<void> {
  const { options, print, supervisor, runDir } = run;
  supervisor.start({
    name: "producer",
    script: ENTRY.producer,
    args: [
      "--duration",
      String(options.durationS),
      "--rate",
      String(options.rate),
      "--seed",
      String(options.seed),
      "--faults",
      options.faults,
    ],
    env,
    restart: false,
    logFile: `${runDir}/producer.log`,
  });
  const producerDone = supervisor.waitForExit("producer");
  let producerExited = false;
  void producerDone.then(() => {
    producerExited = true;
  });
  while (!producerExited && !options.signal?.aborted && !options.forceSignal?.aborted) {
    workers.check();
    await sleep(100);
  }
  if (!producerExited) {
    print("interrupted: stopping the producer; the workers keep going until everything is stored...");
    await supervisor.stop("producer", options.forceSignal?.aborted ? 0 : 10000);
  }
  const code = await producerDone;
  if (code !== 0 && !options.signal?.aborted)
    print(`! producer exited with code ${code}; see ${runDir}/producer.log`);
}

/** Nothing is drained before both workers run: wait for the installs still under way. */
async function waitForWorkers({ options, print, installs }: Run, workers: Workers): Promise<void> {
  let workersUp = false;
  void workers.allStarted.then(() => {
    workersUp = true;
  });
  if (installs.isPending("mongodb") || installs.isPending("bigquery"))
    print("the producer is done; the events wait in Pub/Sub for the workers still to start");
  while (!workersUp && !options.forceSignal?.aborted) {
    workers.check();
    await sleep(100);
  }
  workers.check();
}

/**
 * Phase 6: SIGTERM to the workers (they finish in-flight work; analytics refreshes the aggregates).
 * Returns whether the aggregates were refreshed; a second Ctrl-C kills them (RunAbandoned).
 */
async function stopWorkers({ options, print, supervisor, runDir }: Run): Promise<boolean> {
  print("stopping workers (SIGTERM: they finish in-flight work; analytics refreshes the aggregates)...");
  const stopped = supervisor.stopAll(120000);
  const forced = new Promise<"forced">((resolve) => {
    if (options.forceSignal?.aborted) resolve("forced");
    options.forceSignal?.addEventListener("abort", () => resolve("forced"), { once: true });
  });
  const codes = await Promise.race([stopped, forced]);
  if (codes === "forced") {
    print("stopping now: the workers are killed before they finish (aggregates may be stale)");
    supervisor.killAllNow();
    throw new RunAbandoned(backlogOf(totals(supervisor)));
  }
  const aggregatesRefreshed = codes.analytics === 0;
  print(
    aggregatesRefreshed
      ? "aggregates refreshed"
      : `! the analytics worker exited with ${codes.analytics}: aggregates may be stale (see ${runDir}/analytics.log)`,
  );
  return aggregatesRefreshed;
}

async function summarize(
  stack: Stack,
  config: { MONGODB_DATABASE: string; MONGODB_COLLECTION: string; BIGQUERY_DATASET: string },
  final: PipelineTotals,
  started: number,
): Promise<Omit<PipelineSummary, "aggregatesRefreshed" | "drained" | "drainConfirmedInStores">> {
  const mongo = new MongoClient(stack.env.MONGODB_URI);
  const bigquery = createBigQuery({
    projectId: stack.env.GOOGLE_CLOUD_PROJECT,
    emulatorHost: stack.env.BIGQUERY_EMULATOR_HOST,
    location: "US",
  });
  try {
    await mongo.connect();
    const status = await mongo
      .db("admin")
      .command({ serverStatus: 1 })
      .catch(() => undefined);
    const current = (status as { connections?: { current?: unknown } } | undefined)?.connections?.current;
    // The same exact $collStats count as the drain's (settled.ts): countDocuments scans every document on
    // FerretDB (about a minute at 650,000), which kept a long run's summary waiting without a word.
    const rawDocuments = await collectionCount(
      mongo.db(config.MONGODB_DATABASE).collection(config.MONGODB_COLLECTION),
    );
    const dataset = config.BIGQUERY_DATASET;
    const [[distinct]] = await bigquery.query({
      query: `SELECT COUNT(DISTINCT event_id) AS n FROM \`${dataset}.events\``,
    });
    const aggregates: Record<string, Record<string, unknown>[]> = {};
    for (const aggregate of loadAggregates())
      aggregates[aggregate.name] = await topRows(bigquery, dataset, aggregate);
    return {
      totals: final,
      ...(typeof current === "number" ? { mongodbConnections: current } : {}),
      rawDocuments,
      warehouseDistinctEvents: Number((distinct as { n: number }).n),
      aggregates,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await mongo.close();
  }
}

async function topRows(
  bigquery: ReturnType<typeof createBigQuery>,
  dataset: string,
  aggregate: AggregateDefinition,
): Promise<Record<string, unknown>[]> {
  const order = aggregate.columns.some((c) => c.name === "revenue")
    ? `revenue DESC, ${aggregate.windowColumn} DESC`
    : `${aggregate.windowColumn} DESC`;
  const [rows] = await bigquery.query({
    query: `SELECT * FROM \`${dataset}.${aggregate.name}\` ORDER BY ${order} LIMIT 5`,
  });
  return rows as Record<string, unknown>[];
}
