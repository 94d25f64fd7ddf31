import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * Which promote.yml jobs run, and what Slack says, for the promotions that happen: the job-level `if:`
 * expressions of the workflow file evaluated with GitHub's rules -- a condition without a status function
 * is `success() && (condition)`, and `success()` is false when any ancestor job (not only a direct need)
 * was skipped or failed (actions/runner#2205; docs.github.com "Evaluate expressions in workflows and
 * actions", status check functions). Only the expression subset the workflow uses is supported; anything
 * else throws, so a new construct cannot be silently misread.
 */
interface Job {
  needs?: string | string[];
  if?: string;
  steps?: { uses?: string; with?: Record<string, string> }[];
}
const promote = parse(readFileSync(join(__dirname, "../../../.github/workflows/promote.yml"), "utf8")) as {
  jobs: Record<string, Job>;
};
const needsOf = (job: Job) =>
  job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];

type Result = "success" | "failure" | "skipped" | "cancelled";
interface JobState {
  result: Result;
  outputs: Record<string, string>;
}

/** Evaluates a GitHub expression (the subset promote.yml uses) against the jobs' states and the inputs. */
function evaluate(
  expression: string,
  context: { needs: Record<string, JobState>; inputs: Record<string, string>; success: boolean },
): unknown {
  const values: unknown[] = [];
  const slot = (value: unknown) => `__v[${values.push(value) - 1}]`;
  const js = expression
    .trim()
    .replace(/^\$\{\{([\s\S]*)\}\}$/, "$1")
    .replace(/'([^']*)'/g, (_, text: string) => slot(text))
    .replace(/contains\(needs\.\*\.result,\s*(__v\[\d+\])\)/g, (_, v: string) =>
      slot(Object.values(context.needs).some((n) => n.result === values[Number(/\d+/.exec(v)![0])])),
    )
    .replace(/needs\.([\w-]+)\.result/g, (_, job: string) => slot(context.needs[job]?.result ?? ""))
    .replace(/needs\.([\w-]+)\.outputs\.([\w-]+)/g, (_, job: string, output: string) =>
      slot(context.needs[job]?.outputs[output] ?? ""),
    )
    .replace(/inputs\.([\w-]+)/g, (_, input: string) => slot(context.inputs[input] ?? ""))
    .replace(/cancelled\(\)/g, "false")
    .replace(/always\(\)/g, "true")
    .replace(/success\(\)/g, String(context.success))
    .replace(/!=/g, "!==")
    .replace(/([^!=])==/g, "$1===");
  if (/[A-Za-z_][\w.-]*\s*\(|(^|[^_\w[])[a-z]+\.[a-z]/.test(js.replace(/__v\[\d+\]/g, "")))
    throw new Error(`unsupported expression: ${expression}`);
  return new Function("__v", `return (${js});`)(values);
}

const statusFunction = /\b(success|failure|cancelled|always)\(\)/;

/**
 * Runs promote.yml's jobs in order: `outcome(job)` says how a job that starts ends (its result and outputs).
 */
function simulate(
  inputs: Record<string, string>,
  outcome: (job: string) => JobState,
): Record<string, JobState> {
  const states: Record<string, JobState> = {};
  const ancestors = (name: string, seen = new Set<string>()): Set<string> => {
    for (const need of needsOf(promote.jobs[name]!)) if (!seen.has(need)) ancestors(need, seen.add(need));
    return seen;
  };
  const pending = Object.keys(promote.jobs);
  while (pending.length > 0) {
    const index = pending.findIndex((name) => needsOf(promote.jobs[name]!).every((n) => n in states));
    const name = pending.splice(index, 1)[0]!;
    const job = promote.jobs[name]!;
    const success = [...ancestors(name)].every((a) => states[a]!.result === "success");
    const needs = Object.fromEntries(needsOf(job).map((n) => [n, states[n]!]));
    const condition = job.if ?? "success()";
    const runs = statusFunction.test(condition)
      ? Boolean(evaluate(condition, { needs, inputs, success }))
      : success && Boolean(evaluate(condition, { needs, inputs, success }));
    states[name] = runs ? outcome(name) : { result: "skipped", outputs: {} };
  }
  return states;
}

/** The Slack status notify would post. */
function slackStatus(states: Record<string, JobState>): unknown {
  const notify = promote.jobs.notify!;
  const status = notify.steps!.find((s) => s.uses === "./actions/slack-notify")!.with!.status!;
  const needs = Object.fromEntries(needsOf(notify).map((n) => [n, states[n]!]));
  return evaluate(status, { needs, inputs: {}, success: false });
}

const ok = (outputs: Record<string, string> = {}): JobState => ({ result: "success", outputs });
const normal = { "override-reason": "", source: "dev", target: "staging" };
const planOutputs = (losses: string) => ({ "stateful-losses": losses, "plan-sha256": "a".repeat(64) });

describe("promote.yml job conditions, evaluated", () => {
  it("a normal promotion (no override reason, no data loss) plans, applies and reports success", () => {
    const states = simulate(normal, (job) =>
      job === "plan" ? ok(planOutputs("0")) : job === "apply" ? ok({ integration: "pass" }) : ok(),
    );
    expect(states.override!.result).toBe("skipped");
    expect(states.plan!.result).toBe("success");
    expect(states["approve-destroy"]!.result).toBe("skipped");
    expect(states.apply!.result).toBe("success");
    expect(states.notify!.result).toBe("success");
    expect(slackStatus(states)).toBe("success");
  });

  it("a plan that destroys a data store waits for <target>-destroy: apply runs only after that approval", () => {
    const approved = simulate(normal, (job) =>
      job === "plan" ? ok(planOutputs("2")) : job === "apply" ? ok({ integration: "pass" }) : ok(),
    );
    expect(approved["approve-destroy"]!.result).toBe("success");
    expect(approved.apply!.result).toBe("success");

    const rejected = simulate(normal, (job) =>
      job === "plan"
        ? ok(planOutputs("2"))
        : job === "approve-destroy"
          ? { result: "failure", outputs: {} }
          : ok(),
    );
    expect(rejected.apply!.result).toBe("skipped");
    expect(slackStatus(rejected)).toBe("failure");
  });

  it("an SLO override runs the override approval, then the same plan and apply", () => {
    const states = simulate({ ...normal, "override-reason": "P0" }, (job) =>
      job === "plan" ? ok(planOutputs("0")) : job === "apply" ? ok({ integration: "pass" }) : ok(),
    );
    expect(states.override!.result).toBe("success");
    expect(states.apply!.result).toBe("success");
  });

  it("a failed gate stops the promotion and Slack says failure, not success", () => {
    const states = simulate(normal, (job) => (job === "gate" ? { result: "failure", outputs: {} } : ok()));
    expect(states.plan!.result).toBe("skipped");
    expect(states.apply!.result).toBe("skipped");
    expect(slackStatus(states)).toBe("failure");
  });

  it("a failed integration test is reported as a failure", () => {
    const states = simulate(normal, (job) =>
      job === "plan"
        ? ok(planOutputs("0"))
        : job === "apply"
          ? { result: "failure", outputs: { integration: "fail" } }
          : ok(),
    );
    expect(slackStatus(states)).toBe("failure");
  });
});
