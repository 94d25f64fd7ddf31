import { EXAMPLE_EVENTS } from "@shopstream/events";
import { BSON } from "mongodb";
import { toRawDocument } from "../src";

const NOW = Date.parse("2026-11-26T10:20:00Z");

describe("toRawDocument", () => {
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
