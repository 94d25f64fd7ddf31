/** The analytics transform lives in @shopstream/transforms (it is also the Dataflow UDF); the worker calls it. */
export { toWarehouseRow } from "@shopstream/transforms";
