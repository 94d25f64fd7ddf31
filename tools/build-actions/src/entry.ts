// TEMPORARY compatibility re-export for the actions kit14b converts (dataflow-template, integration-test):
// the error boundary lives in @shopstream/action-kit. Delete this file once nothing imports it.
export { explain, runAction } from "@shopstream/action-kit";
