/**
 * Writes the Terraform inputs generated from the single declarations:
 *   policies/slo/generated/terraform-slos.json            the monitoring module's `slos` (policies/slo/*.yaml)
 *   policies/slo/generated/terraform-custom-metrics.json  its `custom_metrics` (src/custom-metrics.ts)
 *   policies/slo/generated/slo-declaration.schema.json    JSON Schema of policies/slo/*.yaml for editors
 *                                                          (src/schema.ts; each file names it in a
 *                                                          `# yaml-language-server: $schema=` line)
 * `--check` fails when a committed file is stale (wired into `npm run check`).
 *   tsx packages/slo/scripts/generate.ts [--check]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import {
  DEFAULT_SLO_DIR,
  declarationJsonSchema,
  loadSloCatalog,
  REPO_ROOT,
  terraformCustomMetricsJson,
  terraformSlosJson,
} from "../src";

/** The generated files, relative to the repository root (terraform/variables.tf names them too). */
export const TERRAFORM_SLOS_FILE = join(DEFAULT_SLO_DIR, "generated", "terraform-slos.json");
export const TERRAFORM_CUSTOM_METRICS_FILE = join(
  DEFAULT_SLO_DIR,
  "generated",
  "terraform-custom-metrics.json",
);
/** Editors (the YAML language server) validate policies/slo/*.yaml against it. */
export const DECLARATION_SCHEMA_FILE = join(DEFAULT_SLO_DIR, "generated", "slo-declaration.schema.json");

const outputs: [string, string][] = [
  [TERRAFORM_SLOS_FILE, terraformSlosJson(loadSloCatalog())],
  [TERRAFORM_CUSTOM_METRICS_FILE, terraformCustomMetricsJson()],
  [DECLARATION_SCHEMA_FILE, declarationJsonSchema()],
];
let stale = 0;
for (const [file, text] of outputs) {
  const name = relative(REPO_ROOT, file);
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // missing: stale
  }
  if (current === text) {
    console.log(`${name} is up to date`);
  } else if (process.argv.includes("--check")) {
    console.error(`${name} is stale: run npx tsx packages/slo/scripts/generate.ts`);
    stale++;
  } else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${name}`);
  }
}
if (stale > 0) process.exit(1);
