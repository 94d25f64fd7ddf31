import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * Promotions carry one release built once (docs/decisions/0002-immutable-release-promotion.md): the workflow
 * structure that makes it so, read from the workflow files.
 */
const dir = join(__dirname, "../../../.github/workflows");
interface Step {
  id?: string;
  if?: string;
  env?: Record<string, string>;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  steps?: Step[];
  with?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}
/** A GitHub Actions expression as written in a workflow. */
const gh = (expression: string) => `\${{ ${expression} }}`;
const load = (file: string) => parse(readFileSync(join(dir, file), "utf8")) as Workflow;
const promote = load("promote.yml");
const release = load("release.yml");
const envOf = (job: Job) => (typeof job.environment === "object" ? job.environment.name : job.environment);
const needsOf = (job: Job) =>
  job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
const stepsUsing = (job: Job, action: string) => (job.steps ?? []).filter((s) => s.uses === action);

describe("promote.yml", () => {
  it("builds and pushes nothing: no image job, no docker, no npm", () => {
    for (const [name, job] of Object.entries(promote.jobs)) {
      expect(`${name}: ${job.uses ?? ""}`).not.toMatch(/reconciler-image/);
      for (const step of job.steps ?? []) {
        expect(`${name}: ${step.run ?? ""}`).not.toMatch(
          /docker (build|push)|npm (ci|install)|tools\/udf\/src\/cli\.ts build/,
        );
      }
    }
  });

  it("asks the <target> environment's reviewers once: only the apply job runs in <target>", () => {
    const inTarget = Object.entries(promote.jobs)
      .filter(([, job]) => envOf(job) === gh("inputs.target"))
      .map(([name]) => name);
    expect(inTarget).toEqual(["apply"]);
  });

  it("plans and applies the resolved release on its own commit, and records it after the apply", () => {
    for (const name of ["plan", "apply"]) {
      const job = promote.jobs[name]!;
      expect(needsOf(job)).toContain("resolve");
      const checkout = (job.steps ?? []).find((s) => s.uses?.startsWith("actions/checkout@"));
      expect(checkout?.with?.ref).toBe(gh("needs.resolve.outputs.release-commit"));
      const publish = stepsUsing(job, "./actions/dataflow-template").filter((s) => !s.with?.mode);
      expect(publish).toHaveLength(1);
      expect(publish[0]!.with).toMatchObject({
        "release-id": gh("needs.resolve.outputs.release-id"),
        "releases-bucket": gh("vars.RELEASES_BUCKET"),
      });
    }
    const plan = stepsUsing(promote.jobs.plan!, "./actions/terraform-plan")[0];
    expect(plan?.with?.["var-files"]).toBe(gh("steps.udf.outputs.tfvars-file"));
    const record = stepsUsing(promote.jobs.apply!, "./actions/dataflow-template").find(
      (s) => s.with?.mode === "record",
    );
    expect(record?.with).toMatchObject({
      environment: gh("inputs.target"),
      "release-id": gh("needs.resolve.outputs.release-id"),
    });
    expect(promote.jobs.apply!.permissions?.deployments).toBe("write"); // display only
    const applySteps = promote.jobs.apply!.steps ?? [];
    const applyStep = applySteps.findIndex((s) => s.uses === "./actions/terraform-apply");
    expect(applySteps.indexOf(record!)).toBeGreaterThan(applyStep);
    // The verified mark comes after the post-deploy integration test, in the same job (its deploy identity).
    const verified = stepsUsing(promote.jobs.apply!, "./actions/dataflow-template").find(
      (s) => s.with?.mode === "verified",
    );
    expect(verified?.with).toMatchObject({
      environment: gh("inputs.target"),
      "release-id": gh("needs.resolve.outputs.release-id"),
    });
    const test = applySteps.findIndex((s) => s.uses === "./actions/integration-test");
    expect(test).toBeGreaterThan(applySteps.indexOf(record!));
    expect(applySteps.indexOf(verified!)).toBeGreaterThan(test);
  });

  it("the apply job's timeout leaves an hour for the apply on top of the integration test's own budget", () => {
    const apply = promote.jobs.apply! as Job & { "timeout-minutes"?: number };
    const verify = stepsUsing(apply, "./actions/integration-test")[0]!;
    const action = parse(
      readFileSync(join(__dirname, "../../../actions/integration-test/action.yml"), "utf8"),
    ) as { inputs: Record<string, { default?: string }> };
    const testSeconds = Number(verify.with?.["timeout-seconds"] ?? action.inputs["timeout-seconds"]!.default);
    expect(testSeconds).toBeGreaterThan(0);
    expect((apply["timeout-minutes"] ?? 360) * 60).toBeGreaterThanOrEqual(testSeconds + 3600);
  });

  it("resolves the release from the source's record, with the release input checked there", () => {
    const resolve = promote.jobs.resolve!;
    expect(envOf(resolve)).toBe(`${gh("inputs.source")}-plan`);
    // The record is in the source's state prefix (its plan identity reads it), not in GitHub deployments.
    expect(resolve.permissions?.deployments).toBeUndefined();
    expect(resolve.permissions?.contents).toBe("read"); // compare: is the recorded commit on main
    expect(stepsUsing(resolve, "./actions/dataflow-template")[0]?.with).toMatchObject({
      mode: "resolve",
      "source-environment": gh("inputs.source"),
      "target-environment": gh("inputs.target"),
      "release-id": gh("inputs.release"),
    });
  });

  it("an SLO override needs the slo-override environment's approval; the gate gets the reason only then", () => {
    const override = promote.jobs.override!;
    expect(envOf(override)).toBe("slo-override");
    // a fix asks for it too: change-kind is self-declared (issue 12 review, S3)
    expect(override.if).toBe("inputs.override-reason != '' || inputs.change-kind == 'fix'");
    const gate = promote.jobs.gate!;
    expect(needsOf(gate)).toEqual(expect.arrayContaining(["resolve", "override"]));
    expect(gate.if).toMatch(/needs\.override\.result == 'success' \|\| needs\.override\.result == 'skipped'/);
    const inputs = stepsUsing(gate, "./actions/slo-gate")[0]!.with!;
    expect(inputs["override-reason"]).toBe(
      gh("needs.override.result == 'success' && inputs.override-reason || ''"),
    );
    expect(inputs["deployed-at"]).toMatch(/needs\.resolve\.outputs\.source-deployed-at/);
    expect(inputs["target-environment"]).toMatch(/inputs\.target/);
    expect(inputs["target-project-id"]).toMatch(/vars\.GCP_PROJECT_ID_PROD/);
    expect(inputs["change-kind"]).toBe(gh("inputs.change-kind == 'fix' && 'fix' || 'change'"));
    // the gate checks slo-override's protection and this run's approval itself (S2)
    expect(inputs["github-token"]).toBe(gh("github.token"));
    // "never measured" is judged by how long the source's current release has been live (B2)
    expect(inputs["source-live-since"]).toBe(gh("needs.resolve.outputs.source-deployed-at"));
    expect((gate.permissions as Record<string, string>).actions).toBe("read");
    const dispatch = (promote.on.workflow_dispatch as { inputs: Record<string, { options?: string[] }> })
      .inputs;
    expect(dispatch["change-kind"]?.options).toEqual(["feature", "fix"]);
    // No other job ever sees the reason as a gate input.
    for (const [name, job] of Object.entries(promote.jobs)) {
      if (name === "gate") continue;
      for (const s of job.steps ?? [])
        expect(`${name}: ${JSON.stringify(s.with ?? {})}`).not.toMatch(/override-reason/);
    }
  });

  it("Slack and the summary name the release", () => {
    const notify = promote.jobs.notify!;
    expect(stepsUsing(notify, "./actions/slack-notify")[0]?.with?.release).toBe(
      gh("needs.resolve.outputs.release-summary"),
    );
    expect(JSON.stringify(notify.steps)).toMatch(
      /"RELEASE":"\$\{\{ needs\.resolve\.outputs\.release-summary/,
    );
  });
});

