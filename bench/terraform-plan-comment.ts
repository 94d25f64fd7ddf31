/**
 * Benchmark (not a test): summarise, render the comment and the job summary of a synthetic 5,000-resource
 * plan. Prints time and size.   npx tsx bench/terraform-plan-comment.ts [resources]
 */
import { parsePlanJson, STATEFUL_TYPES, summarize } from "@shopstream/action-kit/terraform";
import { syntheticPlan } from "@shopstream/action-kit/testing";
import { renderComment } from "@shopstream/action-terraform-plan/render";

const n = Number(process.argv[2] ?? 5000);
const meta = {
  environment: "dev",
  sha256: "0".repeat(64),
  commit: "1".repeat(40),
  createdAt: new Date().toISOString(),
};
const text = JSON.stringify(syntheticPlan(n));
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
for (let round = 0; round < 2; round++) {
  let t = process.hrtime.bigint();
  const summary = summarize(parsePlanJson(text), STATEFUL_TYPES);
  const parse = ms(t);
  t = process.hrtime.bigint();
  const comment = renderComment({
    environment: "dev",
    summary,
    policy: { status: "pass", verdicts: [] },
    meta,
  });
  const render = ms(t);
  t = process.hrtime.bigint();
  const jobSummary = renderComment({
    environment: "dev",
    summary,
    policy: { status: "pass", verdicts: [] },
    meta,
    budget: 1_000_000,
  });
  const summaryMs = ms(t);
  console.log(
    JSON.stringify({
      round: round === 0 ? "cold" : "warm",
      resources: n,
      planJsonBytes: text.length,
      parseAndSummariseMs: Math.round(parse),
      commentRenderMs: Math.round(render),
      commentBytes: comment.bytes,
      commentDiffsShown: comment.diffShown,
      jobSummaryRenderMs: Math.round(summaryMs),
      jobSummaryBytes: jobSummary.bytes,
      jobSummaryDiffsShown: jobSummary.diffShown,
    }),
  );
}
