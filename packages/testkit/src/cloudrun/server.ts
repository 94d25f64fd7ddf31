/**
 * A fake Cloud Run Admin API v2 (REST/JSON) for `jobs.run` with overrides and operation polling, plus the
 * two Cloud Storage JSON API object calls a job result travels through, on node:http. Shapes from
 * googleapis/googleapis@f8291d2b: google/cloud/run/v2/job.proto (`RunJob`: POST /v2/{name}:run, body
 * RunJobRequest, returns google.longrunning.Operation with Execution metadata and response),
 * execution.proto (runningCount, succeededCount, failedCount, conditions, logUri), condition.proto
 * (type, state CONDITION_SUCCEEDED / CONDITION_FAILED, message), run_v2.yaml (GetOperation:
 * GET /v2/{name=projects/*\/locations/*\/operations/*}); errors as google.rpc.Status JSON
 * (`{ error: { code, message, status } }`). Cloud Storage: simple upload
 * (POST /upload/storage/v1/b/B/o?uploadType=media&name=N) and download (GET /storage/v1/b/B/o/N?alt=media).
 *
 * A test registers what each job's execution does (`jobs.set(name, behaviour)`); the fake runs it when the
 * job is started, and the operation completes with its outcome.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The overrides of one `jobs.run` call, as sent. */
export interface FakeRunOverrides {
  containerOverrides?: { name?: string; args?: string[]; env?: { name: string; value: string }[] }[];
  taskCount?: number;
  timeout?: string;
}

/** What an execution does: succeed, fail with a task message, or never finish. */
export type FakeExecutionOutcome = { succeeded: true } | { failed: string } | { hang: true };

export type FakeJobBehaviour = (
  overrides: FakeRunOverrides,
  server: FakeCloudRunServer,
) => Promise<FakeExecutionOutcome> | FakeExecutionOutcome;

interface FakeOperation {
  name: string;
  done: boolean;
  execution: Record<string, unknown>;
  error?: { code: number; message: string; status: string };
}

export class FakeCloudRunServer {
  /** Job resource names (`projects/P/locations/L/jobs/J`) and what their executions do. */
  readonly jobs = new Map<string, FakeJobBehaviour>();
  /** Jobs the caller may not run with overrides (403 PERMISSION_DENIED, as IAM answers). */
  readonly denied = new Set<string>();
  /** Objects by `bucket/name`. */
  readonly objects = new Map<string, string>();
  readonly calls: { method: string; path: string; body?: unknown }[] = [];
  readonly operations = new Map<string, FakeOperation>();
  /**
   * How a failed execution completes its operation: `error` (google.rpc.Status, the Execution in metadata)
   * or `response` (the Execution with failedCount and a failed Completed condition). Which one Cloud Run
   * uses is not stated in the protos, so the action handles both.
   */
  failureAs: "error" | "response" = "error";
  private server: Server | undefined;

  /** `token`: the bearer token every call must carry; null accepts calls without one (as an emulator does). */
  constructor(readonly token: string | null = "fake-access-token") {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error("FakeCloudRunServer is not started");
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) =>
        send(res, 500, rpcError(500, "INTERNAL", error instanceof Error ? error.message : String(error))),
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    const text = await readBody(req);
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    this.calls.push({
      method: req.method ?? "",
      path: url.pathname,
      ...(body === undefined ? {} : { body }),
    });
    if (this.token !== null && req.headers.authorization !== `Bearer ${this.token}`)
      return send(
        res,
        401,
        rpcError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."),
      );

