/** Writing the step's job summary (its Markdown building blocks are in markdown.ts). */
import * as core from "@actions/core";

/** Appends Markdown to the step's job summary (GITHUB_STEP_SUMMARY). */
export async function writeSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(markdown).write();
}
