/**
 * Every metric an SLO, alert or dashboard in terraform/ reads is either a recorded built-in metric
 * (src/builtin-metrics.ts, with its source) or a custom metric of the catalogue (src/custom-metrics.ts),
 * whose descriptor the monitoring module creates before the SLOs (Cloud Monitoring refuses an SLO over
 * an unknown metric).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import {
  BUILTIN_METRICS,
  CUSTOM_METRICS,
  customTimeSeries,
  REPO_ROOT,
  terraformCustomMetrics,
  terraformCustomMetricsJson,
} from "../src";

const TERRAFORM = join(REPO_ROOT, "terraform");
const GENERATED = join(REPO_ROOT, "policies", "slo", "generated");

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name.startsWith(".")) return [];
    return statSync(path).isDirectory() ? files(path, ext) : name.endsWith(ext) ? [path] : [];
  });
}

/** metric.type = "..." in HCL, in escaped filter strings, and in the generated JSON inputs. */
function referencedMetrics(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const sources = [...files(TERRAFORM, ".tf"), ...files(GENERATED, ".json")];
  for (const file of sources) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/metric\.type\s*=\s*\\*"([a-z0-9.]+\/[A-Za-z0-9_/.]+)\\*"/g)) {
      const type = m[1] as string;
      found.set(type, [...(found.get(type) ?? []), relative(REPO_ROOT, file)]);
    }
  }
  return found;
}

describe("metrics referenced in Terraform", () => {
  test("each is a recorded built-in metric or a catalogued custom metric with a descriptor", () => {
    const referenced = referencedMetrics();
    // the scan sees the SLO inputs and the module's own alerts and charts
    expect(referenced.has("pubsub.googleapis.com/subscription/ack_message_count")).toBe(true);
    expect(referenced.has("custom.googleapis.com/shopstream/mongodb/connections")).toBe(true);
    const custom = new Set(terraformCustomMetrics().map((m) => m.type));
    const builtin = new Set(BUILTIN_METRICS.map((m) => m.type));
    const unknown = [...referenced.entries()]
      .filter(([type]) => !(type.startsWith("custom.googleapis.com/") ? custom.has(type) : builtin.has(type)))
      .map(([type, where]) => `${type} (in ${[...new Set(where)].join(", ")})`);
    expect(unknown).toEqual([]);
  });

  test("built-in metrics cite their source; custom ones are never DELTA", () => {
    for (const m of BUILTIN_METRICS) {
      expect(m.source).toMatch(/cloud\.google\.com\/monitoring\/api\/metrics_gcp/);
      expect(m.visibilityDelaySeconds).toBeGreaterThan(0);
    }
    for (const m of CUSTOM_METRICS) {
      expect(m.type.startsWith("custom.googleapis.com/shopstream/")).toBe(true);
      expect(["GAUGE", "CUMULATIVE"]).toContain(m.metricKind);
    }
  });

  test("the monitoring module creates every descriptor before the SLOs, from the generated catalogue", () => {
    const main = readFileSync(join(TERRAFORM, "modules", "monitoring", "main.tf"), "utf8");
    expect(main).toContain('resource "google_monitoring_metric_descriptor" "custom"');
    const slo = main.slice(main.indexOf('resource "google_monitoring_slo" "slo"'));
    expect(slo.slice(0, slo.indexOf("\n}\n"))).toContain(
      "depends_on = [google_monitoring_metric_descriptor.custom]",
    );
    const root = readFileSync(join(TERRAFORM, "main.tf"), "utf8");
    expect(root).toMatch(
      /custom_metrics\s+=\s+jsondecode\(file\("\$\{path\.module\}\/\$\{var\.custom_metrics_file\}"\)\)/,
    );
    expect(readFileSync(join(GENERATED, "terraform-custom-metrics.json"), "utf8")).toBe(
      terraformCustomMetricsJson(),
    );
  });

  test("the reconciliation metrics are catalogued with the agreed types, kinds and labels", () => {
    const shape = (type: string) => {
      const m = CUSTOM_METRICS.find((x) => x.type === type);
      return m && [m.metricKind, m.valueType, m.unit, m.labels.map((l) => l.key).join(",")];
    };
    const base = "custom.googleapis.com/shopstream";
    for (const name of ["missing_events", "extra_events", "dead_lettered_events"])
      expect(shape(`${base}/reconciliation/${name}`)).toEqual(["GAUGE", "INT64", "1", "deployment,store"]);
    expect(shape(`${base}/pipeline/event_latency`)).toEqual([
      "CUMULATIVE",
      "DISTRIBUTION",
      "s",
      "deployment,store",
    ]);
  });
});

describe("customTimeSeries refuses what Cloud Monitoring or the SLOs would misread", () => {
  const o = { projectId: "p-123456", labels: { deployment: "shopstream-prod" }, endMs: 1_700_000_040_000 };
  const connections = "custom.googleapis.com/shopstream/mongodb/connections";
  test.each([
    [Number.NaN, /finite number >= 0, got NaN/],
    [-1, /finite number >= 0, got -1/],
    [Number.POSITIVE_INFINITY, /finite number >= 0/],
    [2.5, /INT64 metric needs an integer/],
  ])("value %p", (value, message) => {
    expect(() => customTimeSeries(connections, value, o)).toThrow(message);
  });
  test("labels must be exactly the declared ones, with allowed values", () => {
    expect(() => customTimeSeries(connections, 3, { ...o, labels: {} })).toThrow(
      /labels must be exactly deployment/,
    );
    const missing = "custom.googleapis.com/shopstream/reconciliation/missing_events";
    expect(() =>
      customTimeSeries(missing, 3, { ...o, labels: { deployment: "d", store: "postgres" } }),
    ).toThrow(/store must be mongodb or bigquery/);
    expect(() => customTimeSeries("custom.googleapis.com/nope", 1, o)).toThrow(
      /not in the custom-metric catalogue/,
    );
  });
  test("a latency histogram becomes an explicit-bucket CUMULATIVE distribution", () => {
    const latency = "custom.googleapis.com/shopstream/pipeline/event_latency";
    const counts = [0, 5, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const ts = customTimeSeries(
      latency,
      { distribution: { counts, sum: 20 } },
      { ...o, labels: { deployment: "d", store: "mongodb" }, startMs: o.endMs - 300_000 },
    );
    expect(ts.metricKind).toBe("CUMULATIVE");
    expect(ts.points?.[0]?.value?.distributionValue).toMatchObject({ count: 16, bucketCounts: counts });
    expect(() =>
      customTimeSeries(
        latency,
        { distribution: { counts: [1, -1], sum: 0 } },
        { ...o, labels: { deployment: "d", store: "mongodb" } },
      ),
    ).toThrow(/buckets/);
  });
});
