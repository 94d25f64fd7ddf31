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

  it("every job that applies runs in a protected environment under the environment's deploy lock", () => {
    for (const [name, job] of Object.entries(doc.jobs)) {
      if (!job.steps?.some((s) => s.uses === "./actions/terraform-apply")) continue;
      expect(`${name}: ${JSON.stringify(job.environment)}`).not.toMatch(/-plan/);
      expect(JSON.stringify(doc.concurrency ?? job.concurrency)).toMatch(/deploy-/);
    }
  });
});

it("the workflows cover pull-request plans, promotions, drift, CI and code scanning", () => {
  expect(files).toEqual(
    expect.arrayContaining(["terraform-plan.yml", "promote.yml", "drift.yml", "ci.yml", "codeql.yml"]),
  );
});
