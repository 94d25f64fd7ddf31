/**
 * slack-notify: one Block Kit message per call (post, threaded reply, or in-place update) with the Slack
 * Web API client's retries and rate-limit handling. The token is masked before anything is logged.
 */
import * as core from "@actions/core";
import { failureBoundary, type InputGetter, runUrl } from "@shopstream/action-kit";
import { ErrorCode, LogLevel, WebClient } from "@slack/web-api";
import { buildMessage } from "./blocks";
import { type Inputs, readInputs } from "./inputs";

/** What run() can be given instead of the real world (tests). */
export interface RunDeps {
  read?: InputGetter;
  /** Environment for the run link and context (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The result of a notification. */
export interface Notified {
  ts: string;
  channel: string;
  threadTs: string;
}

const HINTS: Record<string, string> = {
  invalid_auth: "the token was rejected: check the SLACK_BOT_TOKEN secret",
  not_authed: "no token reached Slack: check the SLACK_BOT_TOKEN secret",
  channel_not_found:
    "the channel does not exist or the bot cannot see it: use the channel ID and invite the bot",
  not_in_channel: "invite the bot to the channel (/invite @bot)",
  message_not_found: "update-ts does not name a message of this channel",
  thread_not_found: "thread-ts does not name a message of this channel",
  missing_scope: "the bot token needs the chat:write scope",
};

/** Explains a Web API error without any secret (the client's errors carry only the API's code). */
export function describeError(error: unknown): string {
  const e = error as { code?: string; data?: { error?: string }; message?: string };
  if (e.code === ErrorCode.PlatformError && e.data?.error)
    return `Slack answered ${e.data.error}${HINTS[e.data.error] ? `: ${HINTS[e.data.error]}` : ""}`;
  if (e.code === ErrorCode.RateLimitedError) return "Slack rate-limited every retry";
  if (e.code === ErrorCode.RequestError || e.code === ErrorCode.HTTPError)
    return `could not reach Slack: ${e.message}`;
  return e.message ?? String(error);
}

/** Sends the message described by the inputs. */
export async function notify(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): Promise<Notified> {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  const runLink =
    owner && repo && env.GITHUB_RUN_ID
      ? runUrl({
          serverUrl: env.GITHUB_SERVER_URL ?? "https://github.com",
          repo: { owner, repo },
          runId: Number(env.GITHUB_RUN_ID),
        })
      : undefined;
  const context = env.GITHUB_REPOSITORY
    ? `${env.GITHUB_REPOSITORY}@${(env.GITHUB_SHA ?? "").slice(0, 7)}${env.GITHUB_ACTOR ? ` by ${env.GITHUB_ACTOR}` : ""}`
    : undefined;
  const message = buildMessage({
    ...inputs,
    ...(runLink ? { runUrl: runLink } : {}),
    ...(context ? { context } : {}),
  });
  const client = new WebClient(inputs.token, {
    slackApiUrl: inputs.apiUrl,
    retryConfig: { retries: inputs.retries, factor: 2, minTimeout: 200, maxTimeout: 5000 },
    rejectRateLimitedCalls: false, // wait for Retry-After, then retry
    logLevel: LogLevel.ERROR,
  });
  if (inputs.updateTs) {
    const r = await client.chat.update({ channel: inputs.channel, ts: inputs.updateTs, ...message });
    const ts = r.ts ?? inputs.updateTs;
    return { ts, channel: r.channel ?? inputs.channel, threadTs: inputs.threadTs ?? ts };
  }
  const r = await client.chat.postMessage({
    channel: inputs.channel,
    ...message,
    ...(inputs.threadTs ? { thread_ts: inputs.threadTs } : {}),
    unfurl_links: false,
  });
  if (!r.ts) throw new Error("Slack answered ok without a message ts");
  return { ts: r.ts, channel: r.channel ?? inputs.channel, threadTs: inputs.threadTs ?? r.ts };
}

/** The action's entry point; the token is masked by the input reader before anything else. */
export const run = failureBoundary(
  async (deps: RunDeps = {}): Promise<void> => {
    const inputs = readInputs(deps.read);
    const sent = await notify(inputs, deps.env ?? process.env);
    core.setOutput("ts", sent.ts);
    core.setOutput("channel", sent.channel);
    core.setOutput("thread-ts", sent.threadTs);
    core.info(
      `${inputs.updateTs ? "updated" : "posted"} ${inputs.kind} message ${sent.ts} in ${sent.channel}`,
    );
  },
  { prefix: "slack-notify", describe: describeError },
);
