/**
 * The SLI exporter: the two SLIs Cloud Monitoring cannot see by itself, written as custom metrics once a
 * minute (run it from a scheduler; see docs/slos.md):
 *  - MongoDB connections: `serverStatus().connections.current` (MongoDB Atlas has no native Cloud
 *    Monitoring metrics) as an INT64 gauge on the `mongodb-connections` SLO's metric;
 *  - overall availability: the composite per-minute verdict (every component good), as a BOOL gauge on
 *    the composite SLO's metric, computed by the same code as the gate.
 */
import type { protos } from "@google-cloud/monitoring";
import { readCatalogMinutes, type TimeSeriesLister } from "./cloud";
import { customTimeSeries } from "./custom-metrics";
import type { MetricSelector, SloCatalog } from "./declaration";
import { compositeMinutes, evaluationEnd } from "./evaluate";
import { NAME_PREFIX_PLACEHOLDER } from "./filter";

/** The one method of MetricServiceClient the exporter writes with. */
export interface TimeSeriesWriter {
  createTimeSeries(request: protos.google.monitoring.v3.ICreateTimeSeriesRequest): Promise<unknown>;
}

/** Anything that runs an admin command (a `mongodb` Db from `client.db("admin")`). */
export interface MongoAdmin {
  command(command: { serverStatus: 1 }): Promise<{ connections?: { current?: number } }>;
}

/** Where and when to write. */
export interface ExportOptions {
  projectId: string;
  namePrefix: string;
  nowMs: number;
}

/** The selector's metric labels with `{name_prefix}` filled in. */
function labelsOf(selector: MetricSelector, o: ExportOptions): Record<string, string> {
  if (selector.resourceType !== "global")
    throw new Error(`custom SLI metrics are written on the global resource, not ${selector.resourceType}`);
  return Object.fromEntries(
    Object.entries(selector.metricLabels).map(([k, v]) => [
      k,
      v.split(NAME_PREFIX_PLACEHOLDER).join(o.namePrefix),
    ]),
  );
}

function selectorOf(
  catalog: SloCatalog,
  name: string,
  kind: "windows-in-range" | "composite",
): MetricSelector {
  const slo = catalog.slos.find((s) => s.name === name);
  if (!slo || slo.sli.kind !== kind) throw new Error(`the catalog has no ${kind} SLO named ${name}`);
  return slo.sli.metric;
}

/**
 * Reads the current connection count and writes it, stamped with the minute the run was scheduled for
 * (`nowMs` floored to the minute: the scheduler fires on the minute, the job starts seconds later); returns
 * the value written.
 */
export async function exportMongoConnections(
  admin: MongoAdmin,
  writer: TimeSeriesWriter,
  catalog: SloCatalog,
  o: ExportOptions,
  sloName = "mongodb-connections",
): Promise<number> {
  const status = await admin.command({ serverStatus: 1 });
  const current = status.connections?.current;
  if (typeof current !== "number") throw new Error("serverStatus has no connections.current");
  const selector = selectorOf(catalog, sloName, "windows-in-range");
  // customTimeSeries refuses NaN, negative and fractional counts before anything is written
  const series = customTimeSeries(selector.metricType, current, {
    projectId: o.projectId,
    labels: labelsOf(selector, o),
    // the scheduled minute, not the job's start: a run that starts late must not land in the next minute
    // (two points summed into one minute, none in the one before; the SLI sums the series per minute)
    endMs: Math.floor(o.nowMs / 60_000) * 60_000,
  });
  await writer.createTimeSeries({ name: `projects/${o.projectId}`, timeSeries: [series] });
  return current;
}

/**
 * How far back the availability exporter reads its components: enough to know whether each component's
 * writer has delivered a point yet ("once arrived", evaluate.ts compositeMinutes). A component silent
 * for longer than this leaves the minute unwritten, which the pipeline/available metric-absent alert
 * pages on.
 */
export const AVAILABILITY_LOOKBACK_SECONDS = 86_400;

/**
 * Writes the composite verdict of the newest minute whose inputs are all visible (the evaluation time
 * minus the composite's visibility delay: its slowest component's plus one minute); returns it, or null
 * (nothing written) when no component had data in that minute or a component has not delivered any point
 * yet (its writer is not deployed: not measured, not bad). Scoring the minute that just ended would count
 * metrics still being ingested as missing.
 */
export async function exportAvailability(
  client: TimeSeriesLister & TimeSeriesWriter,
  catalog: SloCatalog,
  o: ExportOptions,
  sloName = "overall-availability",
): Promise<boolean | null> {
  const slo = catalog.slos.find((s) => s.name === sloName);
  if (!slo) throw new Error(`the catalog has no SLO named ${sloName}`);
  const minuteEnd = evaluationEnd(slo, o.nowMs);
  // read each component up to the same minute (its own delay is at most the composite's)
  const data = await readCatalogMinutes(
    client,
    {
      ...catalog,
      slos: catalog.slos.map((s) => ({ ...s, visibilityDelaySeconds: slo.visibilityDelaySeconds })),
    },
    { ...o, endMs: o.nowMs, lookbackSeconds: AVAILABILITY_LOOKBACK_SECONDS },
  );
  const verdict = compositeMinutes(slo, data, catalog, minuteEnd).get(minuteEnd);
  if (!verdict) return null;
  const available = verdict.good === 1;
  const selector = selectorOf(catalog, sloName, "composite");
  await client.createTimeSeries({
    name: `projects/${o.projectId}`,
    timeSeries: [
      customTimeSeries(selector.metricType, available, {
        projectId: o.projectId,
        labels: labelsOf(selector, o),
        endMs: minuteEnd,
      }),
    ],
  });
  return available;
}
