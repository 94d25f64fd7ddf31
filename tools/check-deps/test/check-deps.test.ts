/**
 * The dependency rule (.dependency-cruiser.cjs via tools/check-deps/run.sh) on a planted monorepo: every kind of
 * forbidden import is reported with its rule, the allowed forms are not, and the same tree with the planted
 * files removed passes.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const runScript = join(__dirname, "..", "run.sh");
const fixture = join(__dirname, "fixtures", "monorepo");
const workspaces: Record<string, string> = {
  "@fixture/base": "packages/base",
  "@fixture/low": "packages/low",
  "@fixture/web": "apps/web",
  "@fixture/admin": "apps/admin",
  "@fixture/cli": "tools/cli",
  "@fixture/testkit": "packages/testkit",
};

/**
 * A copy of the fixture with node_modules/@fixture/* linked to the workspaces, as `npm install` does. The
 * fixture's packages are scoped @fixture, not @shopstream: jest's module map reads every package.json in the
 * repository and refuses a name that two of them share.
 */
function plantedRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "check-deps-"));
  cpSync(fixture, dir, { recursive: true });
  mkdirSync(join(dir, "node_modules", "@fixture"), { recursive: true });
  for (const [name, folder] of Object.entries(workspaces)) {
    symlinkSync(join(dir, folder), join(dir, "node_modules", name), "dir");
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
