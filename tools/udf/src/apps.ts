/**
 * The UDF of each app: which transform it wraps and which Google-provided Flex template runs it.
 * Adding a pipeline = one entry here (plus its Terraform job).
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
    entry: "apps/ingestion/src/transform.ts",
    exportName: "toRawDocument",
    template: "Cloud_PubSub_to_MongoDB",
  },
  {
    app: "analytics",
    entry: "apps/analytics/src/transform.ts",
    exportName: "toWarehouseRow",
    template: "PubSub_to_BigQuery_Flex",
  },
];

export function udfSpec(app: string): UdfSpec {
  const spec = UDF_SPECS.find((s) => s.app === app);
  if (!spec) throw new Error(`unknown UDF app "${app}" (known: ${UDF_SPECS.map((s) => s.app).join(", ")})`);
  return spec;
}
