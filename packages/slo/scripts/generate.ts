/**
 * Writes policies/slo/generated/terraform-slos.json (the Terraform monitoring module's `slos` input) from
 * policies/slo/*.yaml. `--check` fails when the committed file is stale (wire into `npm run check`).
 *   tsx packages/slo/scripts/generate.ts [--check]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { DEFAULT_SLO_DIR, loadSloCatalog, REPO_ROOT, terraformSlosJson } from "../src";

/** The generated file, relative to the repository root (terraform/variables.tf names it too). */
export const TERRAFORM_SLOS_FILE = join(DEFAULT_SLO_DIR, "generated", "terraform-slos.json");

const text = terraformSlosJson(loadSloCatalog());
const name = relative(REPO_ROOT, TERRAFORM_SLOS_FILE);
let current = "";
try {
  current = readFileSync(TERRAFORM_SLOS_FILE, "utf8");
} catch {
  // missing: stale
}
if (current === text) {
  console.log(`${name} is up to date`);
} else if (process.argv.includes("--check")) {
  console.error(`${name} is stale: run npx tsx packages/slo/scripts/generate.ts`);
  process.exit(1);
} else {
  mkdirSync(dirname(TERRAFORM_SLOS_FILE), { recursive: true });
  writeFileSync(TERRAFORM_SLOS_FILE, text);
  console.log(`wrote ${name}`);
}
