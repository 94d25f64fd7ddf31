import {
  EVENT_TYPES,
  EXAMPLE_EVENTS,
  parseAndValidateText,
  WAREHOUSE_COLUMNS,
  type WarehouseRow,
} from "@shopstream/events";
import { toWarehouseRow } from "../src";
import { plainRowText } from "../src/analytics";

const NOW = Date.parse("2026-11-26T10:20:00Z");
const row = (event: unknown): WarehouseRow => JSON.parse(toWarehouseRow(JSON.stringify(event), NOW));

describe("toWarehouseRow", () => {
  it.each(EVENT_TYPES.map((t) => [t]))("maps %s to exactly the table's columns", (type) => {
    const out = row(EXAMPLE_EVENTS[type]);
    expect(Object.keys(out).sort()).toEqual(WAREHOUSE_COLUMNS.map((c) => c.name).sort());
    expect(out.event_type).toBe(type);
    expect(out.event_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it("computes value and units per type, exactly", () => {
    expect(row(EXAMPLE_EVENTS.purchase)).toMatchObject({
      value: "104.87",
      units: 4,
      currency: "EUR",
      order_id: "order-88412",
    });
    expect(row(EXAMPLE_EVENTS.add_to_cart)).toMatchObject({
      value: "179.8",
      units: 2,
      product_id: "sku-1001",
    });
    expect(row(EXAMPLE_EVENTS.refund)).toMatchObject({ value: "4.99", units: null });
    expect(row(EXAMPLE_EVENTS.search)).toMatchObject({
      value: null,
      search_query: "trail running shoes",
      results_count: 24,
    });
    expect(row(EXAMPLE_EVENTS.purchase).items).toEqual([
      { product_id: "sku-1001", category: "shoes", price: "89.9", quantity: 1 },
      { product_id: "sku-2002", category: "socks", price: "4.99", quantity: 3 },
    ]);
  });

  it("uses anonymous_id as the user key of anonymous visitors and keeps the payload whole", () => {
    const out = row({ ...EXAMPLE_EVENTS.page_view, campaign: "x" });
    expect(out).toMatchObject({ user_id: null, anonymous_id: "anon-9c2e", user_key: "anon-9c2e" });
    expect(JSON.parse(out.payload).campaign).toBe("x");
  });

  it("throws the dead-letter reason for an invalid event", () => {
    expect(() =>
      toWarehouseRow(JSON.stringify({ ...EXAMPLE_EVENTS.refund, schema_version: "9" }), NOW),
    ).toThrow(/unsupported schema version/);
  });

  it("stamps processed_at from the clock it is given and stores published_at in UTC (null when absent)", () => {
    const out = JSON.parse(toWarehouseRow(JSON.stringify(EXAMPLE_EVENTS.purchase), NOW + 1)) as WarehouseRow;
    expect(out.processed_at).toBe("2026-11-26T10:20:00.001000Z");
    expect(out.published_at).toBe("2026-11-26T09:15:07.400000Z"); // sent as 10:15:07.400+01:00
    expect(row({ ...EXAMPLE_EVENTS.purchase, published_at: null }).published_at).toBeNull();
  });

  // The row is written by hand when the payload's text is plain, by JSON.stringify otherwise: the same
  // event sent as plain text and with one escape (a "\u005f" for "_" in a name: same parsed event, not
  // plain) must give the same bytes.
  it("writes the same row text on the hand-written path as JSON.stringify does", () => {
    const variants: unknown[] = [];
    for (const type of EVENT_TYPES) {
      const event = EXAMPLE_EVENTS[type] as Record<string, unknown>;
      variants.push(event);
      variants.push({ ...event, user_id: null, anonymous_id: "anon-1", context: null, published_at: null });
      variants.push({
        ...event,
        context: { country: "DE", device: "tablet", page_url: null, extra: [1, 2.5] },
      });
      variants.push({
        ...event,
        event_time: "2026-11-26T11:15:00.5+01:00",
        published_at: "2026-11-26T10:15:01Z",
      });
      // Unknown fields shaped like columns: kept in the payload, never taken as columns of another type.
      const unknown: Record<string, unknown> = {
        items: [{ quantity: 2 }],
        product_id: 7,
        query: ["x"],
        results_count: 1.5,
      };
      const properties = { ...(event.properties as object) } as Record<string, unknown>;
      for (const key in unknown) if (!(key in properties)) properties[key] = unknown[key];
      variants.push({ ...event, ...unknown, properties });
      variants.push({
        ...event,
        properties: { ...(event.properties as object), note: { deep: [{ a: null }] } },
      });
    }
    for (const variant of variants) {
      const plain = JSON.stringify(variant);
      const escaped = plain.replace('"event_id"', '"event\\u005fid"');
      const plainResult = parseAndValidateText(plain, NOW);
      const escapedResult = parseAndValidateText(escaped, NOW);
      expect(plainResult.result.ok && plainResult.plainText).toBe(true);
      expect(escapedResult.result.ok && !escapedResult.plainText).toBe(true);
      expect(toWarehouseRow(plain, NOW + 7)).toBe(toWarehouseRow(escaped, NOW + 7));
    }
  });

  // The hand-written writer escapes nothing: only the plain-text guard keeps a quote, a backslash or a
  // control character of a valid event from breaking the row's JSON or adding columns to it.
  it.each([
    ["a quote and a would-be column", 'a","results_count":999,"x":"'],
    ["a backslash", "C:\\shoes\\"],
    ["a tab", "shoes\tred"],
    ["a line separator", "shoes\u2028red"],
    ["non-ASCII text", "gr\u00fcn \ud83d\udc5f"],
  ])("writes a search query with %s as JSON.stringify does", (_label, query) => {
    const search = EXAMPLE_EVENTS.search;
    const text = toWarehouseRow(
      JSON.stringify({ ...search, properties: { ...search.properties, query } }),
      NOW,
    );
    const written = JSON.parse(text) as WarehouseRow;
    expect(text).toBe(JSON.stringify(written));
    expect(written.search_query).toBe(query);
    expect(written.results_count).toBe(search.properties.results_count);
  });
});

describe("plainRowText (the hand-written row writer)", () => {
  const base = (): WarehouseRow => {
    const written = row(EXAMPLE_EVENTS.purchase);
    return { ...written, items: written.items.map((item) => ({ ...item })) };
  };

  it("writes JSON.stringify's bytes for every column null or set", () => {
    const full = base();
    const empty: WarehouseRow = { ...full, items: [] };
    for (const key of Object.keys(empty) as (keyof WarehouseRow)[]) {
      if (key !== "items" && key !== "payload" && !/^(event_|schema|session|user_key|processed)/.test(key)) {
        (empty as unknown as Record<string, unknown>)[key] = null;
      }
    }
    for (const value of [full, empty, { ...full, units: 0, results_count: 7, anonymous_id: "a-1" }]) {
      expect(plainRowText(value)).toBe(JSON.stringify(value));
    }
  });

  // Values JSON.stringify writes differently (drops an undefined, writes NaN as null) must send the row
  // to the JSON.stringify fallback, never into hand-written text.
  it.each([
    ["an undefined optional column", { country: undefined }],
    ["a number in a string column", { currency: 5 }],
    ["a non-finite units", { units: Number.NaN }],
    ["an infinite results_count", { results_count: Number.POSITIVE_INFINITY }],
    ["a missing required column", { session_id: undefined }],
    ["a string in a number column", { units: "3" }],
  ])("refuses %s", (_label, change) => {
    expect(plainRowText({ ...base(), ...change } as unknown as WarehouseRow)).toBeNull();
  });

  it("refuses an item of another kind", () => {
    const bad = base();
    (bad.items[1] as unknown as Record<string, unknown>).quantity = Number.NaN;
    expect(plainRowText(bad)).toBeNull();
    (bad.items[1] as unknown as Record<string, unknown>).quantity = 3;
    (bad.items[0] as unknown as Record<string, unknown>).price = undefined;
    expect(plainRowText(bad)).toBeNull();
  });
});
