import { STATEFUL_TYPES, summarize } from "@shopstream/action-kit";
import { flatten, renderDiff, SENSITIVE, UNKNOWN } from "../src/diff";
import { fixture } from "./helpers";

describe("diff rendering", () => {
  it("flattens nested values with paths and carries sensitive and unknown marks", () => {
    const leaves = flatten({ a: { b: 1, c: [2, 3] }, s: { x: "p" } }, { s: true }, { a: { d: true } });
    expect(leaves.map((l) => [l.path, l.sensitive, l.unknown])).toEqual([
      ["a.b", false, false],
      ["a.c[0]", false, false],
      ["a.c[1]", false, false],
      ["a.d", false, true],
      ["s", true, false],
    ]);
  });

  it("masks every secret of the sensitive fixture", () => {
    const s = summarize(fixture("sensitive"), STATEFUL_TYPES);
    const text = renderDiff(s.changes);
    for (const secret of ["Secr3t", "xoxb-", "new-Secr3t-pw", "old-Secr3t-pw"])
      expect(text).not.toContain(secret);
    expect(text).toContain(`password = ${SENSITIVE} (changed)`);
    expect(text).toContain(`sensitive_labels[0].auth_token = ${SENSITIVE} (changed)`);
    expect(text).toContain(`secret_data = ${SENSITIVE}`);
    expect(text).toContain(`result = ${UNKNOWN}`);
    // Not marked sensitive by the provider, masked because the URI carries a password:
    expect(text).toContain(`parameters.mongoDBUri = ${SENSITIVE} (changed)`);
    expect(text).toContain(`secret = "projects/shop-dev/secrets/mongodb-uri"`);
    expect(text).toContain('parameters.maxNumWorkers = "3" -> "5"');
  });

  it("masks values matching caller patterns", () => {
    const s = summarize(fixture("creates-only"), STATEFUL_TYPES);
    const text = renderDiff(s.changes, { maskPatterns: [/^shop-dev$/] });
    expect(text).not.toContain('"shop-dev"');
    expect(text).toContain(`project = ${SENSITIVE}`);
  });

  it("shows update, replace reasons and removed attributes", () => {
    const s = summarize(fixture("replaces"), STATEFUL_TYPES);
    const text = renderDiff(s.changes);
    expect(text).toContain(
      '! module.pubsub.google_pubsub_subscription.events["analytics"] will be updated in-place',
    );
    expect(text).toContain("!     ack_deadline_seconds = 60 -> 120");
    expect(text).toContain(
      "-/+ module.bigquery.google_bigquery_table.events must be replaced (forced by time_partitioning[0].type)",
    );
    expect(text).toContain('time_partitioning[0].type = "DAY" -> "HOUR" # forces replacement');
  });
});
