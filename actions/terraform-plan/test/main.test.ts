import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseMeta } from "@shopstream/action-kit";
import { FakeGitHub } from "@shopstream/testkit";
import { OPA } from "./helpers";

/**
 * The whole action, end to end: a fake `tofu` (a shell script that writes a plan file and prints a fixture for
 * `show -json`), the real OPA and policies, the contract fake of GitHub through the real @actions/github
 * client, a recording artifact uploader.
 */
const work = mkdtempSync(join(tmpdir(), "tf-plan-main-"));
const fake = new FakeGitHub();

function fakeTofu(fixture: string, planExit = 2, planOutput = ""): string {
  const path = join(work, `tofu-${fixture}-${planExit}`);
  const json = join(__dirname, "fixtures", `${fixture}.json`);
  writeFileSync(
    path,
    `#!/usr/bin/env bash
case "$1" in
  init) echo "OpenTofu has been successfully initialized!" ;;
  plan) for a in "$@"; do case "$a" in -out=*) printf 'binary plan %s' "${fixture}" > "\${a#-out=}" ;; esac; done
        ${planOutput}
        [ ${planExit} = 1 ] && { echo "Error: Invalid reference" >&2; exit 1; }
        exit ${planExit} ;;
  show) cat "${json}" ;;
esac
`,
  );
  chmodSync(path, 0o755);
  return path;
}

function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith("INPUT_")) delete process.env[key];
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v;
}

const uploads: { name: string; files: string[] }[] = [];
const uploader = {
  async upload(name: string, files: string[]) {
    uploads.push({ name, files });
    return { id: 77 };
  },
};

let run: (deps?: object) => Promise<void>;

beforeAll(async () => {
  await fake.start();
  fake.addPull(12, {
    headSha: "1111111111111111111111111111111111111111",
    baseSha: "2222222222222222222222222222222222222222",
  });
  const event = join(work, "event.json");
  writeFileSync(event, JSON.stringify({ pull_request: { number: 12 } }));
  mkdirSync(join(work, "terraform", "environments"), { recursive: true });
  writeFileSync(join(work, "terraform", "environments", "dev.tfvars"), "");
  Object.assign(process.env, {
    GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: event,
    GITHUB_SHA: "3333333333333333333333333333333333333333",
    GITHUB_RUN_ID: "555",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: fake.url,
    GITHUB_STEP_SUMMARY: join(work, "summary.md"),
    GITHUB_OUTPUT: join(work, "output.txt"),
    RUNNER_TEMP: work,
  });
  writeFileSync(join(work, "summary.md"), "");
  ({ run } = await import("../src/main"));
});
afterAll(() => fake.stop());
beforeEach(() => {
  writeFileSync(join(work, "output.txt"), "");
  process.exitCode = undefined;
});

const outputs = () => readFileSync(join(work, "output.txt"), "utf8");

it("plans, evaluates policies, uploads, comments once per environment and labels", async () => {
  setInputs({
    environment: "dev",
    "working-directory": join(work, "terraform"),
    "terraform-binary": fakeTofu("creates-only"),
    "policy-dir": join(__dirname, "../../../policies/terraform"),
    "opa-binary": OPA,
    "github-token": "ghs_main",
  });
  await run({ uploader });
  expect(process.exitCode).toBeUndefined();
  const comments = fake.comments.get(12)!;
  expect(comments).toHaveLength(1);
  const meta = parseMeta(comments[0]!.body)!;
  // SHA-256 of the bytes the fake tofu wrote as the plan file.
  expect(meta).toMatchObject({
    environment: "dev",
    sha256: createHash("sha256").update("binary plan creates-only").digest("hex"),
    commit: "1111111111111111111111111111111111111111",
    baseSha: "2222222222222222222222222222222222222222",
    artifactId: 77,
  });
  expect(comments[0]!.body).toContain(
    "[plan artifact](https://github.com/octo-org/shopstream/actions/runs/555/artifacts/77)",
  );
  expect(comments[0]!.body).toContain("**Policies:** ✅ all passed.");
  expect(uploads.at(-1)?.name).toBe("terraform-plan-dev");
  expect(uploads.at(-1)?.files.map((f) => f.split("/").pop())).toEqual([
    "dev.tfplan",
    "diff.txt",
    "meta.json",
  ]);
  expect(fake.labelsOn(12)).toEqual(["tf:dev/changes"]);
  expect(outputs()).toContain(`plan-sha256<<`);
  expect(outputs()).toContain(meta.sha256);
  expect(readFileSync(join(work, "summary.md"), "utf8")).toContain("Terraform plan · `dev`");
});