describe("release.yml", () => {
  it("runs on pushes to main only, and only its release job holds the release identity", () => {
    expect(Object.keys(release.on)).toEqual(["push"]);
    expect(release.on.push).toEqual({ branches: ["main"] });
    expect(envOf(release.jobs.release!)).toBe("release");
    expect(release.jobs.image?.uses).toBe("./.github/workflows/reconciler-image.yml");
    expect(release.jobs.image?.with?.environment).toBe("release");
    // The job that runs dependency code (npm ci, the UDF build) has no token to mint.
    expect(release.jobs.bundles!.permissions).toEqual({ contents: "read" });
    for (const s of release.jobs.release!.steps ?? []) expect(s.run ?? "").not.toMatch(/npm (ci|install)/);
  });

  it("builds the release once with the image the same run pushed", () => {
    const step = stepsUsing(release.jobs.release!, "./actions/dataflow-template")[0];
    expect(step?.with).toMatchObject({
      mode: "release",
      "jobs-image": gh("needs.image.outputs.image"),
      "template-version": gh("steps.templates.outputs.version"),
      "build-command": "",
    });
  });

  it.each([
    [
      "a permission error is a warning, never silent",
      "AccessDeniedException: 403 release@x does not have storage.objects.list access",
      0,
      /::warning::could not check that gs:\/\/dataflow-templates-europe-west1\/.*\/flex\/Cloud_PubSub_to_MongoDB exists: .*403/,
    ],
    [
      "a missing folder fails",
      "ERROR: (gcloud.storage.ls) One or more URLs matched no objects.",
      1,
      /::error::gs:\/\/dataflow-templates-europe-west1\/.* does not exist: .*matched no objects/,
    ],
    ["an existing folder passes quietly", "", 0, /^$/],
  ])("the Google template folder check: %s", (_, stderr, code, log) => {
    const step = release.jobs.release!.steps!.find((s) => s.id === "templates")!;
    const bin = mkdtempSync(join(tmpdir(), "fake-gcloud-"));
    // A gcloud that answers `storage ls` as the real one does for that case (stderr, exit status).
    writeFileSync(
      join(bin, "gcloud"),
      `#!/usr/bin/env bash\n${stderr ? `echo ${JSON.stringify(stderr)} >&2\nexit 1` : "echo gs://x"}\n`,
    );
    chmodSync(join(bin, "gcloud"), 0o755);
    const output = join(bin, "output");
    writeFileSync(output, "");
    const r = spawnSync("bash", ["-e", "-o", "pipefail", "-c", step.run!], {
      cwd: join(__dirname, "../../.."),
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        REGION: "europe-west1",
        GITHUB_OUTPUT: output,
      },
      encoding: "utf8",
    });
    expect(r.status).toBe(code);
    expect(r.stdout.trim()).toMatch(log);
    if (code === 0)
      expect(readFileSync(output, "utf8")).toMatch(/^version=\d{4}-\d{2}-\d{2}-\d{2}_RC\d{2}$/m);
  });

  it("no other workflow can use the release identity", () => {
    for (const file of ["promote.yml", "drift.yml", "terraform-plan.yml", "ci.yml", "slo-audit.yml"]) {
      expect(`${file}: ${readFileSync(join(dir, file), "utf8")}`).not.toMatch(/GCP_RELEASE_SERVICE_ACCOUNT/);
    }
  });
});

