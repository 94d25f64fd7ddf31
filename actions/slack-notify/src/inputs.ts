/**
 * The inputs of slack-notify, declared once (action.yml's names, required flags and defaults are checked
 * against this table by test/action-yml.test.ts) and read by @shopstream/action-kit's reader; errors say how
 * to fix them and never include the token.
 */
import {
  type InputGetter,
  InputProblem,
  input,
  integer,
  matching,
  oneOf,
  readInputs as readTable,
  text,
} from "@shopstream/action-kit";
import type { SloReport } from "@shopstream/slo";
import type { MessageInput } from "./blocks";

/** Validated inputs: the message itself (see blocks.ts) plus where and how to send it. */
export interface Inputs extends Omit<MessageInput, "runUrl" | "context"> {
  token: string;
  channel: string;
  threadTs?: string;
  updateTs?: string;
  retries: number;
  apiUrl: string;
}

function token(raw: string): string {
  if (!/^xox[bp]-/.test(raw))
    throw new InputProblem("does not look like a Slack bot or user token (xoxb-/xoxp-)");
  return raw;
}

function report(raw: string): SloReport | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as SloReport;
    if (Array.isArray(parsed.rows) && parsed.score) return parsed;
  } catch {
    // reported below
  }
  throw new InputProblem("must be the JSON `report` output of the slo-gate action");
}

const messageTs = matching(/^\d{10}\.\d{6}$/, "a Slack message ts like 1700000000.000100", true);

export const INPUTS = {
  token: input({
    parse: token,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression shown to the user
    required: "is empty: pass a Slack bot token from a secret, e.g. token: ${{ secrets.SLACK_BOT_TOKEN }}",
    secret: true,
  }),
  channel: input({
    parse: matching(/^([CGD][A-Z0-9]{2,}|#[a-z0-9._-]{1,80})$/, "a channel ID (C0123ABCD) or #name"),
    required: true,
  }),
  kind: input({ parse: oneOf("deploy", "gate", "audit", "failure"), required: true }),
  status: input({ parse: text, default: "success" }),
  environment: input({ parse: text }),
  title: input({ parse: text }),
  text: input({ parse: text }),
  release: input({ parse: text }),
  report: input({ parse: report }),
  "thread-ts": input({ parse: messageTs }),
  "update-ts": input({ parse: messageTs }),
  retries: input({ parse: integer(0, 10), default: "3" }),
  "api-url": input({
    parse: matching(/^https?:\/\/.+\/$/, "an http(s) URL ending with /"),
    default: "https://slack.com/api/",
  }),
};

/** Reads and validates every input; throws one error listing every problem (never the token). */
export function readInputs(read?: InputGetter): Inputs {
  // `report` is absent from the values when it did not parse (that problem is already listed).
  const v = readTable(INPUTS, read, (v) =>
    "report" in v && !v.report && (v.kind === "gate" || v.kind === "audit")
      ? [`report is required for kind ${v.kind}: pass the slo-gate step's report output`]
      : [],
  );
  return {
    token: v.token,
    channel: v.channel,
    kind: v.kind,
    status: v.status,
    environment: v.environment,
    title: v.title,
    text: v.text,
    ...(v.report ? { report: v.report } : {}),
    ...(v.release ? { release: v.release } : {}),
    ...(v.threadTs ? { threadTs: v.threadTs } : {}),
    ...(v.updateTs ? { updateTs: v.updateTs } : {}),
    retries: v.retries,
    apiUrl: v.apiUrl,
  };
}
