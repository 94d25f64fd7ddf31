import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * .github/scripts/deployed-jobs-image.sh, run with stand-ins for gcloud and curl on PATH: the fake curl answers
 * like the Cloud Run Admin API v2 jobs.get (a Job whose template.template.containers[0].image is the image,
 * or an HTTP error) and records the URL it was asked for.
 */
const script = join(__dirname, "../../../.github/scripts/deployed-jobs-image.sh");
let bin: string;

beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), "jobs-image-"));
  writeFileSync(join(bin, "gcloud"), '#!/usr/bin/env bash\necho "fake-token"\n');
  // curl -sS -o FILE -w '%{http_code}' -H HEADER URL
  writeFileSync(
    join(bin, "curl"),
    [
      "#!/usr/bin/env bash",
      'out=""; while [[ $# -gt 1 ]]; do if [[ "$1" == "-o" ]]; then out="$2"; fi; shift; done',
      'echo "$1" > "$FAKE_DIR/url"',
      'printf "%s" "$FAKE_BODY" > "$out"',
      'printf "%s" "$FAKE_STATUS"',
    ].join("\n"),
  );
  chmodSync(join(bin, "gcloud"), 0o755);
  chmodSync(join(bin, "curl"), 0o755);
});
afterEach(() => rmSync(bin, { recursive: true, force: true }));

function run(environment: string, status: number, body: unknown) {
  const result = spawnSync("bash", [script, environment, "my-project"], {
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      FAKE_DIR: bin,
      FAKE_STATUS: String(status),
      FAKE_BODY: JSON.stringify(body),
    },
  });
  return { ...result, url: () => readFileSync(join(bin, "url"), "utf8").trim() };
}

const image = `europe-west1-docker.pkg.dev/admin/shopstream-images/reconciler@sha256:${"a".repeat(64)}`;

test("prints the image of the deployed reconciler job, read from the job named by the platform declaration", () => {
  const r = run("dev", 200, { name: "x", template: { template: { containers: [{ image }] } } });
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(`image=${image}\n`);
  expect(r.url()).toBe(
    "https://run.googleapis.com/v2/projects/my-project/locations/europe-west1/jobs/shopstream-dev-reconciler",
  );
});

test("prints an empty image when the job does not exist yet (fresh environment)", () => {
  const r = run("staging", 404, { error: { code: 404, status: "NOT_FOUND" } });
  expect(r.status).toBe(0);
  expect(r.stdout).toBe("image=\n");
});

test("fails on any other answer, so a denied read never becomes a plan that deletes the jobs", () => {
  const r = run("prod", 403, { error: { code: 403, status: "PERMISSION_DENIED" } });
  expect(r.status).not.toBe(0);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/HTTP 403.*PERMISSION_DENIED/);
});

test("fails for an environment the declaration does not have in the cloud", () => {
  const r = run("local", 200, {});
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/no scheduled jobs/);
});
