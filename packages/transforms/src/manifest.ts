/**
 * The UDF manifest: which transform each app's Dataflow UDF wraps and which Google-provided Flex template runs
 * it, and the shape of one built bundle's entry in manifest.json. Adding a pipeline = one entry here (plus
 * its Terraform job).
 */
export interface UdfSpec {
  /** App name; also the folder of its artefacts in the UDF bucket and the key of the action's outputs. */
  app: string;
  /** Transform module, relative to the repository root. */
  entry: string;
  /** Named export of `entry`: `(payload: string, nowMs: number) => string`, throws the dead-letter reason. */
  exportName: string;
  /** Google-provided Flex template (folder name under gs://dataflow-templates-REGION/VERSION/flex/). */
  template: string;
}

/** Name of the UDF function the templates call (`javascriptTextTransformFunctionName`). */
export const UDF_FUNCTION_NAME = "transform";
/** Deterministic twin of the entry, `transformAt(payload, nowMs)`, for tests and benchmarks. */
export const UDF_CLOCKED_FUNCTION_NAME = "transformAt";

export const UDF_SPECS: readonly UdfSpec[] = [
  {
    app: "ingestion",
    entry: "packages/transforms/src/ingestion.ts",
    exportName: "toRawDocument",
    template: "Cloud_PubSub_to_MongoDB",
  },
  {
    app: "analytics",
    entry: "packages/transforms/src/analytics.ts",
    exportName: "toWarehouseRow",
    template: "PubSub_to_BigQuery_Flex",
  },
];

/**
 * One bundle in a manifest.json: written by `tsx tools/udf/src/cli.ts build`, and by dataflow-template for a
 * release's downloaded bundles; read by dataflow-template's publish.
 */
export interface ManifestEntry {
  app: string;
  file: string;
  sha256: string;
  /** Size of the bundle; written by the build (a release's downloaded copy leaves it out). */
  bytes?: number;
  functionName: string;
  template: string;
}

export function udfSpec(app: string): UdfSpec {
  const spec = UDF_SPECS.find((s) => s.app === app);
  if (!spec) throw new Error(`unknown UDF app "${app}" (known: ${UDF_SPECS.map((s) => s.app).join(", ")})`);
  return spec;
}
