/**
 * @shopstream/transforms — the per-event transforms that become the Dataflow UDFs, their manifest and their
 * golden corpus. Pure and ES5-library-safe (see README.md): tools/udf bundles them for Nashorn.
 */
export { toWarehouseRow } from "./analytics";
export { GOLDEN_NOW, type GoldenCase, goldenCases } from "./golden";
export { toRawDocument } from "./ingestion";
export { MALFORMED_LABELS, MALFORMED_MAKERS, makeMalformed } from "./malformed";
export {
  type ManifestEntry,
  UDF_CLOCKED_FUNCTION_NAME,
  UDF_FUNCTION_NAME,
  UDF_SPECS,
  type UdfSpec,
  udfSpec,
} from "./manifest";
export type { UdfOutcome } from "./outcome";
export { Random } from "./random";
export { REFERENCE_TRANSFORMS, referenceOutcome } from "./reference";
