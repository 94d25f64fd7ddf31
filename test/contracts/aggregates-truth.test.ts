/**
 * The integration suites' independent truth (test/support/truth.ts) against the analytics app's
 * aggregate definitions: it recomputes every table the app defines, and the bounded wait on the
 * aggregates (waitForExactAggregates) compares table by table, not by the order the tables are listed in.
 */
import { loadAggregates } from "@shopstream/analytics";
import { dataset } from "../support/faults";
import { expectedAggregates, type Row, sameAggregates } from "../support/truth";

const { truth } = dataset(606, 300, 0);
const expected = expectedAggregates(truth);
const copy = (tables: Record<string, Row[]>) => JSON.parse(JSON.stringify(tables)) as Record<string, Row[]>;

describe("the aggregates' truth and the analytics app", () => {
  it("recomputes every aggregate table the app defines, and no other", () => {
    expect(Object.keys(expected).sort()).toEqual(
      loadAggregates()
        .map((a) => a.name)
        .sort(),
    );
  });

  it("compares the tables as read back (loadAggregates order) with the truth (its own order)", () => {
    const asRead = Object.fromEntries(loadAggregates().map((a) => [a.name, copy(expected)[a.name] ?? []]));
    const reversed = Object.fromEntries(Object.entries(copy(expected)).reverse());
    expect(sameAggregates(asRead, expected)).toBe(true);
    expect(sameAggregates(reversed, expected)).toBe(true);
  });

  it("still tells a wrong row, a missing row and a missing table apart from the truth", () => {
    const [name, rows] = Object.entries(expected).find(([, r]) => r.length > 1) ?? [];
    if (!name || !rows) throw new Error("the dataset produced no table with two rows");
    const wrongValue = copy(expected);
    const first = wrongValue[name]?.[0] as Row;
    const key = Object.keys(first).find((k) => typeof first[k] === "number") as string;
    first[key] = (first[key] as number) + 1;
    expect(sameAggregates(wrongValue, expected)).toBe(false);
    const missingRow = copy(expected);
    missingRow[name]?.pop();
    expect(sameAggregates(missingRow, expected)).toBe(false);
    const missingTable = copy(expected);
    delete missingTable[name];
    expect(sameAggregates(missingTable, expected)).toBe(false);
  });
});
