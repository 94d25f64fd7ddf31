/** `export-slis`: one run of the SLI exporter of packages/slo (its functions; nothing reimplemented here). */
import type { MetricServiceClient } from "@google-cloud/monitoring";
import { exportAvailability, exportMongoConnections, loadSloCatalog } from "@shopstream/slo";
import type { Logger } from "@shopstream/telemetry";
import type { MongoClient } from "mongodb";

export interface ExportSlisOptions {
  projectId: string;
  deployment: string;
  sloDir: string;
  mongo: MongoClient | undefined;
  monitoring: MetricServiceClient;
  logger: Logger;
  nowMs: number;
}

/** Exports each SLI once; every failure is reported, and the run fails if any export failed. */
export async function exportSlis(o: ExportSlisOptions): Promise<void> {
  const catalog = loadSloCatalog(o.sloDir);
  const where = { projectId: o.projectId, namePrefix: o.deployment, nowMs: o.nowMs };
  const failures: string[] = [];
  if (o.mongo) {
    try {
      const current = await exportMongoConnections(o.mongo.db("admin"), o.monitoring, catalog, where);
      o.logger.info("exported MongoDB connections", { current });
    } catch (error) {
      failures.push(`MongoDB connections: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    const available = await exportAvailability(o.monitoring, catalog, where);
    o.logger.info(
      available === null
        ? "no availability data for the last minute: nothing written"
        : "exported availability",
      {
        available,
      },
    );
  } catch (error) {
    failures.push(`availability: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (failures.length) throw new Error(`SLI export failed for ${o.deployment}: ${failures.join("; ")}`);
}