/**
 * Drift and pull-request plans plan against the release recorded as running in each environment (resolved by
 * dataflow-template mode resolve, as promote.yml resolves a source), never against UDFs built from the
 * checkout; with no release recorded yet they plan environments/<env>.tfvars as it is.
 */
describe.each([
  ["drift.yml", "drift"],
  ["terraform-plan.yml", "plan"],
])("%s plans the release running in each environment", (file, jobName) => {
  const job = load(file).jobs[jobName]!;
  const steps = job.steps ?? [];
  const dataflow = stepsUsing(job, "./actions/dataflow-template");
  const resolve = dataflow.find((s) => s.with?.mode === "resolve");
  const publish = dataflow.filter((s) => !s.with?.mode);
  const indexOf = (step: Step | undefined) => steps.indexOf(step as Step);

  it("resolves the environment's running release from its record, authenticated as the plan identity", () => {
    expect(envOf(job)).toBe(`${gh("matrix.environment")}-plan`);
    expect(job.permissions?.deployments).toBeUndefined(); // GitHub deployments are display only
    expect(resolve?.id).toBe("resolve");
    expect(resolve?.with).toEqual({
      mode: "resolve",
      environment: gh("matrix.environment"),
      "releases-bucket": gh("vars.RELEASES_BUCKET"),
      "github-token": gh("github.token"),
    });
    const auth = steps.findIndex((s) => s.uses?.startsWith("google-github-actions/auth@"));
    expect(auth).toBeGreaterThanOrEqual(0);
    expect(auth).toBeLessThan(indexOf(resolve));
  });

  it("passes the resolved release's var file to the plan, only when a release was recorded", () => {
    expect(publish).toHaveLength(1);
    expect(publish[0]!.id).toBe("udf");
    expect(publish[0]!.if).toBe("steps.resolve.outputs.release-id != ''");
    expect(publish[0]!.with).toMatchObject({
      "release-id": gh("steps.resolve.outputs.release-id"),
      "releases-bucket": gh("vars.RELEASES_BUCKET"),
      "dry-run": "true",
    });
    const plan = stepsUsing(job, "./actions/terraform-plan");
    expect(plan).toHaveLength(1);
    expect(plan[0]!.with?.["var-files"]).toBe(gh("steps.udf.outputs.tfvars-file"));
    expect(plan[0]!.with?.lock).toBe("false");
    expect(indexOf(resolve)).toBeLessThan(indexOf(publish[0]));
    expect(indexOf(publish[0])).toBeLessThan(indexOf(plan[0]));
    // The image the jobs run now is read only when no release pins one.
    const jobsImage = steps.find((s) => s.id === "jobs-image");
    expect(jobsImage?.if).toBe("steps.resolve.outputs.release-id == ''");
  });

  it("never builds UDFs from the checkout: no npm, no UDF build, no dataflow-template publish without a release", () => {
    for (const step of steps) {
      expect(`${step.id ?? step.uses ?? ""}: ${step.run ?? ""}`).not.toMatch(
        /npm (ci|install)|npx|tools\/udf\/src\/cli\.ts build|esbuild/,
      );
    }
    for (const step of publish) expect(step.with?.["release-id"]).toBeTruthy();
  });

  it("says which release each environment was planned against, or that none is recorded yet", () => {
    const result = steps.find((s) => s.id === "result");
    expect(result?.env?.RELEASE_ID).toBe(gh("steps.resolve.outputs.release-id"));
    expect(result?.run).toMatch(/release-\$\{ENVIRONMENT\}=/);
    expect(result?.run).toMatch(/environments\/\$\{ENVIRONMENT\}\.tfvars as it is/);
  });
});

