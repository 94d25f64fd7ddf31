/**
 * Reporting the apply result: the job summary (the rendered "comment") and the Slack
 * message. Rendering is pure; sending goes through the GitHub client wrapper and the Slack Web API client.
 */
import { codeBlock, commentMarker, statusHeading } from "@shopstream/action-kit";
import { WebClient } from "@slack/web-api";

/** What happened. */
export interface ApplyResult {
  environment: string;
  status: "applied" | "failed" | "refused";
  reason?: string;
  message: string;
  sha256?: string;
  commit: string;
  runUrl: string;
  /** Last lines of the apply output (resources added/changed/destroyed). */
  tail?: string;
}

/** Marker of the apply comment of one environment. */
export function applyMarker(environment: string): string {
  return commentMarker("terraform-apply", environment);
}

const ICON = { applied: "✅", failed: "💥", refused: "⛔" } as const;

/** The job-summary report. */
export function renderApplyComment(r: ApplyResult): string {
  const lines = [
    applyMarker(r.environment),
    statusHeading(
      ICON[r.status],
      "Terraform apply",
      r.environment,
      `${r.status}${r.reason ? ` (\`${r.reason}\`)` : ""}`,
    ),
    "",
    r.message,
    "",
  ];
  if (r.tail) lines.push(codeBlock(r.tail), "");
  lines.push(
    `<sub>${r.sha256 ? `Plan SHA-256 \`${r.sha256.slice(0, 12)}\` · ` : ""}commit \`${r.commit.slice(0, 12)}\` · [run](${r.runUrl})</sub>`,
  );
  return lines.join("\n");
}

/** The Slack message (text fallback + blocks). */
export function renderSlack(r: ApplyResult): { text: string; blocks: unknown[] } {
  const text = `${ICON[r.status]} Terraform apply ${r.status} in ${r.environment}${r.reason ? ` (${r.reason})` : ""}`;
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${text}*\n${r.message}` } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `commit \`${r.commit.slice(0, 12)}\` · <${r.runUrl}|run>` }],
      },
    ],
  };
}

/** Posts the result to Slack; `slackApiUrl` lets tests point at a local server. */
export async function postSlack(
  token: string,
  channel: string,
  r: ApplyResult,
  slackApiUrl?: string,
): Promise<void> {
  const client = new WebClient(token, {
    retryConfig: { retries: 2 },
    ...(slackApiUrl ? { slackApiUrl } : {}),
  });
  await client.chat.postMessage({ channel, ...renderSlack(r) } as Parameters<
    typeof client.chat.postMessage
  >[0]);
}
