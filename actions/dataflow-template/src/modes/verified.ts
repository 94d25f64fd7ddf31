/** mode verified: the post-deploy integration test passed for the release running in the environment. */
import * as core from "@actions/core";
import { markVerified, shortId } from "@shopstream/release";
import { recordBucket, required, thisRunUrl } from "../context";

export async function verifiedMode(): Promise<void> {
  const environment = required("environment", "in mode verified");
  const id = required("release-id", "in mode verified");
  const record = await markVerified(recordBucket(environment), environment, id, thisRunUrl());
  core.info(`release ${shortId(id)} verified in ${environment} at ${record.verified_at}`);
}
