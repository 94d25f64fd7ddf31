/**
 * The two REST calls of the production mode, with the shapes of the Cloud Run Admin API v2
 * (googleapis/googleapis@f8291d2b google/cloud/run/v2/job.proto `RunJob`, execution.proto, condition.proto;
 * operations per run_v2.yaml) and the Cloud Storage JSON API:
 *   POST {run}/v2/projects/P/locations/L/jobs/J:run   body RunJobRequest{overrides{containerOverrides[{args, env}], timeout}}
 *                                                      -> google.longrunning.Operation (metadata: Execution)
 *   GET  {run}/v2/{operation.name}                     -> Operation; done + response (Execution) | error (Status)
 *   GET  {storage}/storage/v1/b/B/o/OBJECT?alt=media   -> the result object
 * Running with overrides needs `run.jobs.runWithOverrides` on the job (Cloud Run Admin API reference,
 * projects.locations.jobs.run), polling the operation `run.operations.get`, reading the result
 * `storage.objects.get` on the results bucket.
 */

/** google.rpc.Status as JSON. */
export interface RpcStatus {
  code?: number;
  message?: string;
  status?: string;
}

/** google.cloud.run.v2.Condition (the fields read here). */
export interface RunCondition {
  type?: string;
  state?: string;
  message?: string;
  reason?: string;
  executionReason?: string;
}

/** google.cloud.run.v2.Execution (the fields read here). */
export interface RunExecution {
  name?: string;
  taskCount?: number;
  runningCount?: number;
  succeededCount?: number;
  failedCount?: number;
  cancelledCount?: number;
  completionTime?: string;
  conditions?: RunCondition[];
  logUri?: string;
}

/** google.longrunning.Operation with Execution metadata and response. */
export interface RunOperation {
  name: string;
  done?: boolean;
  metadata?: RunExecution;
  response?: RunExecution;
  error?: RpcStatus;
}

export interface ContainerOverride {
  name?: string;
  args?: string[];
  env?: { name: string; value: string }[];
}

export interface GoogleRestOptions {
  /** e.g. https://run.googleapis.com (tests: the testkit fake). */
  runEndpoint: string;
  /** e.g. https://storage.googleapis.com. */
  storageEndpoint: string;
  /** An OAuth access token (google-github-actions/auth's credentials through google-auth-library). */
  token: () => Promise<string>;
}

/** An API refusal, with what to do about it. */
export class GoogleApiError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number,
    readonly status: string,
  ) {
    super(message);
  }
}

async function call<T>(
  options: GoogleRestOptions,
  url: string,
  what: string,
  init: RequestInit = {},
): Promise<T> {
  const token = await options.token();
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
    });
  } catch (error) {
    throw new Error(
      `${what}: cannot reach ${new URL(url).host} (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    let status: RpcStatus = {};
    try {
      status = (JSON.parse(text) as { error?: RpcStatus }).error ?? {};
    } catch {
      // not JSON: keep the HTTP status
    }
    throw new GoogleApiError(
      `${what}: HTTP ${response.status} ${status.status ?? ""} ${status.message ?? text.slice(0, 200)}`
        .replace(/\s+/g, " ")
        .trim(),
      response.status,
      status.status ?? "",
    );
  }
  return (text ? JSON.parse(text) : {}) as T;
}

/** Starts an execution of `job` (`projects/P/locations/L/jobs/J`) with per-execution overrides. */
export function runJob(
  options: GoogleRestOptions,
  job: string,
  overrides: { containerOverrides: ContainerOverride[]; timeout?: string },
): Promise<RunOperation> {
  return call<RunOperation>(
    options,
    `${options.runEndpoint.replace(/\/$/, "")}/v2/${job}:run`,
    `run ${job}`,
    {
      method: "POST",
      body: JSON.stringify({ overrides }),
    },
  );
}

export function getOperation(options: GoogleRestOptions, name: string): Promise<RunOperation> {
  return call<RunOperation>(
    options,
    `${options.runEndpoint.replace(/\/$/, "")}/v2/${name}`,
    `get operation ${name}`,
  );
}

/** Reads a JSON object; undefined when it does not exist. */
export async function readObject<T>(
  options: GoogleRestOptions,
  bucket: string,
  object: string,
): Promise<T | undefined> {
  try {
    return await call<T>(
      options,
      `${options.storageEndpoint.replace(/\/$/, "")}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(object)}?alt=media`,
      `read gs://${bucket}/${object}`,
    );
  } catch (error) {
    if (error instanceof GoogleApiError && error.httpStatus === 404) return undefined;
    throw error;
  }
}
