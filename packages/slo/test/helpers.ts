import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSloCatalog, type MinuteCounts } from "../src";

/** A frozen copy of the declarations with the brief's targets (tests of the math use it). */
export const FIXTURE_DIR = join(__dirname, "fixtures", "slo");
export const fixtureCatalog = () => loadSloCatalog(FIXTURE_DIR);

/** A copy of policies/slo (or of `from`) in a temporary folder, optionally edited. */
export function copyDeclarations(edit?: (file: string, text: string) => string, from = FIXTURE_DIR): string {
  const dir = mkdtempSync(join(tmpdir(), "slo-decl-"));
  cpSync(from, dir, { recursive: true });
  if (edit) {
    for (const f of [
      "error-budget-policy.yaml",
      "processing-success.yaml",
      "processing-latency.yaml",
      "mongodb-connections.yaml",
      "overall-availability.yaml",
    ]) {
      const path = join(dir, f);
      writeFileSync(path, edit(f, readFileSync(path, "utf8")));
    }
  }
  return dir;
}

export const MINUTE = 60_000;
export const END = Date.UTC(2025, 0, 31, 12, 0, 0);

/** Minute counts for the `minutes` minutes ending at END; `f(minutesAgo)` gives good/total. */
export function minutesOf(
  minutes: number,
  f: (ago: number) => { good: number; total: number },
): MinuteCounts {
  const out: MinuteCounts = new Map();
  for (let ago = 0; ago < minutes; ago++) out.set(END - ago * MINUTE, f(ago));
  return out;
}