    const run = /^\/v2\/(projects\/[^/]+\/locations\/[^/]+\/jobs\/[^/:]+):run$/.exec(url.pathname);
    if (req.method === "POST" && run)
      return this.runJob(run[1] as string, (body ?? {}) as { overrides?: FakeRunOverrides }, res);
    const op = /^\/v2\/(projects\/[^/]+\/locations\/[^/]+\/operations\/[^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && op) {
      const operation = this.operations.get(op[1] as string);
      if (!operation) return send(res, 404, rpcError(404, "NOT_FOUND", `Operation ${op[1]} not found.`));
      return send(res, 200, renderOperation(operation));
    }
    const download = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    if (req.method === "GET" && download && url.searchParams.get("alt") === "media") {
      const key = `${decodeURIComponent(download[1] as string)}/${decodeURIComponent(download[2] as string)}`;
      const object = this.objects.get(key);
      if (object === undefined) return send(res, 404, rpcError(404, "NOT_FOUND", `No such object: ${key}`));
      res.writeHead(200, { "content-type": "application/json" }).end(object);
      return;
    }
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (req.method === "POST" && upload && url.searchParams.get("uploadType") === "media") {
      const key = `${decodeURIComponent(upload[1] as string)}/${url.searchParams.get("name")}`;
      if (url.searchParams.get("ifGenerationMatch") === "0" && this.objects.has(key))
        return send(
          res,
          412,
          rpcError(
            412,
            "FAILED_PRECONDITION",
            "At least one of the pre-conditions you specified did not hold.",
          ),
        );
      this.objects.set(key, text);
      return send(res, 200, {
        kind: "storage#object",
        bucket: upload[1],
        name: url.searchParams.get("name"),
      });
    }
    return send(res, 404, rpcError(404, "NOT_FOUND", `no route for ${req.method} ${url.pathname}`));
  }

  private runJob(job: string, request: { overrides?: FakeRunOverrides }, res: ServerResponse) {
    if (this.denied.has(job))
      return send(
        res,
        403,
        rpcError(
          403,
          "PERMISSION_DENIED",
          `Permission 'run.jobs.runWithOverrides' denied on resource '${job}' (or it may not exist).`,
        ),
      );
    const behaviour = this.jobs.get(job);
    if (!behaviour) return send(res, 404, rpcError(404, "NOT_FOUND", `Resource '${job}' was not found`));
    const location = job.replace(/\/jobs\/.*$/, "");
    const jobId = job.replace(/^.*\/jobs\//, "");
    const operation: FakeOperation = {
      name: `${location}/operations/${randomUUID()}`,
      done: false,
      execution: {
        "@type": "type.googleapis.com/google.cloud.run.v2.Execution",
        name: `${job}/executions/${jobId}-${randomUUID().slice(0, 5)}`,
        job: jobId,
        taskCount: request.overrides?.taskCount ?? 1,
        runningCount: 1,
        succeededCount: 0,
        failedCount: 0,
        logUri: `https://console.cloud.google.com/logs/viewer?fake=${jobId}`,
        conditions: [{ type: "Ready", state: "CONDITION_RECONCILING" }],
      },
    };
    this.operations.set(operation.name, operation);
    void Promise.resolve(behaviour(request.overrides ?? {}, this)).then(
      (outcome) => this.finish(operation, outcome),
      (error: unknown) =>
        this.finish(operation, { failed: error instanceof Error ? error.message : String(error) }),
    );
    return send(res, 200, renderOperation(operation));
  }

  private finish(operation: FakeOperation, outcome: FakeExecutionOutcome) {
    if ("hang" in outcome) return;
    const completionTime = new Date().toISOString();
    if ("succeeded" in outcome) {
      Object.assign(operation.execution, {
        runningCount: 0,
        succeededCount: 1,
        completionTime,
        conditions: [{ type: "Completed", state: "CONDITION_SUCCEEDED", lastTransitionTime: completionTime }],
      });
    } else {
      const message = `Task ${String(operation.execution.name).replace(/^.*\//, "")}-task0 failed with message: ${outcome.failed}`;
      Object.assign(operation.execution, {
        runningCount: 0,
        failedCount: 1,
        completionTime,
        conditions: [
          { type: "Completed", state: "CONDITION_FAILED", message, lastTransitionTime: completionTime },
        ],
      });
      if (this.failureAs === "error") operation.error = { code: 9, message, status: "FAILED_PRECONDITION" };
    }
    operation.done = true;
  }
}

function renderOperation(operation: FakeOperation) {
  return {
    name: operation.name,
    metadata: operation.execution,
    done: operation.done,
    ...(operation.error
      ? { error: operation.error }
      : operation.done
        ? { response: operation.execution }
        : {}),
  };
}

const rpcError = (code: number, status: string, message: string) => ({ error: { code, message, status } });

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8" }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
