/**
 * Job-summary and comment building blocks shared by the actions: the status heading of an environment's
 * report, a code block that survives backticks in its content, and writing Markdown to the step's summary.
 */
import * as core from "@actions/core";

/** `### <icon> <what> · \`<environment>\` · <status>`: the heading of one environment's report. */
export function statusHeading(icon: string, what: string, environment: string, status: string): string {
  const fence = environment.includes("`") ? "``" : "`";
  return `### ${icon} ${what} · ${fence}${environment}${fence} · ${status}`;
}

/**
 * A fenced code block of `text` (tool output): triple backticks inside are replaced by look-alike characters
 * so the text cannot close the fence and turn into Markdown.
 */
export function codeBlock(text: string): string {
  return ["```", text.replace(/```/g, "ˋˋˋ"), "```"].join("\n");
}

/** Appends Markdown to the step's job summary (GITHUB_STEP_SUMMARY). */
export async function writeSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(markdown).write();
}
