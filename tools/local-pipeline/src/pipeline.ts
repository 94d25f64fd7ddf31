/**
 * The main job: stand-ins up, topology provisioned, workers and producer running as processes, live
 * progress, a drain, then a summary with a reconciliation (published vs stored) and the top rows of
 * every aggregate. Everything it started is stopped before it returns.
 */
import { PubSub } from "@google-cloud/pubsub";
import { type AggregateDefinition, createBigQuery, loadAggregates } from "@shopstream/analytics";
import { BIGQUERY, MONGODB, PLATFORM_NAMES, PUBSUB, readConfig } from "@shopstream/config";
import { type Stack, type StackOptions, startStack } from "@shopstream/stack";
import { MongoClient } from "mongodb";
import { ENTRY, RUN_DIR } from "./paths";
import { type PipelineTotals, progressLine, totals } from "./progress";
import { ensurePubSubTopology } from "./provision";
import { Supervisor } from "./supervisor";

export interface PipelineOptions {
  durationS: number;
  rate: number;
  seed: number;
  faults: "default" | "none";
  profile: StackOptions["profile"];
  fresh: boolean;
  progressEveryMs: number;
  /** How long to wait after the producer stops for the workers to catch up. */
  drainTimeoutMs: number;
  print: (line: string) => void;
  signal?: AbortSignal;
  /** Called every second while producing and draining (benchmarks sample memory here). */
  onSample?: (supervisor: Supervisor, elapsedMs: number) => void;
}

export interface PipelineSummary {
  totals: PipelineTotals;
  /** MongoDB `serverStatus().connections.current` at the end of the run, when the server reports it. */
  mongodbConnections?: number;
  rawDocuments: number;
  warehouseDistinctEvents: number;
  aggregates: Record<string, Record<string, unknown>[]>;
  drained: boolean;
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runPipeline(options: PipelineOptions): Promise<PipelineSummary> {
  const { print } = options;
  const started = Date.now();
  print(`starting local stand-ins (profile ${options.profile})...`);
  const stack: Stack = await startStack({
    profile: options.profile,
    fresh: options.fresh,
    log: (l) => print(`  ${l}`),
  });
  const supervisor = new Supervisor((line) => print(`! ${line}`));
  const killOnExit = () => supervisor.killAllNow();
  process.once("exit", killOnExit);
  try {
    // The clients in this process (provisioning, summary) and the children read the same variables.
    Object.assign(process.env, stack.env);
    const env = { ...process.env, LOG_FORMAT: "json" };
    const config = readConfig({ ...PUBSUB, ...MONGODB, ...BIGQUERY }, env);
    const pubsub = new PubSub({ projectId: stack.env.GOOGLE_CLOUD_PROJECT });
    print("provisioning topic, subscriptions and dead-letter topics...");
    await ensurePubSubTopology(pubsub, {
      topic: config.EVENTS_TOPIC,
      subscriptions: [config.INGESTION_SUBSCRIPTION, config.ANALYTICS_SUBSCRIPTION],
      delivery: { ...PLATFORM_NAMES.delivery, maxDeliveryAttempts: config.MAX_DELIVERY_ATTEMPTS },
    });
    await pubsub.close();

    const runDir = RUN_DIR(options.profile);
    for (const name of ["ingestion", "analytics"] as const) {
      supervisor.start({ name, script: ENTRY[name], env, restart: true, logFile: `${runDir}/${name}.log` });
    }
    print("starting workers (they create collections and tables on first start)...");
    await waitFor(
      () => !!supervisor.snapshot("ingestion") && !!supervisor.snapshot("analytics"),
      120000,
      () => {
        for (const name of ["ingestion", "analytics"]) {
          if (!supervisor.isRunning(name) && supervisor.restarts(name) > 2) {
            throw new Error(`${name} worker keeps failing to start; see ${runDir}/${name}.log`);
          }
        }
      },
    );

    print(
      `producing for ${options.durationS}s at ${options.rate} events/s (seed ${options.seed}, faults ${options.faults})`,
    );
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
    const ticker = setInterval(
      () => print(progressLine(Date.now() - started, totals(supervisor))),
      options.progressEveryMs,
    );
    const sampler = setInterval(() => options.onSample?.(supervisor, Date.now() - started), 1000);
    try {
      while (!producerExited && !options.signal?.aborted) await sleep(100);
      if (options.signal?.aborted) {
        print("interrupted: stopping the producer, then draining the workers...");
        await supervisor.stop("producer", 10000);
      }
      const code = await producerDone;
      if (code !== 0 && !options.signal?.aborted)
        print(`! producer exited with code ${code}; see ${runDir}/producer.log`);
      const drainDeadline = Date.now() + options.drainTimeoutMs;
      let t = totals(supervisor);
      while (
        (t.backlogIngestion > 0 || t.backlogAnalytics > 0) &&
        Date.now() < drainDeadline &&
        !options.signal?.aborted
      ) {
        await sleep(250);
        t = totals(supervisor);
      }
    } finally {
      clearInterval(ticker);
      clearInterval(sampler);
    }
    const final = totals(supervisor);
    print(progressLine(Date.now() - started, final));
    print("stopping workers (SIGTERM: they drain in-flight work)...");
    await supervisor.stopAll();
    const summary = await summarize(stack, config, final, started);
    return summary;
  } finally {
    supervisor.killAllNow();
    process.removeListener("exit", killOnExit);
    print("stopping stand-ins...");
    await stack.stop();
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number, check: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    check();
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for the workers to start`);
    await sleep(200);
  }
}

async function summarize(
  stack: Stack,
  config: { MONGODB_DATABASE: string; MONGODB_COLLECTION: string; BIGQUERY_DATASET: string },
  final: PipelineTotals,
  started: number,
): Promise<PipelineSummary> {
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
    const rawDocuments = await mongo
      .db(config.MONGODB_DATABASE)
      .collection(config.MONGODB_COLLECTION)
      .countDocuments();
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
      drained: final.backlogIngestion === 0 && final.backlogAnalytics === 0,
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