it("a second plan updates the same comment, swaps labels and fails on a policy denial", async () => {
  setInputs({
    environment: "dev",
    "working-directory": join(work, "terraform"),
    "terraform-binary": fakeTofu("stateful-destroys"),
    "policy-dir": join(__dirname, "../../../policies/terraform"),
    "opa-binary": OPA,
    "github-token": "ghs_main",
  });
  await run({ uploader });
  expect(process.exitCode).toBe(1);
  const comments = fake.comments.get(12)!;
  expect(comments).toHaveLength(1);
  expect(comments[0]!.body).toContain("[!CAUTION]");
  expect(comments[0]!.body).toContain("❌ deny | `stateful_destroy`");
  expect(fake.labelsOn(12).sort()).toEqual(["tf:dev/destroy", "tf:dev/policy-failed"]);
});

it("the label allow-destroy:dev on the pull request turns the denial into a warning", async () => {
  fake.issueLabels.set(12, [...fake.labelsOn(12), "allow-destroy:dev"]);
  await run({ uploader });
  expect(process.exitCode).toBeUndefined();
  expect(fake.comments.get(12)![0]!.body).toContain("[!WARNING]");
  expect(fake.labelsOn(12)).not.toContain("tf:dev/policy-failed");
});

it("a failed plan posts the error in the same comment and labels plan-error", async () => {
  setInputs({
    environment: "dev",
    "working-directory": join(work, "terraform"),
    "terraform-binary": fakeTofu("creates-only", 1),
    "github-token": "ghs_main",
  });
  await run({ uploader });
  expect(process.exitCode).toBe(1);
  expect(fake.comments.get(12)).toHaveLength(1);
  expect(fake.comments.get(12)![0]!.body).toContain("Error: Invalid reference");
  expect(fake.labelsOn(12)).toContain("tf:dev/plan-error");
});

it("invalid inputs fail before anything runs, listing every problem", async () => {
  const before = fake.requests.length;
  setInputs({ environment: "Prod!", "artifact-retention-days": "400", comment: "maybe" });
  await run({ uploader });
  expect(process.exitCode).toBe(1);
  expect(fake.requests.length).toBe(before);
});

it("nothing unmasked reaches the log: plan text stays off it, errors are masked, sensitive values registered", async () => {
  const uri = "mongodb+srv://ingestion:new-Secr3t-pw@cluster0.abcd.mongodb.net/shopstream";
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    setInputs({
      environment: "dev",
      "working-directory": join(work, "terraform"),
      // What a real plan prints for values no provider marks sensitive, on stdout and in a warning on stderr.
      "terraform-binary": fakeTofu(
        "sensitive",
        2,
        `echo '  + secret_data = "${uri}"'; echo '  + api = "opaque-tok-123456"'; echo 'Warning: value "${uri}" opaque-tok-123456' >&2`,
      ),
      "github-token": "ghs_main",
      "mask-patterns": "opaque-tok-[0-9]+",
    });
    await run({ uploader });
  } finally {
    spy.mockRestore();
  }
  expect(process.exitCode).toBeUndefined();
  const all = written.join("");
  const logLines = all.split("\n").filter((l) => !l.startsWith("::add-mask::"));
  expect(logLines.join("\n")).not.toContain("new-Secr3t-pw");
  expect(logLines.join("\n")).not.toContain("opaque-tok-123456");
  // The stderr warning is logged, masked.
  expect(logLines.some((l) => l.startsWith('Warning: value "***') && l.endsWith(" ***"))).toBe(true);
  // secret_data is marked sensitive in the plan JSON: registered, so the runner masks it in later steps too.
  expect(all).toContain(`::add-mask::${uri}`);
  expect(fake.comments.get(12)![0]!.body).not.toContain("new-Secr3t-pw");
});
