/** Helpers shared by the benchmarks: statistics, the reconciliation section and report files. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PipelineSummary } from "@shopstream/local-pipeline";

export const REPORTS = join(__dirname, "..", "reports");

/** The middle value (upper median for an even count); NaN for no values. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Published vs stored at the end of a run: the numbers that must agree whatever the speed. */
export function reconciliationOf(summary: PipelineSummary) {
  return {
    published: summary.totals.published,
    malformed: summary.totals.malformed,
    duplicates: summary.totals.duplicates,
    rawDocuments: summary.rawDocuments,
    warehouseDistinctEvents: summary.warehouseDistinctEvents,
    drained: summary.drained,
    restarts: summary.totals.restarts,
  };
}

/** Drained, and both stores hold every valid event once: published - duplicate publishes - malformed. */
export function reconciled(r: ReturnType<typeof reconciliationOf>): boolean {
  const expected = r.published - r.duplicates - r.malformed;
  return r.drained && r.rawDocuments === expected && r.warehouseDistinctEvents === expected;
}

export function reconciliationLine(r: ReturnType<typeof reconciliationOf>): string {
  return (
    `Reconciliation: published ${r.published} (duplicates ${r.duplicates}, malformed ${r.malformed}); ` +
    `raw documents ${r.rawDocuments}; warehouse distinct events ${r.warehouseDistinctEvents}; ` +
    `drained ${r.drained}; worker restarts ${r.restarts}.`
  );
}

/** Writes bench/reports/<name>.json and .md, then prints the markdown. */
export function writeReport(name: string, report: unknown, md: string, log: (line: string) => void): void {
  mkdirSync(REPORTS, { recursive: true });
  writeFileSync(join(REPORTS, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(REPORTS, `${name}.md`), md);
  log(`\n${md}`);
}
