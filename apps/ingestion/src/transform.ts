/** The ingestion transform lives in @shopstream/transforms (it is also the Dataflow UDF); the worker calls it. */
export { toRawDocument } from "@shopstream/transforms";
