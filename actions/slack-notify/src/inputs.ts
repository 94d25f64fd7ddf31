/** The action's inputs, read and validated once, with errors that say how to fix them. */
import type { SloReport } from "../../../packages/slo/src/report";
import type { MessageInput } from "./blocks";

/** Reads one input (core.getInput in the action, a map in tests). */
export type InputReader = (name: string) => string;

/** Validated inputs: the message itself (see blocks.ts) plus where and how to send it. */
export interface Inputs extends Omit<MessageInput, "runUrl" | "context"> {
  token: string;
  channel: string;
  threadTs?: string;
  updateTs?: string;
  retries: number;
  apiUrl: string;
}

const TS = /^\d{10}\.\d{6}$/;

/** Reads and validates every input; throws one error listing every problem (never the token). */
export function readInputs(read: InputReader): Inputs {
  const problems: string[] = [];
  const token = read("token");
  if (!token)
    problems.push(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression shown to the user
      "token is empty: pass a Slack bot token from a secret, e.g. token: ${{ secrets.SLACK_BOT_TOKEN }}",
    );
  else if (!/^xox[bp]-/.test(token))
    problems.push("token does not look like a Slack bot or user token (xoxb-/xoxp-)");
  const channel = read("channel");
  if (!/^([CGD][A-Z0-9]{2,}|#[a-z0-9._-]{1,80})$/.test(channel))
    problems.push(`channel must be a channel ID (C0123ABCD) or #name, got "${channel}"`);
  const kind = read("kind");
  if (!["deploy", "gate", "audit", "failure"].includes(kind))
    problems.push(`kind must be deploy, gate, audit or failure, got "${kind}"`);
  const rawReport = read("report");
  let report: SloReport | undefined;
  if (rawReport) {
    try {
      report = JSON.parse(rawReport) as SloReport;
      if (!Array.isArray(report.rows) || !report.score) throw new Error("not a report");
    } catch {
      problems.push("report must be the JSON `report` output of the slo-gate action");
    }
  } else if (kind === "gate" || kind === "audit")
    problems.push(`report is required for kind ${kind}: pass the slo-gate step's report output`);
  const threadTs = read("thread-ts") || undefined;
  const updateTs = read("update-ts") || undefined;
  for (const [name, v] of [
    ["thread-ts", threadTs],
    ["update-ts", updateTs],
  ] as const)
    if (v && !TS.test(v))
      problems.push(`${name} must be a Slack message ts like 1700000000.000100, got "${v}"`);
  const retries = Number(read("retries") || "3");
  if (!Number.isInteger(retries) || retries < 0 || retries > 10)
    problems.push(`retries must be an integer from 0 to 10`);
  const apiUrl = read("api-url") || "https://slack.com/api/";
  if (!/^https?:\/\/.+\/$/.test(apiUrl))
    problems.push(`api-url must be an http(s) URL ending with /, got "${apiUrl}"`);
  if (problems.length > 0) throw new Error(`invalid inputs:\n  - ${problems.join("\n  - ")}`);
  return {
    token,
    channel,
    kind: kind as Inputs["kind"],
    status: read("status") || "success",
    environment: read("environment"),
    title: read("title"),
    text: read("text"),
    ...(report ? { report } : {}),
    ...(read("release") ? { release: read("release") } : {}),
    ...(threadTs ? { threadTs } : {}),
    ...(updateTs ? { updateTs } : {}),
    retries,
    apiUrl,
  };
}