describe("drift.yml plans the release's own commit", () => {
  const job = load("drift.yml").jobs.drift!;
  it("checks out the resolved release's commit, then authenticates again before planning", () => {
    const steps = job.steps ?? [];
    const checkouts = steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
    const release = checkouts.find((s) => s.with?.ref === gh("steps.resolve.outputs.release-commit"));
    expect(release?.if).toBe("steps.resolve.outputs.release-commit != ''");
    const auths = steps.flatMap((s, i) => (s.uses?.startsWith("google-github-actions/auth@") ? [i] : []));
    const resolve = steps.findIndex((s) => s.id === "resolve");
    const plan = steps.findIndex((s) => s.uses === "./actions/terraform-plan");
    // The record is read with the plan identity; the checkout then cleans the workspace, where
    // google-github-actions/auth writes its credentials file, so the plan authenticates again after it.
    expect(auths[0]).toBeLessThan(resolve);
    expect(auths.some((i) => i > steps.indexOf(release!) && i < plan)).toBe(true);
    const publish = stepsUsing(job, "./actions/dataflow-template").find((s) => !s.with?.mode);
    expect(publish?.with?.["require-release-checkout"]).toBeUndefined(); // default true: the tree is checked
  });
});

describe("terraform-plan.yml plans the pull request's Terraform against the running release", () => {
  const job = load("terraform-plan.yml").jobs.plan!;
  it("keeps the pull request's checkout: SQL and schema differences from the release are a notice", () => {
    const checkouts = (job.steps ?? []).filter((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkouts).toHaveLength(1);
    expect(checkouts[0]!.with?.ref).toBeUndefined();
    const publish = stepsUsing(job, "./actions/dataflow-template").find((s) => !s.with?.mode);
    expect(publish?.with?.["require-release-checkout"]).toBe("false");
  });
  it("the summary comment names each environment's release", () => {
    const summary = load("terraform-plan.yml").jobs["terraform-plan"]!.steps!.find((s) =>
      s.run?.includes("plan-summary.sh"),
    );
    for (const env of ["DEV", "STAGING", "PROD"])
      expect(summary?.env?.[`RELEASE_${env}`]).toBe(gh(`needs.plan.outputs.release-${env.toLowerCase()}`));
  });
});
