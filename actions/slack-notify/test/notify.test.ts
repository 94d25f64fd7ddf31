import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SloReport } from "@shopstream/slo";
import { FakeSlackServer } from "@shopstream/testkit";
import { buildMessage } from "../src/blocks";
import { readInputs } from "../src/inputs";
import { notify, run } from "../src/main";

const TOKEN = "xoxb-fake-token";
const report: SloReport = {
  kind: "gate",
  environment: "staging",
  evaluatedAt: "2025-01-31T12:00:00.000Z",
  score: "fail",
  rows: [
    {
      name: "processing-success",
      displayName: "Processing success",
      goal: 0.999,
      sli: 0.998,
      budgetRemaining: -1,
      burnRates: { "5m": 20, "1h": 20 },
      score: "fail",
      notes: ["fast-burn: burning 20.0x over 1h and 20.0x over 5m (> 14.4x)"],
      runbook: "docs/runbooks/slo-processing-success.md",
    },
  ],
};

describe("Block Kit messages", () => {
  test("a gate message: header, status, one section per SLO; report text escaped, `text` is mrkdwn", () => {
    const m = buildMessage({
      kind: "gate",
      status: "",
      environment: "staging",
      title: "",
      text: "see <https://x|x>",
      report,
    });
    expect(m.text).toBe("SLO gate for staging: fail");
    expect(m.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "SLO gate for staging: fail", emoji: true },
    });
    const texts = JSON.stringify(m.blocks);
    expect(texts).toContain("see <https://x|x>");
    expect(texts).toContain("(&gt; 14.4x)");
    expect(texts).toContain("*Processing success* — goal 99.90%, SLI 99.800%, budget left -100.0%");
    expect(texts).toContain("burn 5m 20.0x, 1h 20.0x");
  });

  test("a promotion message says which release went where", () => {
    const release =
      "release 0123456789ab (commit 1111111111aa; templates 2026-08-18-00_RC00; UDFs ingestion aaaaaaaaaaaa, analytics bbbbbbbbbbbb; SQL cccccccccccc; contract dddddddddddd; jobs image …@sha256:eeeeeeeeeeee)";
    const m = buildMessage({
      kind: "deploy",
      status: "success",
      environment: "prod",
      title: "",
      text: "",
      release,
    });
    expect(m.blocks).toContainEqual({
      type: "section",
      text: { type: "mrkdwn", text: `:package: *prod* ← ${release}` },
    });
    const without = buildMessage({
      kind: "deploy",
      status: "success",
      environment: "prod",
      title: "",
      text: "",
    });
    expect(JSON.stringify(without.blocks)).not.toContain(":package:");
  });

  test("an overridden gate says so, with who, why and the score it would have had", () => {
    const overridden = {
      ...report,
      score: "pass" as const,
      override: { reason: "P0: checkout <down>", requestedBy: "octocat", blockedScore: "fail" as const },
    };
    const m = buildMessage({
      kind: "gate",
      status: "",
      environment: "prod",
      title: "",
      text: "",
      report: overridden,
    });
    const texts = JSON.stringify(m.blocks);
    expect(texts).toContain("*SLO gate OVERRIDDEN* by octocat");
    expect(texts).toContain("it would have scored *fail*");
    expect(texts).toContain("Reason: P0: checkout &lt;down&gt;");
    const plain = buildMessage({
      kind: "gate",
      status: "",
      environment: "prod",
      title: "",
      text: "",
      report,
    });
    expect(JSON.stringify(plain.blocks)).not.toContain("OVERRIDDEN");
  });

  test("never more than 50 blocks", () => {
    const many = { ...report, rows: Array.from({ length: 80 }, () => report.rows[0]!) };
    const m = buildMessage({
      kind: "audit",
      status: "",
      environment: "prod",
      title: "",
      text: "",
      report: many,
    });
    expect(m.blocks.length).toBeLessThanOrEqual(50);
  });
});

