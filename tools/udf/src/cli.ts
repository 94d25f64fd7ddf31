/**
 * UDF command line.
 *   tsx tools/udf/src/cli.ts build [--out DIR]      build + verify every UDF into DIR (default tools/udf/dist),
 *                                                   with manifest.json (app, file, sha256, bytes, function, template)
 *   tsx tools/udf/src/cli.ts golden [--check]       (re)write the golden expected outputs from the TS transforms
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  goldenCases,
  type ManifestEntry,
  referenceOutcome,
  UDF_FUNCTION_NAME,
  UDF_SPECS,
} from "@shopstream/transforms";
import { buildUdf, REPO_ROOT } from "./build";

export const DEFAULT_OUT_DIR = join(REPO_ROOT, "tools", "udf", "dist");
/** The golden expected outputs live beside the transforms and their corpus. */
export const GOLDEN_DIR = join(REPO_ROOT, "packages", "transforms", "golden");

export async function buildAll(outDir: string): Promise<ManifestEntry[]> {
  mkdirSync(outDir, { recursive: true });
  const manifest: ManifestEntry[] = [];
  for (const spec of UDF_SPECS) {
    const bundle = await buildUdf(spec);
    const file = `${spec.app}-udf.js`;
    writeFileSync(join(outDir, file), bundle.code);
    manifest.push({
      app: spec.app,
      file,
      sha256: bundle.sha256,
      bytes: bundle.bytes,
      functionName: UDF_FUNCTION_NAME,
      template: spec.template,
    });
  }
  writeFileSync(join(outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function goldenFile(app: string): string {
  return join(GOLDEN_DIR, `golden-${app}.json`);
}

export function renderGolden(app: string): string {
  const rows = goldenCases().map((c) => ({
    name: c.name,
    nowMs: c.nowMs,
    outcome: referenceOutcome(app, c.payload, c.nowMs),
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === "build") {
    const outIndex = rest.indexOf("--out");
    const outDir =
      outIndex >= 0 && rest[outIndex + 1] ? resolve(rest[outIndex + 1] as string) : DEFAULT_OUT_DIR;
    for (const m of await buildAll(outDir)) {
      console.log(
        `[udf] ${m.app}: ${join(outDir, m.file)} ${m.bytes} bytes sha256 ${m.sha256} (ES5 verified)`,
      );
    }
  } else if (command === "golden") {
    const check = rest.includes("--check");
    mkdirSync(GOLDEN_DIR, { recursive: true });
    let stale = false;
    for (const spec of UDF_SPECS) {
      const text = renderGolden(spec.app);
      const file = goldenFile(spec.app);
      let current = "";
      try {
        current = readFileSync(file, "utf8");
      } catch {}
      if (current === text) continue;
      if (check) {
        stale = true;
        console.error(`[udf] ${file} is stale: run tsx tools/udf/src/cli.ts golden`);
      } else {
        writeFileSync(file, text);
        console.log(`[udf] wrote ${file}`);
      }
    }
    if (stale) process.exit(1);
  } else {
    console.error("usage: tsx tools/udf/src/cli.ts build [--out DIR] | golden [--check]");
    process.exit(2);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
