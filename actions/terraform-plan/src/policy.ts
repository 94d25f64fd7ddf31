/**
 * Policy evaluation with OPA: runs `opa eval` over the plan JSON with the policies of policies/terraform and
 * a context document (environment, pull-request labels), and reads back the deny / warn verdicts.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One verdict of one policy on one resource (or on the whole plan when address is absent). */
export interface Verdict {
  severity: "deny" | "warn";
  policy: string;
  address?: string;
  message: string;
}

/** Result of evaluating all policies. */
export interface PolicyResult {
  /** `skipped` when policies are turned off. */
  status: "pass" | "warn" | "fail" | "skipped";
  verdicts: Verdict[];
}

/** Context the policies see as `data.context`. */
export interface PolicyContext {
  environment: string;
  /** Pull-request labels (or the promotion's override labels). */
  labels: string[];
}

/** The Rego query: every policy file contributes to these two sets in package shopstream.terraform. */
export const POLICY_QUERY = "data.shopstream.terraform";

function toVerdict(severity: "deny" | "warn", raw: unknown): Verdict {
  if (typeof raw === "string") return { severity, policy: "unnamed", message: raw };
  const r = (raw ?? {}) as Record<string, unknown>;
  return {
    severity,
    policy: typeof r.policy === "string" ? r.policy : "unnamed",
    ...(typeof r.address === "string" ? { address: r.address } : {}),
    message:
      typeof r.msg === "string" ? r.msg : typeof r.message === "string" ? r.message : JSON.stringify(raw),
  };
}

/**
 * Reads the JSON that `opa eval --format json <query>` prints into a {@link PolicyResult}.
 * @throws Error when the output is not an OPA result.
 */
export function parseOpaOutput(stdout: string): PolicyResult {
  const doc = JSON.parse(stdout) as { result?: { expressions?: { value?: unknown }[] }[] };
  const value = doc.result?.[0]?.expressions?.[0]?.value as
    | { deny?: unknown[]; warn?: unknown[] }
    | undefined;
  if (!value || typeof value !== "object") {
    throw new Error(`OPA returned no value for ${POLICY_QUERY}: is the policy directory right?`);
  }
  const verdicts = [
    ...(value.deny ?? []).map((v) => toVerdict("deny", v)),
    ...(value.warn ?? []).map((v) => toVerdict("warn", v)),
  ].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === "deny" ? -1 : 1) ||
      a.policy.localeCompare(b.policy) ||
      (a.address ?? "").localeCompare(b.address ?? ""),
  );
  return { status: statusOf(verdicts), verdicts };
}

/** fail when anything is denied, warn when only warnings, else pass. */
export function statusOf(verdicts: readonly Verdict[]): PolicyResult["status"] {
  if (verdicts.some((v) => v.severity === "deny")) return "fail";
  if (verdicts.length) return "warn";
  return "pass";
}

/** Runs a command and resolves with its stdout; rejects with stderr in the message. */
function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args[0]} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/**
 * Evaluates the policies in `policyDir` on the plan JSON file with `opa eval`.
 * @param opa path or name of the opa binary
 */
export async function evaluatePolicies(
  opa: string,
  policyDir: string,
  planJsonPath: string,
  context: PolicyContext,
): Promise<PolicyResult> {
  const dir = await mkdtemp(join(tmpdir(), "tf-policy-"));
  try {
    const contextPath = join(dir, "context.json");
    await writeFile(contextPath, JSON.stringify({ context }));
    const stdout = await run(opa, [
      "eval",
      "--format",
      "json",
      "--input",
      planJsonPath,
      "--data",
      policyDir,
      "--data",
      contextPath,
      POLICY_QUERY,
    ]);
    return parseOpaOutput(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
