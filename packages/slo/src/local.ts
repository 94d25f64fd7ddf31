/**
 * SLO status of a local run (tools/local-pipeline's summary): the same declarations evaluated over the
 * counters and latency histogram the workers report, so `npm start` shows each SLO as met or breached.
 */
import type { LocalCounter, LocalGauge, SloCatalog, SloDefinition } from "./declaration";
import { burnRate, sli } from "./math";

/** What a local run measured. */
export interface LocalObservations {
  counters: Partial<Record<LocalCounter, number>>;
  gauges: Partial<Record<LocalGauge, number>>;
  /**
   * Share of events the latency SLO counts as good for a `distribution_cut` range with max `boundSeconds`:
   * those in an EVENT_LATENCY_BOUNDS_SECONDS bucket whose upper bound is at most the bound (explicitBucketOf),
   * as Cloud Monitoring counts the exporter's distribution, so strictly below it (NaN without events).
   */
  latencyShareWithin: (boundSeconds: number) => number;
}

/** One SLO's local status. */
export interface LocalSloStatus {
  slo: SloDefinition;
  sli: number | null;
  burnRate: number | null;
  status: "met" | "breached" | "no-data" | "not-measured";
  detail: string;
}

function statusOf(slo: SloDefinition, value: number | null, detail: string): LocalSloStatus {
  return {
    slo,
    sli: value,
    burnRate: burnRate(value, slo.goal),
    status: value === null ? "no-data" : value >= slo.goal ? "met" : "breached",
    detail,
  };
}

/** Evaluates every SLO of the catalog over a local run. */
export function localStatus(catalog: SloCatalog, observed: LocalObservations): LocalSloStatus[] {
  const results = new Map<string, LocalSloStatus>();
  for (const slo of catalog.slos) {
    const s = slo.sli;
    if (s.kind === "composite") continue;
    if (!s.local) {
      results.set(slo.name, {
        slo,
        sli: null,
        burnRate: null,
        status: "not-measured",
        detail: "no local SLI declared",
      });
    } else if (s.kind === "ratio") {
      const good = observed.counters[s.local.good];
      const total = observed.counters[s.local.total];
      results.set(
        slo.name,
        good === undefined || total === undefined
          ? {
              slo,
              sli: null,
              burnRate: null,
              status: "not-measured",
              detail: `${s.local.good}/${s.local.total} not reported`,
            }
          : statusOf(slo, sli(good, total), `${good} ${s.local.good} / ${total} ${s.local.total}`),
      );
    } else if (s.kind === "distribution-cut") {
      const share = observed.latencyShareWithin(s.range.max);
      results.set(
        slo.name,
        statusOf(slo, Number.isNaN(share) ? null : share, `share of events stored in < ${s.range.max} s`),
      );
    } else {
      const value = observed.gauges[s.local.gauge];
      results.set(
        slo.name,
        value === undefined
          ? {
              slo,
              sli: null,
              burnRate: null,
              status: "not-measured",
              detail: `${s.local.gauge} not available`,
            }
          : statusOf(
              slo,
              value >= s.range.min && value <= s.range.max ? 1 : 0,
              `${s.local.gauge} = ${value} (good in [${s.range.min}, ${s.range.max}])`,
            ),
      );
    }
  }
  for (const slo of catalog.slos) {
    const s = slo.sli;
    if (s.kind !== "composite") continue;
    const parts = s.components.map((c) => results.get(c)).filter((r): r is LocalSloStatus => !!r);
    const measured = parts.filter((p) => p.status === "met" || p.status === "breached");
    const breached = measured.filter((p) => p.status === "breached").map((p) => p.slo.name);
    results.set(
      slo.name,
      measured.length === 0
        ? { slo, sli: null, burnRate: null, status: "no-data", detail: "no component measured" }
        : statusOf(
            slo,
            breached.length === 0 ? 1 : 0,
            breached.length === 0
              ? `all ${measured.length} measured components met`
              : `breached by ${breached.join(", ")}`,
          ),
    );
  }
  return catalog.slos.map((slo) => results.get(slo.name) as LocalSloStatus);
}

/** The summary section printed by the local main job. */
export function formatLocalStatus(statuses: LocalSloStatus[]): string[] {
  const pct = (v: number | null) => (v === null ? "-" : `${(v * 100).toFixed(3)}%`);
  const rows = statuses.map((s) => [
    s.slo.name,
    `${(s.slo.goal * 100).toFixed(2)}%`,
    pct(s.sli),
    s.status.toUpperCase(),
    s.detail,
  ]);
  const header = ["slo", "goal", "sli", "status", "measured"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    `    ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ")}`.trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}
