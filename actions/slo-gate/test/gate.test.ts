import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getOctokit } from "@actions/github";
import { MetricServiceClient } from "@google-cloud/monitoring";
import { status } from "@grpc/grpc-js";
import { FakeGitHub, FakeMonitoringServer, type FakeSeries } from "@shopstream/testkit";
import { readInputs } from "../src/inputs";
import { evaluate, run } from "../src/main";
import { END, FIXTURE_DIR, PREFIX, type Scenario, scenarioSeries } from "./scenarios";

process.env.METADATA_SERVER_DETECTION = "none";
const REPO = join(__dirname, "..", "..", "..");
// @actions/core's summary remembers the first GITHUB_STEP_SUMMARY path it sees: one file for every test
const SUMMARY = join(mkdtempSync(join(tmpdir(), "slo-gate-summary-")), "summary.md");

const inputs = (extra: Record<string, string> = {}) => {
  const values: Record<string, string> = {
    mode: "gate",
    "project-id": "shop-staging-1234",
    environment: "staging",
    "slo-dir": FIXTURE_DIR,
    "fail-on-warn": "false",
    "evaluation-time": new Date(END).toISOString(),
    ...extra,
  };
  return (name: string) => values[name] ?? "";
};

describe("inputs", () => {
  test("defaults and validation with actionable errors", () => {
    const ok = readInputs(inputs(), REPO, END);
    expect(ok).toMatchObject({
      mode: "gate",
      namePrefix: "shopstream-staging",
      failOnWarn: false,
      evaluationMs: END,
    });
    expect(() =>
      readInputs(
        inputs({ mode: "deploy", "project-id": "X", "fail-on-warn": "yes", "evaluation-time": "soon" }),
        REPO,
        0,
      ),
    ).toThrow(
      /mode must be "gate" or "audit"[\s\S]*project-id must be a Google Cloud project ID[\s\S]*fail-on-warn must be true or false[\s\S]*evaluation-time must be an RFC 3339 time/,
    );
  });

  test("evaluation-time: a gate refuses the future and the past; an audit may backfill within retention", () => {
    const at =
      (iso: string, mode = "gate") =>
      () =>
        readInputs(inputs({ mode, "evaluation-time": iso }), REPO, END);
    const hour = 3600_000;
    // before: any parseable time was accepted, so a promotion could be scored at a moment its budget
    // looked better, or at a future time whose minutes do not exist yet
    expect(at(new Date(END + 2 * hour).toISOString())).toThrow(
      /evaluation-time .*: is 120 minutes in the future: .*leave evaluation-time empty/,
    );
    expect(at(new Date(END - 3 * 86_400_000).toISOString())).toThrow(
      /evaluation-time .*: is 3\.0 days ago: a gate judges the environment as it is now .*use mode: audit/,
    );
    // a re-run of the same promotion a little later, and runner clock skew, are fine
    expect(at(new Date(END - 50 * 60_000).toISOString())().evaluationMs).toBe(END - 50 * 60_000);
    expect(at(new Date(END + 30_000).toISOString())().evaluationMs).toBe(END + 30_000);
    // audit: backfills within Cloud Monitoring's retention, never the future
    expect(at(new Date(END - 10 * 86_400_000).toISOString(), "audit")().evaluationMs).toBe(
      END - 10 * 86_400_000,
    );
    expect(at(new Date(END - 60 * 86_400_000).toISOString(), "audit")).toThrow(
      /is 60\.0 days ago: Cloud Monitoring keeps metric points for about 6 weeks/,
    );
    expect(at(new Date(END + 2 * hour).toISOString(), "audit")).toThrow(/in the future/);
    // no evaluation-time: now, whatever the mode
    expect(readInputs(inputs({ "evaluation-time": "" }), REPO, END + 5 * hour).evaluationMs).toBe(
      END + 5 * hour,
    );
  });

  test("the target's prefix comes from the platform declaration and cannot rewrite the Monitoring filters", () => {
    const target = { "target-project-id": "shop-prod-123456", "target-environment": "prod" };
    expect(readInputs(inputs(target), REPO, END).target?.namePrefix).toBe("shopstream-prod");
    // before: accepted as is, so the target's budget was read from whatever the filter then matched
    expect(() =>
      readInputs(inputs({ ...target, "target-name-prefix": 'x" OR metric.type = "y' }), REPO, END),
    ).toThrow(/target-name-prefix must be lower-case letters, digits and hyphens/);
    expect(() => readInputs(inputs({ ...target, "target-environment": "qa" }), REPO, END)).toThrow(
      /target-environment \(set with target-project-id\)/,
    );
  });
});

