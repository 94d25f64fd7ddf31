/** The real OpenTofu for tests: the pinned one tools/terraform/install.sh builds, else `tofu` on PATH (CI). */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const INSTALL_SCRIPT = join(__dirname, "../../../../tools/terraform/install.sh");

/** Where install.sh puts the pinned version (.local/opentofu/<version>/tofu). */
function pinnedTofu(): string {
  const out = spawnSync("bash", [INSTALL_SCRIPT, "tofu-path"], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(`${INSTALL_SCRIPT} tofu-path failed: ${out.stderr}`);
  return out.stdout.trim();
}

/** Path of a working tofu binary; throws with the command that installs one. */
export function tofuBinary(): string {
  const local = pinnedTofu();
  const candidate = process.env.TOFU_BINARY || (existsSync(local) ? local : "tofu");
  const probe = spawnSync(candidate, ["version"], { encoding: "utf8" });
  if (probe.status !== 0) {
    throw new Error(
      `no OpenTofu at ${candidate}: run "bash tools/terraform/install.sh tofu" (or set TOFU_BINARY)`,
    );
  }
  return candidate;
}
