import http from "node:http";
import { MongoClient } from "mongodb";

/** One protocol-level probe; resolves when the service answers correctly, rejects otherwise. */
export type Probe = () => Promise<void>;

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Stops waiting early (e.g. the process died). Return a reason to give up. */
  giveUp?: () => string | undefined;
}

/** Polls `probe` until it succeeds, or throws with the last probe error once `timeoutMs` has passed. */
export async function waitUntilReady(probe: Probe, opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      await probe();
      return;
    } catch (err) {
      last = err;
    }
    const reason = opts.giveUp?.();
    if (reason) throw new Error(reason);
    if (Date.now() >= deadline) {
      throw new Error(`not ready after ${opts.timeoutMs} ms; last probe error: ${errorText(last)}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message.split("\n")[0] ?? err.name;
  return String(err);
}

/** HTTP GET returning status and body (no redirects, short timeout). */
export function httpGet(url: string, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // agent: false -> one connection per probe, closed afterwards (no keep-alive socket left behind).
    const req = http.get(url, { timeout: timeoutMs, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

/** The Pub/Sub emulator answers `GET /` with `Ok`. */
export function pubsubProbe(port: number): Probe {
  return async () => {
    const { status, body } = await httpGet(`http://127.0.0.1:${port}/`);
    if (status !== 200 || body.trim() !== "Ok") throw new Error(`GET / -> ${status} ${body.slice(0, 80)}`);
  };
}

/** MongoDB `ping` through the driver. */
export function mongoProbe(uri: string): Probe {
  return async () => {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
    try {
      await client.connect();
      const res = await client.db("admin").command({ ping: 1 });
      if (res.ok !== 1) throw new Error(`ping -> ${JSON.stringify(res)}`);
    } finally {
      await client.close(true);
    }
  };
}

/**
 * BigQuery: list datasets (`GET <apiEndpoint>/bigquery/v2/projects/<p>/datasets`), the same REST call
 * `new BigQuery({ projectId, apiEndpoint }).getDatasets()` makes. Plain HTTP on purpose: inside jest the
 * Google client needs a transform of teeny-request/node-fetch (see README), and a readiness check used by
 * fault-injection tests must not depend on that.
 */
export function bigqueryProbe(apiEndpoint: string, projectId: string): Probe {
  return async () => {
    const url = `${apiEndpoint}/bigquery/v2/projects/${encodeURIComponent(projectId)}/datasets?maxResults=1`;
    const { status, body } = await httpGet(url);
    if (status !== 200 || !body.includes("bigquery#datasetList")) {
      throw new Error(`GET datasets -> ${status} ${body.slice(0, 120)}`);
    }
  };
}
