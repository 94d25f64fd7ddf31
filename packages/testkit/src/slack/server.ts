/**
 * A fake Slack Web API on node:http: `chat.postMessage`, `chat.update` and `auth.test`, with the
 * documented response shapes (`{ ok, channel, ts, message }`, `{ ok: false, error }` on HTTP 200) and rate
 * limiting (HTTP 429 with `Retry-After`). The real `WebClient` talks to it with
 * `new WebClient(token, { slackApiUrl: server.url })`. Bodies are accepted form-encoded (the client's
 * default) or as JSON.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A message as the fake stores it. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  threadTs?: string;
  /** Every version, oldest first (chat.update appends). */
  history: { text?: string; blocks?: unknown[] }[];
}

/** A call the fake received (the token is recorded only as whether it matched). */
export interface FakeSlackCall {
  method: string;
  args: Record<string, unknown>;
  authorized: boolean;
}

/** The fake server. `messages` and `calls` are what tests assert on. */
export class FakeSlackServer {
  readonly messages: FakeSlackMessage[] = [];
  readonly calls: FakeSlackCall[] = [];
  /** Channels that exist (IDs or names); a post elsewhere answers `channel_not_found`. */
  readonly channels = new Set<string>(["C0ALERTS", "#shopstream-deploys"]);
  /** Answer the next N calls with 429 and this Retry-After (seconds). */
  rateLimit: { times: number; retryAfterS: number } | undefined;
  /** Answer the next call of this method with `{ ok: false, error }`. */
  nextError: { method: string; error: string } | undefined;
  private server: Server | undefined;
  private clock = 1_700_000_000;
  private seq = 0;

  constructor(readonly token = "xoxb-fake-token") {}

  /** Base URL for WebClient's `slackApiUrl` (ends with `/api/`). */
  url = "";

  /** Starts on 127.0.0.1, a free port; resolves to the base URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
    return this.url;
  }

  /** Stops the server (closes idle keep-alive connections too). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private nextTs(): string {
    this.seq++;
    return `${this.clock + this.seq}.${String(this.seq).padStart(6, "0")}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const type = req.headers["content-type"] ?? "";
    let args: Record<string, unknown> = {};
    if (type.includes("application/json")) args = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    else args = Object.fromEntries(new URLSearchParams(raw));
    for (const key of ["blocks", "attachments"])
      if (typeof args[key] === "string") args[key] = JSON.parse(args[key] as string);
    const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
    const bearer =
      /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? (args.token as string | undefined);
    const authorized = bearer === this.token;
    delete args.token;
    this.calls.push({ method, args, authorized });

    const send = (status: number, body: object, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
    };
    if (this.rateLimit && this.rateLimit.times > 0) {
      this.rateLimit.times--;
      send(429, { ok: false, error: "ratelimited" }, { "retry-after": String(this.rateLimit.retryAfterS) });
      return;
    }
    if (!authorized) return send(200, { ok: false, error: bearer ? "invalid_auth" : "not_authed" });
    if (this.nextError && this.nextError.method === method) {
      const error = this.nextError.error;
      this.nextError = undefined;
      return send(200, { ok: false, error });
    }
    if (method === "auth.test") return send(200, { ok: true, user_id: "U0FAKEBOT", team_id: "T0FAKE" });
    if (method !== "chat.postMessage" && method !== "chat.update")
      return send(404, { ok: false, error: "unknown_method" });

    const channel = String(args.channel ?? "");
    if (!channel) return send(200, { ok: false, error: "channel_not_found" });
    if (!this.channels.has(channel)) return send(200, { ok: false, error: "channel_not_found" });
    const text = typeof args.text === "string" ? args.text : undefined;
    const blocks = Array.isArray(args.blocks) ? args.blocks : undefined;
    if (!text && !blocks) return send(200, { ok: false, error: "no_text" });
    if ((text ?? "").length > 40000) return send(200, { ok: false, error: "msg_too_long" });
    if (blocks && blocks.length > 50) return send(200, { ok: false, error: "invalid_blocks" });

    if (method === "chat.postMessage") {
      const threadTs = typeof args.thread_ts === "string" ? args.thread_ts : undefined;
      if (threadTs && !this.messages.some((m) => m.channel === channel && m.ts === threadTs))
        return send(200, { ok: false, error: "thread_not_found" });
      const message: FakeSlackMessage = {
        channel,
        ts: this.nextTs(),
        text,
        blocks,
        threadTs,
        history: [{ text, blocks }],
      };
      this.messages.push(message);
      return send(200, {
        ok: true,
        channel,
        ts: message.ts,
        message: {
          type: "message",
          text: text ?? "",
          blocks,
          bot_id: "B0FAKE",
          ts: message.ts,
          thread_ts: threadTs,
        },
      });
    }
    const ts = String(args.ts ?? "");
    const message = this.messages.find((m) => m.channel === channel && m.ts === ts);
    if (!message) return send(200, { ok: false, error: "message_not_found" });
    message.text = text;
    message.blocks = blocks;
    message.history.push({ text, blocks });
    return send(200, { ok: true, channel, ts, text: text ?? "", message: { text: text ?? "", blocks } });
  }
}
