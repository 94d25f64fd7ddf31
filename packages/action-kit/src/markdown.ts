/**
 * Markdown building blocks of the comments and job summaries: the status heading of an environment's report,
 * and a code block that survives backticks in its content. Pure: loads no @actions/* package.
 */
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
