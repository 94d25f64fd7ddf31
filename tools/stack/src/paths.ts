import { existsSync } from "node:fs";
import path from "node:path";

/** The repository root: the nearest parent of this file holding `tools/stack/install.sh`. */
export function findRepoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, "tools", "stack", "install.sh"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${start}`);
    dir = parent;
  }
}

/** Where everything of the local stack lives (gitignored). */
export interface StackPaths {
  repo: string;
  local: string;
  ferretdbBin: string;
  bqemulatorBin: string;
  /** HOME given to bqemulator so DuckDB finds the extensions that install.sh placed there. */
  duckdbHome: string;
  dataDir(profile: string, service: string, root?: string): string;
  runDir(profile: string): string;
}

export function stackPaths(repo: string = findRepoRoot()): StackPaths {
  const local = path.join(repo, ".local");
  return {
    repo,
    local,
    ferretdbBin: path.join(local, "bin", "ferretdb"),
    bqemulatorBin: path.join(local, "venv", "bin", "bqemulator"),
    duckdbHome: path.join(local, "duckdb-home"),
    dataDir: (profile, service, root) => path.join(root ?? path.join(local, "data", profile), service),
    runDir: (profile) => path.join(local, "run", profile),
  };
}
