/**
 * The dependency rule (.dependency-cruiser.cjs via tools/check-deps/run.sh) on a planted monorepo: every kind of
 * forbidden import is reported with its rule, the allowed forms are not, and the same tree with the planted
 * files removed passes.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const runScript = join(__dirname, "..", "run.sh");
const fixture = join(__dirname, "fixtures", "monorepo");
/**
 * The fixture's package.json files, written into the copy by the test: committed, they would enter jest's
 * module map, which refuses a package name that two package.json files in the repository share.
 */
const manifests: Record<string, object> = {
  "": { name: "fixture", private: true, workspaces: ["packages/*", "apps/*", "tools/*"] },
  "packages/base": { name: "@fixture/base", main: "src/index.js" },
  "packages/low": { name: "@fixture/low", main: "src/index.js", dependencies: { "@fixture/cli": "*" } },
  "packages/testkit": { name: "@fixture/testkit", main: "src/index.js" },
  "apps/web": {
    name: "@fixture/web",
    main: "src/index.js",
    dependencies: { "@fixture/base": "*" },
    devDependencies: { "@fixture/testkit": "*" },
  },
  "apps/admin": { name: "@fixture/admin", main: "src/index.js", dependencies: { "@fixture/web": "*" } },
  "tools/cli": { name: "@fixture/cli", main: "src/index.js" },
};

/** A copy of the fixture with its manifests, and node_modules/@fixture/* linked to the workspaces as `npm install` does. */
function plantedRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "check-deps-"));
  cpSync(fixture, dir, { recursive: true });
  mkdirSync(join(dir, "node_modules", "@fixture"), { recursive: true });
  for (const [folder, manifest] of Object.entries(manifests)) {
    writeFileSync(join(dir, folder, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    const { name } = manifest as { name: string };
    if (folder !== "") symlinkSync(join(dir, folder), join(dir, "node_modules", name), "dir");
  }
  return dir;
}

function checkDeps(dir: string): { status: number | null; violations: string[]; output: string } {
  const run = spawnSync("bash", [runScript, dir], { encoding: "utf8", timeout: 240_000 });
  const output = `${run.stdout}${run.stderr}`;
  const violations = output
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("error "))
    .map((line) => line.slice("error ".length))
    .sort();
  return { status: run.status, violations, output };
}

jest.setTimeout(300_000);

describe("npm run check:deps", () => {
  let repo: string;
  beforeAll(() => {
    repo = plantedRepo();
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it("reports each planted violation under its rule, and nothing else", () => {
    const { status, violations, output } = checkDeps(repo);
    expect(output).not.toContain("couldNotResolve");
    expect(violations).toEqual(
      [
        "apps-not-import-apps: apps/admin/src/index.js → apps/web/src/index.js",
        "declared-workspace-dependency: tools/cli/src/index.js → packages/base/src/index.js",
        "declared-workspace-dependency: apps/web/src/upper-floor.js → tools/cli/src/index.js",
        "floors-point-down: apps/web/src/upper-floor.js → tools/cli/src/index.js",
        // a circle is reported once, its members on the lines that follow
        "no-circular: apps/web/src/cycle-a.js →",
        "no-path-into-workspace: apps/web/src/type-only.ts → packages/base/src/types.ts",
        "public-entry-only: apps/web/src/type-only.ts → packages/base/src/types.ts",
        "no-path-into-workspace: apps/web/src/path-into.js → packages/base/src/internal.js",
        "no-path-into-workspace: test/global-setup.js → packages/base/src/index.js",
        "packages-only-import-packages: packages/low/src/index.js → tools/cli/src/index.js",
        "public-entry-only: apps/web/src/deep-alias.js → packages/base/src/internal.js",
        "public-entry-only: apps/web/src/path-into.js → packages/base/src/internal.js",
        "testkit-only-in-tests: apps/web/src/fake-in-src.js → packages/testkit/src/index.js",
      ].sort(),
    );
    expect(status).not.toBe(0);
  });

  it("passes once the planted imports are gone", () => {
    for (const planted of [
      "apps/admin/src/index.js",
      "apps/web/src/path-into.js",
      "apps/web/src/deep-alias.js",
      "apps/web/src/fake-in-src.js",
      "apps/web/src/type-only.ts",
      "apps/web/src/cycle-b.js",
      "apps/web/src/upper-floor.js",
      "packages/low/src/index.js",
      "tools/cli/src/index.js",
      "test/global-setup.js",
    ]) {
      rmSync(join(repo, planted));
    }
    const { status, violations, output } = checkDeps(repo);
    expect(violations).toEqual([]);
    expect(output).toContain("no dependency violations found");
    expect(status).toBe(0);
  });
});
