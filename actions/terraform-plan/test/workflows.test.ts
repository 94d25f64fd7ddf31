import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * Workflow lint: third-party actions pinned by full commit SHA with a version comment, least-privilege
 * `permissions:` everywhere, Workload Identity Federation only (no JSON keys), deploy jobs serialised by a
 * per-environment concurrency group.
 */
const dir = join(__dirname, "../../../.github/workflows");
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
type Job = {
  permissions?: Record<string, string>;
  steps?: { uses?: string; with?: Record<string, unknown> }[];
  concurrency?: unknown;
  environment?: unknown;
};
const workflows = files.map((file) => {
  const text = readFileSync(join(dir, file), "utf8");
  return {
    file,
    text,
    doc: parse(text) as { permissions?: unknown; jobs: Record<string, Job>; concurrency?: unknown },
  };
});

describe.each(workflows)("$file", ({ file, text, doc }) => {
  it("pins every third-party action by full commit SHA with a version comment", () => {
    const uses = [...text.matchAll(/uses:\s*([^\s#]+)(\s*#\s*(\S+))?/g)];
    for (const [, ref, , comment] of uses) {
      if (ref!.startsWith("./")) continue;
      expect(`${file}: ${ref}`).toMatch(/@[0-9a-f]{40}$/);
      expect(`${file}: ${ref} # ${comment}`).toMatch(/# v\d/);
    }
  });

  it("declares top-level permissions and never grants write-all", () => {
    expect(doc.permissions).toBeDefined();
    expect(text).not.toMatch(/write-all|permissions:\s*write/);
  });

  it("authenticates to Google Cloud only through Workload Identity Federation", () => {
    expect(text).not.toMatch(/credentials_json|GOOGLE_APPLICATION_CREDENTIALS|service_account_key/);
    for (const [name, job] of Object.entries(doc.jobs)) {
      const auth = job.steps?.find((s) => s.uses?.startsWith("google-github-actions/auth@"));
      if (!auth) continue;
      expect(`${name}: ${job.permissions?.["id-token"]}`).toBe(`${name}: write`);
      expect(auth.with?.workload_identity_provider).toBeDefined();
    }
  });

  it("every job that applies runs in a protected environment, in a promotion queue that never cancels", () => {
    for (const [name, job] of Object.entries(doc.jobs)) {
      if (!job.steps?.some((s) => s.uses === "./actions/terraform-apply")) continue;
      expect(`${name}: ${JSON.stringify(job.environment)}`).not.toMatch(/-plan/);
      // A pending run in a group is replaced by a newer one unless the group queues (`queue: max`).
      expect(doc.concurrency ?? job.concurrency).toEqual({
        group: expect.stringMatching(/^promote-/),
        "cancel-in-progress": false,
        queue: "max",
      });
    }
  });

  it("jobs in a <env>-plan environment (reachable from pull requests) get read-only credentials only", () => {
    for (const [name, job] of Object.entries(doc.jobs)) {
      if (!/-plan/.test(JSON.stringify(job.environment ?? ""))) continue;
      const body = JSON.stringify(job);
      expect(`${name}: ${body}`).not.toMatch(
        /secrets\.(MONGODB_ATLAS_CLIENT_ID|MONGODB_ATLAS_CLIENT_SECRET|SLACK_AUTH_TOKEN|SLACK_BOT_TOKEN)\b/,
      );
      expect(`${name}: ${body}`).not.toMatch(/GCP_DEPLOY_SERVICE_ACCOUNT/);
      for (const step of job.steps ?? []) {
        if (step.uses === "./actions/terraform-plan")
          expect(`${name}: lock=${step.with?.lock}`).toBe(`${name}: lock=false`);
      }
    }
  });
});

it("the workflows cover pull-request plans, promotions, drift, CI and code scanning", () => {
  expect(files).toEqual(
    expect.arrayContaining(["terraform-plan.yml", "promote.yml", "drift.yml", "ci.yml", "codeql.yml"]),
  );
});

describe("required checks never hang", () => {
  const byFile = Object.fromEntries(workflows.map((w) => [w.file, w]));

  it.each([
    ["terraform-plan.yml", "terraform-plan"],
    ["ci.yml", "ci"],
  ])("%s: the required job %s always runs, on every pull request and in the merge queue", (file, job) => {
    const { doc } = byFile[file]!;
    const on = (doc as unknown as { on: Record<string, { paths?: unknown } | null> }).on;
    expect(Object.keys(on)).toEqual(expect.arrayContaining(["pull_request", "merge_group"]));
    expect(on.pull_request?.paths).toBeUndefined();
    const required = doc.jobs[job] as Job & { if?: string; needs?: string[] };
    expect(required.if).toBe("always()");
    // It depends on every other job, so a failure anywhere fails the required check.
    expect([...(required.needs ?? [])].sort()).toEqual(
      Object.keys(doc.jobs)
        .filter((j) => j !== job)
        .sort(),
    );
  });

  it("the plan's path filter covers Terraform, policies and the tools that build the plan", () => {
    const script = readFileSync(join(dir, "../scripts/plan-paths.sh"), "utf8");
    for (const path of [
      "terraform/",
      "policies/terraform/",
      "tools/terraform/",
      "actions/terraform-plan/",
      "tools/udf/",
    ])
      expect(script).toContain(path);
  });

  it("drift and promotions never share a concurrency group", () => {
    const drift = JSON.stringify(byFile["drift.yml"]!.doc.jobs.drift!.concurrency);
    expect(drift).toMatch(/drift-/);
    expect(drift).not.toMatch(/promote-|deploy-/);
  });
});

describe("promotion deploys the scheduled jobs' image of its release", () => {
  /** A GitHub Actions expression as written in a workflow. */
  const gh = (expression: string) => `\${{ ${expression} }}`;
  const promote = workflows.find((w) => w.file === "promote.yml")!.doc.jobs as Record<
    string,
    Job & {
      uses?: string;
      needs?: string | string[];
      with?: Record<string, string>;
      env?: Record<string, string>;
    }
  >;

  // Since ADR 0002 the image is built once per release (release.yml) and reaches the plan in the release's var
  // file (tools/workflow-lint/test/release-workflows.test.ts); promotions push nothing.
  it("the plan takes reconciler_image from the release's var file, and no environment tfvars file overrides it", () => {
    const plan = promote.plan!;
    expect(plan.env?.TF_VAR_reconciler_image).toBeUndefined();
    expect(promote.image).toBeUndefined();
    const tfvars = join(__dirname, "../../../terraform/environments");
    const setting = readdirSync(tfvars)
      .filter((f) => f.endsWith(".tfvars"))
      .filter((f) => /^\s*reconciler_image\s*=/m.test(readFileSync(join(tfvars, f), "utf8")));
    expect(setting).toEqual([]);
  });

  it("the reusable image workflow authenticates with the release identity, never a deploy identity", () => {
    const reusable = workflows.find((w) => w.file === "reconciler-image.yml")!.text;
    expect(reusable).toContain("vars.GCP_WORKLOAD_IDENTITY_PROVIDER");
    expect(reusable).toContain("vars.GCP_RELEASE_SERVICE_ACCOUNT");
    expect(reusable).not.toContain("vars.GCP_DEPLOY_SERVICE_ACCOUNT");
  });

  it.each([
    ["terraform-plan.yml", "plan"],
    ["drift.yml", "drift"],
  ])("%s: plans that build no image keep the deployed one (no plan to destroy the jobs)", (file, name) => {
    const job = workflows.find((w) => w.file === file)!.doc.jobs[name] as unknown as {
      steps: { id?: string; run?: string; uses?: string; env?: Record<string, string> }[];
    };
    const lookup = job.steps.findIndex((s) => s.id === "jobs-image");
    const plan = job.steps.findIndex((s) => s.uses === "./actions/terraform-plan");
    expect(job.steps[lookup]?.run).toContain(".github/scripts/deployed-jobs-image.sh");
    expect(lookup).toBeGreaterThan(-1);
    expect(lookup).toBeLessThan(plan);
    expect(job.steps[plan]?.env?.TF_VAR_reconciler_image).toBe(gh("steps.jobs-image.outputs.image"));
  });

  it("the notification waits for the release resolution, so a refused release is reported as a failure", () => {
    expect([promote.notify!.needs].flat()).toContain("resolve");
  });
});
