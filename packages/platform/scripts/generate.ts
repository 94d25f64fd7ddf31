/**
 * Writes packages/platform/generated/terraform-platform.json (the Terraform root's `platform_file`)
 * from the declaration in packages/platform/platform.ts. `--check` fails when the committed file is stale
 * (wired into `npm run check`).
 *   tsx packages/platform/scripts/generate.ts [--check]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { DECLARATION, PlatformDeclarationError, terraformPlatformJson } from "../src";

const REPO_ROOT = join(__dirname, "..", "..", "..");
/** The generated file (terraform/variables.tf names it as the default of platform_file). */
export const TERRAFORM_PLATFORM_FILE = join(__dirname, "..", "generated", "terraform-platform.json");

let text: string;
try {
  text = terraformPlatformJson(DECLARATION);
} catch (error) {
  if (error instanceof PlatformDeclarationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const name = relative(REPO_ROOT, TERRAFORM_PLATFORM_FILE);
let current = "";
try {
  current = readFileSync(TERRAFORM_PLATFORM_FILE, "utf8");
} catch {
  // missing: stale
}
if (current === text) {
  console.log(`${name} is up to date`);
} else if (process.argv.includes("--check")) {
  console.error(`${name} is stale: run npm run generate:platform`);
  process.exit(1);
} else {
  mkdirSync(dirname(TERRAFORM_PLATFORM_FILE), { recursive: true });
  writeFileSync(TERRAFORM_PLATFORM_FILE, text);
  console.log(`wrote ${name}`);
}
