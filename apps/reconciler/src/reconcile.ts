/**
 * One reconciliation run: every closed, settled window after the watermark, oldest first. Per window:
 * distinct event_ids in BigQuery `events` vs MongoDB raw, dead letters of both paths, written as custom
 * metrics, then recorded (which advances the watermark). A failure stops the run at that window with
 * the window in the error; the next run resumes there.
 */
import type { BigQuery } from "@google-cloud/bigquery";
import type { TimeSeriesWriter } from "@shopstream/slo";
import type { Logger } from "@shopstream/telemetry";
import type { Db } from "mongodb";
import { compareEventIds } from "./compare";
import { MAX_POINT_AGE_MS, windowSeries, writeSeries } from "./metrics";
import type { ReconciliationState, WindowResult } from "./state";
import { bigqueryEventIds, countDeadLetters, type DeadLetterSource, mongoEventIds } from "./stores";
import { describeWindow, type Window, type WindowPlan, windowsToReconcile } from "./windows";

export interface ReconcileOptions {
  projectId: string;
  /** The deployment's name prefix (the `deployment` metric label), e.g. shopstream-prod. */
  deployment: string;
  bigquery: BigQuery;
  db: Db;
  /** `dataset.events` (or `project.dataset.events`). */
  eventsTable: string;
  rawCollection: string;
  deadLetters: { mongodb: DeadLetterSource; bigquery: DeadLetterSource };
  state: ReconciliationState;
  writer: TimeSeriesWriter;
  plan: WindowPlan;
  /** event_ids logged per window and store, for replay. */
  sampleSize: number;
  logger: Logger;
  now?: () => number;
  /** Pause between windows: Cloud Monitoring takes one point per series every 5 s. */
  pauseBetweenWindowsMs?: number;
}

export interface RunSummary {
  windows: WindowResult[];
  watermarkBefore: number | null;
  watermarkAfter: number | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function reconcileWindow(o: ReconcileOptions, w: Window): Promise<WindowResult> {
  const [bigqueryIds, mongoIds, deadMongo, deadBigQuery] = await Promise.all([
    bigqueryEventIds(o.bigquery, o.eventsTable, w),
    mongoEventIds(o.db, o.rawCollection, w),
    countDeadLetters(o.deadLetters.mongodb, o, w),
    countDeadLetters(o.deadLetters.bigquery, o, w),
  ]);
  const diff = compareEventIds(mongoIds, bigqueryIds, o.sampleSize);
  return {
    window: w,
    missing: { mongodb: diff.missingInMongo, bigquery: diff.missingInBigQuery },
    deadLettered: { mongodb: deadMongo, bigquery: deadBigQuery },
    sample: { mongodb: diff.mongoSample, bigquery: diff.bigquerySample },
  };
}

/** Reconciles every window that is due; returns what it found. */
export async function reconcile(o: ReconcileOptions): Promise<RunSummary> {
  const now = o.now ?? Date.now;
  const watermarkBefore = await o.state.watermark();
  const windows = windowsToReconcile(now(), watermarkBefore, o.plan);
  o.logger.info(`reconciling ${windows.length} window(s) for ${o.deployment}`, {
    watermark: watermarkBefore === null ? null : new Date(watermarkBefore).toISOString(),
  });
  const results: WindowResult[] = [];
  for (const [index, w] of windows.entries()) {
    let result: WindowResult;
    try {
      result = await reconcileWindow(o, w);
      const label = describeWindow(w);
      if (now() - w.endMs > MAX_POINT_AGE_MS) {
        o.logger.warn(`window ${label} is older than Cloud Monitoring accepts (25 h): recorded, not written`);
      } else if (
        !(await writeSeries(o.writer, o.projectId, windowSeries(result, o.deployment, o.projectId)))
      ) {
        o.logger.warn(`window ${label} was already written to Cloud Monitoring (a re-run): values kept`);
      }
      await o.state.record(result, now());
    } catch (error) {
      throw new Error(
        `reconciliation of window ${describeWindow(w)} failed (${index} of ${windows.length} done; the next run ` +
          `resumes here): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    results.push(result);
    const fields = {
      window: describeWindow(w),
      missing: result.missing,
      dead_lettered: result.deadLettered,
      progress: `${index + 1}/${windows.length}`,
    };
    if (result.missing.mongodb > 0 || result.missing.bigquery > 0)
      o.logger.warn("events missing from a store: replay them (docs/reconciliation.md)", {
        ...fields,
        missing_in_mongodb_sample: result.sample.mongodb,
        missing_in_bigquery_sample: result.sample.bigquery,
      });
    else o.logger.info("window reconciled", fields);
    if (index < windows.length - 1 && o.pauseBetweenWindowsMs) await sleep(o.pauseBetweenWindowsMs);
  }
  const last = results.at(-1);
  return { windows: results, watermarkBefore, watermarkAfter: last ? last.window.endMs : watermarkBefore };
}
