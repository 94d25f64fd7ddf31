import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * A job's `if:` without a status function gets GitHub's implicit `success()`, which is false when ANY
 * ancestor job -- not only a direct need -- was skipped (actions/runner#2205, "Job-level if condition not
 * evaluated correctly if job in 'needs' property is skipped"): promote.yml once skipped its plan and apply
 * whenever the optional override job was skipped, and Slack said success. The rule: a job with a skippable
 * ancestor (one with an `if:`) states its condition in full -- a status function (`!cancelled()` or
 * `always()`) and an explicit `needs.<job>.result` check for each job it needs. A job whose `if` is exactly
 * `always()` (a reporter that runs whatever happened) is the one exception.
 */
const dir = join(__dirname, "../../../.github/workflows");

interface Job {
  needs?: string | string[];
  if?: string | boolean;
}
interface Workflow {
  jobs?: Record<string, Job>;
}

const needsOf = (job: Job) =>
  job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
/** The expression inside an optional `${{ }}` wrapper. */
const expressionOf = (condition: string | boolean | undefined) =>
  condition === undefined
    ? undefined
    : String(condition)
        .trim()
        .replace(/^\$\{\{([\s\S]*)\}\}$/, "$1")
        .trim();

/** Findings of the rule for one workflow's jobs, as `<job>: <what is missing>`. */
function implicitSuccessFindings(jobs: Record<string, Job>): string[] {
  const ancestors = (name: string, seen = new Set<string>()): Set<string> => {
    for (const need of needsOf(jobs[name] ?? {})) {
      if (seen.has(need)) continue;
      seen.add(need);
      ancestors(need, seen);
    }
    return seen;
  };
  const findings: string[] = [];
  for (const [name, job] of Object.entries(jobs)) {
    const skippable = [...ancestors(name)].filter((a) => jobs[a]?.if !== undefined);
    if (skippable.length === 0) continue;
    const condition = expressionOf(job.if);
    const why = `has skippable ancestor(s) ${skippable.join(", ")} (implicit success() is false when one is skipped)`;
    if (condition === undefined) {
      findings.push(`${name}: no if: but ${why}`);
      continue;
    }
    if (condition === "always()") continue;
    if (!/!\s*cancelled\(\)|always\(\)/.test(condition)) {
      findings.push(`${name}: if: uses no status function (!cancelled() or always()) but ${why}`);
    }
    for (const need of needsOf(job)) {
      if (!new RegExp(`needs\\.${need.replace(/[-]/g, "\\-")}\\.result\\b`).test(condition))
        findings.push(`${name}: if: does not check needs.${need}.result explicitly`);
    }
  }
  return findings;
}

describe("implicitSuccessFindings (the rule itself)", () => {
  it("flags a job without if: below a skippable job, even when the skipped one is not a direct need", () => {
    // The promote.yml shape before the fix: override is skipped without a reason, plan needs only gate.
    expect(
      implicitSuccessFindings({
        resolve: {},
        override: { needs: "resolve", if: "inputs.reason != ''" },
        gate: {
          needs: ["resolve", "override"],
          if: "!cancelled() && needs.resolve.result == 'success' && needs.override.result != 'failure'",
        },
        plan: { needs: ["resolve", "gate"] },
      }),
    ).toEqual([expect.stringMatching(/^plan: no if: but has skippable ancestor\(s\) .*override/)]);
  });

  it("flags a status function without explicit result checks, and a condition without status function", () => {
    expect(
      implicitSuccessFindings({
        a: { if: "github.event_name == 'push'" },
        b: { needs: "a", if: "!cancelled()" },
        c: { needs: "b", if: "needs.b.outputs.x != '0'" },
      }),
    ).toEqual([
      "b: if: does not check needs.a.result explicitly",
      expect.stringMatching(/^c: if: uses no status function/),
      "c: if: does not check needs.b.result explicitly",
    ]);
  });

  it("accepts full conditions, a bare always() reporter, and jobs with no skippable ancestor", () => {
    expect(
      implicitSuccessFindings({
        a: {},
        b: { needs: "a" },
        c: { needs: "b", if: "github.ref == 'refs/heads/main'" },
        d: {
          needs: ["b", "c"],
          if: `\${{ !cancelled() && needs.b.result == 'success' && needs.c.result == 'success' }}`,
        },
        e: { needs: ["d"], if: "always()" },
      }),
    ).toEqual([]);
  });
});

describe.each(readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)))("%s", (file) => {
  it("states every condition in full below a skippable job (actions/runner#2205)", () => {
    const workflow = parse(readFileSync(join(dir, file), "utf8")) as Workflow;
    expect(implicitSuccessFindings(workflow.jobs ?? {})).toEqual([]);
  });
});
