// TEMPORARY re-export for actions/dataflow-template/test/release-plan.test.ts and terraform/test/slack-token.test.ts:
// the real-OpenTofu locator is public as `tofuBinary` from "@shopstream/action-kit/testing". Delete this file
// once nothing imports it.
export { tofuBinary } from "@shopstream/action-kit/testing";
