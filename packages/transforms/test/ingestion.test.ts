import { EXAMPLE_EVENTS, formatUtc, parseAndValidate } from "@shopstream/events";
import { BSON } from "mongodb";
import { toRawDocument } from "../src";

const NOW = Date.parse("2026-11-26T10:20:00Z");

/** The document as built before the splicing fast path: a field-by-field copy with `_id` first. */
function copiedDocument(payload: string, nowMs: number): string {
  const result = parseAndValidate(payload, nowMs);
  if (!result.ok) throw new Error(result.reason);
  const event = result.event as unknown as Record<string, unknown>;
  const document: Record<string, unknown> = { _id: event.event_id };
  for (const key in event) {
    if (Object.hasOwn(event, key) && key !== "_id") document[key] = event[key];
  }
  document.event_ts = { $date: `${result.eventTimeUtc.substring(0, 23)}Z` };
  document.processed_at = { $date: `${formatUtc(nowMs).substring(0, 23)}Z` };
  return JSON.stringify(document);
}

describe("toRawDocument", () => {
  it.each([
    ["a plain event", "", ""],
    ["unicode, escapes and line separators", ',"note":"caf\u00e9 \ud83d\uded2 \u2028 \\"q\\" \\\\"', ""],
    ["an _id field (replaced by event_id)", ',"_id":"mine"', ""],
    ["event_ts and processed_at fields (overwritten in place)", ',"event_ts":1,"processed_at":{"a":1}', ""],
    ["array-index keys (enumerated first)", ',"7":"seven","0":0,"01":"not an index"', ""],
    ["a key starting with a digit that is not an index", ',"01":"x","1a":2', ""],
    ["__proto__ keys, object and string", ',"__proto__":{"_id":"inherited"},"x":{"__proto__":"s"}', ""],
    ["a __proto__ key giving the copy an inherited event_ts", ',"__proto__":{"event_ts":"p"}', ""],
    ["null optional fields", ',"referrer":null,"context":null', ""],
    ["a leading unknown field", "", '"aaa":[1,{"b":null}],'],
  ])("builds the same bytes as a field-by-field copy: %s", (_name, extraTail, extraHead) => {
    const text = JSON.stringify(EXAMPLE_EVENTS.purchase);
    const payload = `{${extraHead}${text.substring(1, text.length - 1)}${extraTail}}`;
    expect(toRawDocument(payload, NOW)).toBe(copiedDocument(payload, NOW));
  });

  it("keys the document by event_id and keeps every field, unknown ones included", () => {
    const input = {
      ...EXAMPLE_EVENTS.purchase,
      event_id: EXAMPLE_EVENTS.purchase.event_id.toUpperCase(),
      ab: [1],
    };
    const doc = BSON.EJSON.parse(toRawDocument(JSON.stringify(input), NOW), { relaxed: true }) as Record<
      string,
      any
    >;
    expect(doc._id).toBe(EXAMPLE_EVENTS.purchase.event_id);
    expect(doc.event_id).toBe(EXAMPLE_EVENTS.purchase.event_id);
    expect(doc.ab).toEqual([1]);
    expect(doc.properties.coupon).toBe("WINTER10");
    expect(doc.event_time).toBe(EXAMPLE_EVENTS.purchase.event_time);
    expect(doc.event_ts).toEqual(new Date("2026-11-26T09:15:07.250Z"));
  });

  it("stores money as canonical decimal strings, in properties and line items", () => {
    const doc = BSON.EJSON.parse(toRawDocument(JSON.stringify(EXAMPLE_EVENTS.purchase), NOW), {
      relaxed: true,
    }) as Record<string, any>;
    expect(doc.properties.revenue).toBe("104.87");
    expect(doc.properties.items[0].price).toBe("89.9");
    expect(doc.properties.items[1].quantity).toBe(3);
  });

  it("is deterministic: the same payload gives the same bytes", () => {
    const payload = JSON.stringify(EXAMPLE_EVENTS.add_to_cart);
    expect(toRawDocument(payload, NOW)).toBe(toRawDocument(payload, NOW));
  });

  it("throws the dead-letter reason for an invalid event", () => {
    expect(() => toRawDocument('{"event_type":"purchase"}', NOW)).toThrow(/event_id: is required/);
    expect(() => toRawDocument("nope", NOW)).toThrow("payload: not valid JSON");
  });

  it("stamps processed_at from the clock it is given (the UDF passes the worker's) and keeps published_at as sent", () => {
    const doc = BSON.EJSON.parse(toRawDocument(JSON.stringify(EXAMPLE_EVENTS.purchase), NOW + 1), {
      relaxed: true,
    }) as Record<string, any>;
    expect(doc.processed_at).toEqual(new Date("2026-11-26T10:20:00.001Z"));
    expect(doc.published_at).toBe(EXAMPLE_EVENTS.purchase.published_at);
    const { published_at: _stamp, ...unstamped } = EXAMPLE_EVENTS.purchase;
    const bare = BSON.EJSON.parse(toRawDocument(JSON.stringify(unstamped), NOW), { relaxed: true }) as Record<
      string,
      any
    >;
    expect("published_at" in bare).toBe(false);
    expect(bare.processed_at).toEqual(new Date(NOW));
  });
});
