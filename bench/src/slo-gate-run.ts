/**
 * One gate in a fresh process, as the action runs it (bench/src/slo-gate.ts forks this once per run): a new
 * MetricServiceClient, the source catalog read and scored and, for a promotion, the target's read at the same
 * time and scored for its budget (actions/slo-gate/src/main.ts reads both at once). Module loading is not
 * timed (the action's bundle is loaded before it runs); everything after it is, cold. Prints one JSON line.
 *   tsx bench/src/slo-gate-run.ts <port> one|promotion
 */
import { MetricServiceClient } from "@google-cloud/monitoring";
import * as grpc from "@grpc/grpc-js";
import {
  evaluateCatalog,
  installFastListTimeSeries,
  loadSloCatalog,
  readCatalogMinutes,
} from "@shopstream/slo";
import { END, PREFIX, TARGET_PREFIX } from "./slo-gate-fake";

process.env.METADATA_SERVER_DETECTION = "none";

async function gate(port: number, promotion: boolean): Promise<void> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const catalog = loadSloCatalog();
  const client = new MetricServiceClient({
    servicePath: "127.0.0.1",
    port,
    sslCreds: grpc.credentials.createInsecure(),
    projectId: "bench-project",
  });
  // as actions/slo-gate does (SLO_GATE_STOCK_DECODE=true measures the client's own decoder)
  const decoder = await installFastListTimeSeries(client);
  const read = (namePrefix: string) =>
    readCatalogMinutes(client, catalog, { projectId: "bench-project", namePrefix, endMs: END });
  const [source, target] = await Promise.all([read(PREFIX), promotion ? read(TARGET_PREFIX) : undefined]);
  const readMs = performance.now() - start;
  evaluateCatalog(catalog, source, END);
  if (target) evaluateCatalog(catalog, target, END);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpuBefore);
  await client.close();
  process.stdout.write(
    `${JSON.stringify({ wallMs, readMs, cpuMs: (used.user + used.system) / 1000, fastDecode: decoder.installed })}\n`,
  );
}

const [port, shape] = process.argv.slice(2);
if (!port || (shape !== "one" && shape !== "promotion")) {
  console.error("usage: slo-gate-run.ts <port> one|promotion");
  process.exit(2);
}
gate(Number(port), shape === "promotion").catch((error) => {
  console.error(error);
  process.exit(1);
});
