/** The real OpenTofu for tests: the pinned one tools/terraform/install.sh builds, else `tofu` on PATH (CI). */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const LOCAL_TOFU = join(__dirname, "../../../.local/bin/tofu");

/** Path of a working tofu binary; throws with the command that installs one. */
export function tofuBinary(): string {
  const candidate = process.env.TOFU_BINARY || (existsSync(LOCAL_TOFU) ? LOCAL_TOFU : "tofu");
  const probe = spawnSync(candidate, ["version"], { encoding: "utf8" });
  if (probe.status !== 0) {
    throw new Error(
      `no OpenTofu at ${candidate}: run "bash tools/terraform/install.sh tofu" (or set TOFU_BINARY)`,
    );
  }
  return candidate;
}