describe("inputs", () => {
  test("actionable errors that never include the token", () => {
    const values: Record<string, string> = {
      token: "xoxq-secret-123",
      channel: "general",
      kind: "gate",
      "thread-ts": "12",
    };
    let message = "";
    try {
      readInputs((n) => values[n] ?? "");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/token does not look like a Slack bot/);
    expect(message).toMatch(/channel must be a channel ID/);
    expect(message).toMatch(/report is required for kind gate/);
    expect(message).toMatch(/thread-ts must be a Slack message ts/);
    expect(message).not.toContain("secret-123");
  });
});

describe("against a fake Slack Web API", () => {
  const slack = new FakeSlackServer(TOKEN);
  beforeAll(async () => {
    await slack.start();
  });
  afterAll(async () => {
    await slack.stop();
  });
  const base = () => ({
    token: TOKEN,
    channel: "C0ALERTS",
    kind: "deploy" as const,
    status: "started",
    environment: "staging",
    title: "",
    text: "",
    retries: 2,
    apiUrl: slack.url,
  });

  test("one promotion, one thread: post, reply in the thread, update the first message", async () => {
    const first = await notify(base(), {});
    expect(first.threadTs).toBe(first.ts);
    const reply = await notify({ ...base(), kind: "gate", report, threadTs: first.threadTs }, {});
    expect(reply.threadTs).toBe(first.ts);
    const updated = await notify(
      { ...base(), status: "failure", updateTs: first.ts, threadTs: first.ts },
      {},
    );
    expect(updated.ts).toBe(first.ts);
    const root = slack.messages.find((m) => m.ts === first.ts)!;
    expect(root.history).toHaveLength(2);
    expect(root.text).toBe("Deploy to staging: failure");
    expect(slack.messages.find((m) => m.ts === reply.ts)?.threadTs).toBe(first.ts);
    expect(slack.calls.every((c) => c.authorized)).toBe(true);
  });

  test("HTTP 429 with Retry-After is waited out and retried", async () => {
    slack.rateLimit = { times: 1, retryAfterS: 1 };
    const before = slack.calls.length;
    const started = Date.now();
    const sent = await notify(base(), {});
    expect(sent.ts).toMatch(/^\d+\.\d+$/);
    expect(slack.calls.length - before).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  test("API errors become actionable failures; the token is masked and never printed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slack-notify-"));
    const out = join(dir, "output");
    writeFileSync(out, "");
    const saved = { ...process.env };
    process.env.GITHUB_OUTPUT = out;
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: any) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const values: Record<string, string> = {
        token: TOKEN,
        channel: "C0NOTHERE",
        kind: "failure",
        "api-url": slack.url,
        retries: "0",
      };
      await run({ read: (n) => values[n] ?? "", env: {} });
      expect(process.exitCode).toBe(1);
      const log = written.join("");
      expect(log).toContain("::add-mask::xoxb-fake-token");
      expect(log).toMatch(
        /::error::slack-notify: Slack answered channel_not_found: the channel does not exist/,
      );
      expect(log.replace("::add-mask::xoxb-fake-token", "")).not.toContain(TOKEN);
      process.exitCode = 0;
      values.channel = "C0ALERTS";
      values.token = "xoxb-wrong";
      await run({ read: (n) => values[n] ?? "", env: {} });
      expect(written.join("")).toMatch(/invalid_auth: the token was rejected/);
      process.exitCode = 0;
      values.token = TOKEN;
      await run({
        read: (n) => values[n] ?? "",
        env: { GITHUB_REPOSITORY: "acme/shop", GITHUB_RUN_ID: "42", GITHUB_SHA: "abcdef123" },
      });
      expect(process.exitCode).toBe(0);
      expect(readFileSync(out, "utf8")).toMatch(/ts<<[\s\S]*thread-ts<</);
      expect(JSON.stringify(slack.messages.at(-1)?.blocks)).toContain(
        "<https://github.com/acme/shop/actions/runs/42|workflow run>",
      );
    } finally {
      spy.mockRestore();
      process.env = saved;
      process.exitCode = 0;
    }
  });
});