describe("slo-gate against a fake Cloud Monitoring", () => {
  const fake = new FakeMonitoringServer();
  let clients: MetricServiceClient[] = [];
  const createClient = () => {
    const c = new MetricServiceClient(fake.clientOptions());
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.series.length = 0;
    fake.requests.length = 0;
    fake.failure = undefined;
    clients = [];
  });

  // 8 days: above gate.minCoverage (25% of 30 days), so the verdict is about burn, not history
  const gate = async (scenario: Scenario, extra: Record<string, string> = {}, days = 8) => {
    fake.series.push(...scenarioSeries(scenario, days));
    return evaluate({ now: () => END, read: inputs(extra), createClient, workspace: REPO });
  };

  test("pass: every SLO passes, with per-minute reads of the declared metrics", async () => {
    const { report, failed } = await gate("pass");
    expect(report.score).toBe("pass");
    expect(failed).toBeUndefined();
    expect(report.rows.map((r) => [r.name, r.score])).toEqual([
      ["mongodb-connections", "pass"],
      ["overall-availability", "pass"],
      ["processing-latency", "pass"],
      ["processing-success", "pass"],
    ]);
    const success = report.rows.find((r) => r.name === "processing-success")!;
    expect(success.sli).toBe(1);
    expect(success.budgetRemaining).toBe(1);
    // four reads: good + total, latency distribution, connections; composite computed from them
    expect(fake.requests).toHaveLength(4);
    for (const r of fake.requests) {
      expect(r.name).toBe("projects/shop-staging-1234");
      expect(r.alignmentPeriodS).toBe(60);
      expect(r.endMs - r.startMs).toBe(30 * 86400 * 1000);
      expect(r.filter).toContain(PREFIX);
    }
    expect(fake.requests.map((r) => `${r.perSeriesAligner}/${r.crossSeriesReducer}`).sort()).toEqual([
      "ALIGN_DELTA/REDUCE_SUM",
      "ALIGN_DELTA/REDUCE_SUM",
      "ALIGN_DELTA/REDUCE_SUM",
      "ALIGN_SUM/REDUCE_SUM",
    ]);
    // each read ends at its SLO's visibility horizon
    const ends = Object.fromEntries(
      fake.requests.map((r) => [r.filter.split('metric.type = "')[1]?.split('"')[0], (END - r.endMs) / 1000]),
    );
    expect(ends).toEqual({
      "pubsub.googleapis.com/subscription/ack_message_count": 240,
      "pubsub.googleapis.com/topic/send_message_operation_count": 240,
      "custom.googleapis.com/shopstream/pipeline/event_latency": 1080,
      "custom.googleapis.com/shopstream/mongodb/connections": 180,
    });
    // all client connections closed
    expect(clients).toHaveLength(1);
  });

  test("ingestion delay: publishes of the last 3 minutes whose acks are not visible yet do not fail a healthy pipeline", async () => {
    fake.series.push(...scenarioSeries("pass", 8));
    // Monitoring has the newest minutes' publishes but not yet their acks (both ack series)
    for (const s of fake.series)
      if (s.metricType.endsWith("ack_message_count"))
        s.points = s.points.filter((p) => p.endMs < END - 3 * 60_000);
    const { report, failed } = await evaluate({
      now: () => END,
      read: inputs(),
      createClient,
      workspace: REPO,
    });
    // before: those minutes counted as all bad (0 of 2000): a fast burn, promotion blocked
    expect(report.rows.find((r) => r.name === "processing-success")).toMatchObject({ score: "pass", sli: 1 });
    expect(failed).toBeUndefined();
  });

  test("a young environment (2 days): prod's fail-on-warn promotion is decided by the release, not blocked for a week", async () => {
    const strict = { "fail-on-warn": "true" };
    // without a deploy marker nothing vouches for the missing history: blocked, saying what to do
    const blind = await gate("pass", strict, 2);
    expect(blind.failed).toMatch(/insufficient history: 6\.\d% of 30d observed/);
    expect(blind.failed).toMatch(/not decided by the release: no deploy marker \(deployed-at\)/);
    // the candidate has run clean in staging for a day: reported loudly, but it passes
    fake.requests.length = 0;
    const { report, failed } = await evaluate({
      now: () => END,
      read: inputs({ ...strict, "deployed-at": new Date(END - 86_400_000).toISOString() }),
      createClient,
      workspace: REPO,
    });
    // before: warn (insufficient history) + fail-on-warn = every promotion to prod failed for 7.5 days
    expect(failed).toBeUndefined();
    expect(report.score).toBe("pass");
    const success = report.rows.find((r) => r.name === "processing-success")!;
    expect(success).toMatchObject({ status: "insufficient-history", score: "pass" });
    expect(success.notes.join("\n")).toMatch(/decided by the release since its deploy instead/);
  });

  test("warn: a slow burn warns but does not block, unless fail-on-warn", async () => {
    // 10 days observed, the last 3 burning 1.5x: 45% of the budget used, the ticket rule fires
    const { report, failed } = await gate("warn", {}, 10);
    const success = report.rows.find((r) => r.name === "processing-success")!;
    expect(success.score).toBe("warn");
    expect(success.burnRates["3d"]).toBeCloseTo(1.5);
    expect(success.budgetRemaining).toBeCloseTo(0.55);
    expect(report.score).toBe("warn");
    expect(failed).toBeUndefined();
    const strict = await evaluate({
      now: () => END,
      read: inputs({ "fail-on-warn": "true" }),
      createClient,
      workspace: REPO,
    });
    expect(strict.failed).toMatch(/SLO gate warn for staging: .*processing-success/);
  });

  test("fail: a fast burn blocks the promotion", async () => {
    const { report, failed } = await gate("fail");
    const success = report.rows.find((r) => r.name === "processing-success")!;
    expect(success.score).toBe("fail");
    expect(success.burnRates["1h"]).toBeCloseTo(20);
    expect(success.burnRates["5m"]).toBeCloseTo(20);
    // 2% failing is 98% per minute: still available (minuteThreshold 95%), as its goal allows
    expect(report.rows.find((r) => r.name === "overall-availability")!.score).toBe("pass");
    expect(failed).toMatch(/Promotion blocked/);
  });

  test("missing: nothing measured a day after the deploy blocks, except SLOs declared neverMeasured: exclude", async () => {
    const { report, failed } = await gate("missing", {
      "deployed-at": new Date(END - 86_400_000).toISOString(),
    });
    expect(report.rows.map((r) => [r.name, r.score, r.counted])).toEqual([
      ["mongodb-connections", "pass", false],
      ["overall-availability", "fail", true],
      ["processing-latency", "fail", true],
      ["processing-success", "fail", true],
    ]);
    expect(report.rows[0]?.notes[0]).toMatch(/NOT MEASURED/);
    expect(failed).toMatch(/Promotion blocked/);
  });

  test("missing in dev -> dev (no deployed-at) while dev has run a release for a day: source-live-since decides, it fails", async () => {
    const { report, failed } = await gate("missing", {
      "source-live-since": new Date(END - 86_400_000).toISOString(),
    });
    expect(report.rows.find((r) => r.name === "processing-latency")).toMatchObject({
      score: "fail",
      counted: true,
    });
    expect(report.release).toBeUndefined(); // no candidate in the source: no release criteria
    expect(failed).toMatch(/Promotion blocked/);
  });

  test("missing on a fresh fork (no deploy marker): NOT MEASURED, shown, not blocking", async () => {
    // docs/forking.md section 6: the first promote dev -> dev deploys the writers; nothing can be measured yet
    const { report, failed } = await gate("missing");
    expect(report.rows.map((r) => [r.name, r.score, r.counted])).toEqual([
      ["mongodb-connections", "pass", false],
      ["overall-availability", "pass", false],
      ["processing-latency", "pass", false],
      ["processing-success", "pass", false],
    ]);
    expect(report.rows[2]?.notes[0]).toMatch(/NOT MEASURED.*no recorded release/);
    // before: fail, so the deploy that would start measuring could never pass the gate
    expect(failed).toBeUndefined();
  });

  test("audit mode: budgets, trends and too-loose objectives over a full (7-day) period", async () => {
    // a 7-day rolling period keeps the test fast; the audit logic is the same for 30 days
    const dir = mkdtempSync(join(tmpdir(), "slo-audit-"));
    cpSync(FIXTURE_DIR, dir, { recursive: true });
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".yaml")))
      writeFileSync(
        join(dir, f),
        readFileSync(join(dir, f), "utf8")
          .replace("rollingPeriod: 30d", "rollingPeriod: 7d")
          .replace("trendWindow: 7d", "trendWindow: 3d"),
      );
    fake.series.push(...scenarioSeries("pass", 7));
    const { report } = await evaluate({
      now: () => END,
      read: inputs({
        mode: "audit",
        "slo-dir": dir,
        "deploy-markers": JSON.stringify([
          { release: "v7", deployedAt: new Date(END - 2 * 86400_000).toISOString() },
        ]),
      }),
      createClient,
      workspace: REPO,
    });
    expect(report.kind).toBe("audit");
    const latency = report.rows.find((r) => r.name === "processing-latency")!;
    expect(latency.verdict).toBe("too-loose");
    expect(latency.suggestedGoal).toBeGreaterThan(0.95);
    expect(latency.trend).toMatch(/steady: 0\.00x over the last 3d/);
    expect(report.attribution).toEqual([
      expect.objectContaining({ release: "v7", spent: expect.objectContaining({ "processing-success": 0 }) }),
    ]);

    // slo-audit.yml passes no deploy-markers: they come from staging's deploy:release deployments (S5)
    const gh = await github([]);
    const release = (id: string, at: number, state: "success" | "failure") => {
      const d = gh.gh.addDeployment(
        {
          ref: "main",
          task: "deploy:release",
          environment: "staging",
          payload: { release_id: id.repeat(64), commit: "c".repeat(40) },
        },
        new Date(at).toISOString(),
      );
      gh.gh.addDeploymentStatus(d, { state, auto_inactive: false }, new Date(at + 60_000).toISOString());
    };
    release("a", END - 5 * 86400_000, "success");
    release("b", END - 3 * 86400_000, "failure"); // never went live: not a marker
    release("e", END - 2 * 86400_000, "success");
    try {
      const recorded = await evaluate({
        now: () => END,
        read: inputs({ mode: "audit", "slo-dir": dir }),
        createClient,
        workspace: REPO,
        github: gh.ctx,
      });
      // before: no attribution at all without the deploy-markers input
      expect(recorded.report.attribution?.map((a) => [a.release, a.deployedAt])).toEqual([
        ["aaaaaaaaaaaa", new Date(END - 5 * 86400_000 + 60_000).toISOString()],
        ["eeeeeeeeeeee", new Date(END - 2 * 86400_000 + 60_000).toISOString()],
      ]);
    } finally {
      await gh.gh.stop();
    }
  }, 30000);

  test("run(): outputs, job summary, and setFailed on a failing gate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slo-gate-"));
    const out = join(dir, "output");
    const summary = SUMMARY;
    writeFileSync(out, "");
    writeFileSync(summary, "");
    const saved = { ...process.env };
    Object.assign(process.env, {
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_SHA: "abc123",
    });
    try {
      fake.series.push(...scenarioSeries("fail"));
      await run({ now: () => END, read: inputs(), createClient, workspace: REPO });
      expect(process.exitCode).toBe(1);
      expect(readFileSync(out, "utf8")).toMatch(/score<<[\s\S]*fail/);
      const md = readFileSync(summary, "utf8");
      expect(md).toContain("## SLO gate for staging: ❌ fail");
      expect(md).toMatch(/\| Processing success \| 99\.90% \|/);
      expect(md).toContain(
        "https://github.com/acme/shop/blob/abc123/docs/runbooks/slo-processing-success.md",
      );
    } finally {
      process.env = saved;
      process.exitCode = 0;
    }
  });

  /** A GitHub fake where slo-override is protected like staging/prod and run 4242 has `approvals`. */
  const github = async (
    approvals: { login: string; env: string; state?: "approved" | "rejected" | "pending" }[],
    protectedEnv = true,
  ) => {
    const gh = new FakeGitHub({ owner: "acme", repo: "shop" });
    if (protectedEnv) {
      gh.environments.set("slo-override", [
        {
          type: "required_reviewers",
          reviewers: [{ type: "Team", reviewer: { id: 7 } }],
          prevent_self_review: true,
        },
      ]);
      gh.environmentSettings.set("slo-override", { can_admins_bypass: false });
    }
    gh.runApprovals.set(
      4242,
      approvals.map((a) => ({
        environments: [a.env],
        state: a.state ?? ("approved" as const),
        user: { login: a.login, id: 9, type: "User" as const },
        comment: "ok",
      })),
    );
    await gh.start();
    const ctx = {
      octokit: getOctokit("t0ken", { baseUrl: gh.url }),
      repo: { owner: "acme", repo: "shop" },
      runId: 4242,
      deployBranch: "main",
    };
    return { gh, ctx };
  };

  test("an override is refused when slo-override is not protected or nobody approved it in this run", async () => {
    fake.series.push(...scenarioSeries("fail"));
    const reason = { "override-reason": "P0: checkout is down, fix #123" };
    const attempt = async (
      approvals: { login: string; env: string; state?: "rejected" }[],
      protectedEnv: boolean,
    ) => {
      const { gh, ctx } = await github(approvals, protectedEnv);
      try {
        const r = await evaluate({
          now: () => END,
          read: inputs(reason),
          createClient,
          workspace: REPO,
          github: ctx,
        });
        return { ...r, paths: gh.requests.map((q) => q.path) };
      } finally {
        await gh.stop();
      }
    };
    // GitHub creates an environment a job names on the fly, unprotected: here it does not exist at all
    const missing = await attempt([{ login: "bob", env: "slo-override" }], false);
    // before: overridden (nothing checked the environment)
    expect(missing.failed).toMatch(
      /override was refused: environment-missing: the GitHub environment slo-override does not exist/,
    );
    expect(missing.report.override).toBeUndefined();
    const unapproved = await attempt([{ login: "bob", env: "staging" }], true);
    expect(unapproved.failed).toMatch(
      /override was refused: .*no approval recorded for the slo-override environment/,
    );
    expect(unapproved.paths).toContain("/repos/acme/shop/actions/runs/4242/approvals");
    // a reviewer of slo-override rejected the override in this run: a review, but not an approval
    const rejected = await attempt([{ login: "bob", env: "slo-override", state: "rejected" }], true);
    expect(rejected.failed).toMatch(
      /override was refused: .*no approval recorded for the slo-override environment/,
    );
    expect(rejected.report.override).toBeUndefined();
  }, 60_000);

  test("target budget exhausted blocks a change; an approved override lets it through, recorded everywhere", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slo-gate-override-"));
    const out = join(dir, "output");
    const summary = SUMMARY;
    writeFileSync(out, "");
    writeFileSync(summary, "");
    const saved = { ...process.env };
    Object.assign(process.env, { GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: summary, GITHUB_ACTOR: "alice" });
    // source (staging) healthy; target (prod) spent 4 days at 10x: budget exhausted
    fake.series.push(...scenarioSeries("pass", 8));
    const prod = (s: FakeSeries): FakeSeries => ({
      ...s,
      resourceLabels: Object.fromEntries(
        Object.entries(s.resourceLabels ?? {}).map(([k, v]) => [k, v.replace(PREFIX, "shopstream-prod")]),
      ),
      metricLabels: Object.fromEntries(
        Object.entries(s.metricLabels ?? {}).map(([k, v]) => [k, v.replace(PREFIX, "shopstream-prod")]),
      ),
      points:
        s.metricType.endsWith("ack_message_count") && !s.metricLabels?.stream
          ? s.points.map((p, i) => (i > 1440 && i < 5 * 1440 ? { ...p, value: p.value - 20 } : p))
          : s.points,
    });
    fake.series.push(...scenarioSeries("pass", 8).map(prod));
    const target = { "target-project-id": "shop-prod-123456", "target-environment": "prod" };
    try {
      const blocked = await evaluate({ now: () => END, read: inputs(target), createClient, workspace: REPO });
      expect(blocked.report.target).toMatchObject({ environment: "prod", score: "fail" });
      expect(blocked.failed).toMatch(/prod has no error budget left \(processing-success\)/);
      // a self-declared fix needs the slo-override approval too (before: it passed on its own word)
      const unapproved = await github([]);
      const approved = await github([{ login: "bob", env: "slo-override" }]);
      try {
        const bare = await evaluate({
          now: () => END,
          read: inputs({ ...target, "change-kind": "fix" }),
          createClient,
          workspace: REPO,
          github: unapproved.ctx,
        });
        expect(bare.failed).toMatch(
          /a fix is promoted to it only with an approval in the protected slo-override/,
        );
        const fix = await evaluate({
          now: () => END,
          read: inputs({ ...target, "change-kind": "fix" }),
          createClient,
          workspace: REPO,
          github: approved.ctx,
        });
        expect(fix.failed).toBeUndefined();
        expect(fix.report.target?.notes[0]).toMatch(/a fix approved in slo-override by bob/);
        await run({
          now: () => END,
          read: inputs({ ...target, "override-reason": "P0: checkout is down, fix #123" }),
          createClient,
          workspace: REPO,
          github: approved.ctx,
        });
      } finally {
        await approved.gh.stop();
        await unapproved.gh.stop();
      }
      expect(process.exitCode).not.toBe(1);
      const outputs = readFileSync(out, "utf8");
      expect(outputs).toMatch(/overridden<<[\s\S]*true/);
      const report = JSON.parse(/report<<(\S+)\n([\s\S]*?)\n\1/.exec(outputs)?.[2] ?? "{}");
      expect(report.override).toEqual({
        reason: "P0: checkout is down, fix #123",
        requestedBy: "alice",
        approvedBy: ["bob"],
        blockedScore: "fail",
      });
      expect(readFileSync(summary, "utf8")).toMatch(
        /\*\*OVERRIDDEN\*\* by alice \(approved in the protected override environment by bob\).* Reason: P0: checkout is down, fix #123/,
      );
    } finally {
      process.env = saved;
      process.exitCode = 0;
    }
  }, 60_000);

  test("a Monitoring error (permission denied) fails the step with the API's message", async () => {
    fake.failure = {
      code: status.PERMISSION_DENIED,
      details: "Permission monitoring.timeSeries.list denied",
    };
    const saved = process.exitCode;
    try {
      await expect(
        evaluate({ now: () => END, read: inputs(), createClient, workspace: REPO }),
      ).rejects.toThrow(/monitoring\.timeSeries\.list denied/);
    } finally {
      process.exitCode = saved;
    }
  });
});
