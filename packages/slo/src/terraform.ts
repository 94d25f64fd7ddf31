/**
 * The Terraform feed: the monitoring module's `slos` input, generated from the declarations into
 * policies/slo/generated/terraform-slos.json (scripts/generate.ts; `--check` proves it fresh). The root
 * reads it with jsondecode(file(...)) and replaces `{name_prefix}` per environment, so nothing about an
 * SLO is written twice by hand.
 */
import type { SloCatalog, SloDefinition } from "./declaration";
import { renderFilter } from "./filter";

/** One element of the monitoring module's `slos` variable (see terraform/modules/monitoring). */
export interface TerraformSlo {
  name: string;
  display_name: string;
  goal: number;
  rolling_period_days: number;
  sli: {
    type:
      | "request_ratio"
      | "request_distribution_cut"
      | "windows_good_bad"
      | "windows_mean_in_range"
      | "windows_sum_in_range";
    good_filter?: string;
    distribution_filter?: string;
    total_filter?: string;
    metric_filter?: string;
    range_min?: number;
    range_max?: number;
    window_period?: string;
  };
  alerts: { name: string; severity: string; long_window: string; short_window: string; burn_rate: number }[];
  runbook_path: string;
}

function sliOf(slo: SloDefinition): TerraformSlo["sli"] {
  const s = slo.sli;
  if (s.kind === "ratio")
    return { type: "request_ratio", good_filter: renderFilter(s.good), total_filter: renderFilter(s.total) };
  if (s.kind === "distribution-cut")
    return {
      type: "request_distribution_cut",
      distribution_filter: renderFilter(s.metric),
      range_min: s.range.min,
      range_max: s.range.max,
    };
  if (s.kind === "windows-in-range")
    return {
      // the only two windows-based SLIs Cloud Monitoring can express; the loader refuses anything else
      type: s.aggregate === "sum" ? "windows_sum_in_range" : "windows_mean_in_range",
      metric_filter: renderFilter(s.metric),
      range_min: s.range.min,
      range_max: s.range.max,
      window_period: `${s.windowSeconds}s`,
    };
  return {
    type: "windows_good_bad",
    good_filter: renderFilter(s.metric),
    window_period: `${s.windowSeconds}s`,
  };
}

/** The module input for every SLO of the catalog, in declaration (file name) order. */
export function terraformSlos(catalog: SloCatalog): TerraformSlo[] {
  return catalog.slos.map((slo) => ({
    name: slo.name,
    display_name: slo.displayName,
    goal: slo.goal,
    rolling_period_days: slo.rollingPeriodSeconds / 86400,
    sli: sliOf(slo),
    alerts: slo.alerts.map((a) => ({
      name: a.name,
      severity: a.severity,
      long_window: `${a.longWindowSeconds}s`,
      short_window: `${a.shortWindowSeconds}s`,
      burn_rate: a.burnRate,
    })),
    runbook_path: slo.runbook,
  }));
}

/** The generated file's text (stable formatting, trailing newline). */
export function terraformSlosJson(catalog: SloCatalog): string {
  return `${JSON.stringify(terraformSlos(catalog), null, 2)}\n`;
}
