/**
 * dataflow-template: builds and tests the UDF bundles, uploads each to GCS under its content hash (only when
 * absent), and emits the launch parameters Terraform consumes. In dry-run mode it only reports what would change.
 * Releases (ADR 0002, @shopstream/release), one file per `mode` in modes/:
 *   release  build the release once: bundles into the releases bucket, manifest, commit pointer
 *   resolve  which release a promotion carries (the source's, or the newest of main for dev -> dev)
 *   publish  with `release-id`: plan/apply exactly that release (its bundles copied by hash, its pins)
 *   record   after an apply: record the release as running in the environment (the state bucket's
 *            env/<env>/release/running.json, authoritative; a GitHub deployment, display only)
 *   verified after the post-deploy integration test passed: mark the environment's record verified
 */
import { failureBoundary, readInputs } from "@shopstream/action-kit";
import { INPUTS } from "./inputs";
import { publishMode } from "./modes/publish";
import { recordMode } from "./modes/record";
import { releaseMode } from "./modes/release";
import { resolveMode } from "./modes/resolve";
import { verifiedMode } from "./modes/verified";

const MODES: Record<string, () => Promise<void>> = {
  publish: publishMode,
  release: releaseMode,
  resolve: resolveMode,
  record: recordMode,
  verified: verifiedMode,
};

/** The action: the mode's file, inside the kit's error boundary (one error line). */
export const run = failureBoundary(async (): Promise<void> => {
  const { mode } = readInputs({ mode: INPUTS.mode });
  const runMode = Object.hasOwn(MODES, mode) ? MODES[mode] : undefined;
  if (!runMode) throw new Error(`mode: "${mode}" must be publish, release, resolve, record or verified`);
  await runMode();
});
