import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import {
  buildAvroSchema,
  buildJsonSchema,
  EVENT_TYPES,
  EXAMPLE_EVENTS,
  EXAMPLE_LIST,
  exampleWithOptionalNulls,
  parseAndValidate,
  validateEvent,
} from "../src";

const NOW = Date.parse("2026-11-26T10:20:00Z");
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe("validateEvent", () => {
  it.each(EVENT_TYPES.map((t) => [t]))("accepts the %s example", (type) => {
    const result = validateEvent(clone(EXAMPLE_EVENTS[type]), NOW);
    if (!result.ok) throw new Error(result.reason);
    expect(result.event.event_type).toBe(type);
  });

  it("normalises money, lower-cases the event id and keeps unknown fields", () => {
    const input = clone(EXAMPLE_EVENTS.purchase) as Record<string, unknown>;
    input.event_id = (input.event_id as string).toUpperCase();
    input.experiment = { arm: "B" };
    const result = validateEvent(input, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.event_id).toBe("0b7e3d4a-5c1f-4e2a-9f10-000000000007");
    expect(result.event.properties).toMatchObject({ revenue: "104.87", coupon: "WINTER10" });
    expect((result.event.properties as { items: { price: string }[] }).items[0]?.price).toBe("89.9");
    expect(result.event.experiment).toEqual({ arm: "B" });
    expect(result.eventTimeUtc).toBe("2026-11-26T09:15:07.250000Z");
  });

  it("does not mutate its input", () => {
    const input = clone(EXAMPLE_EVENTS.add_to_cart);
    validateEvent(input, NOW);
    expect(input).toEqual(EXAMPLE_EVENTS.add_to_cart);
  });

  const mutate = (type: keyof typeof EXAMPLE_EVENTS, change: (e: Record<string, any>) => void) => {
    const event = clone(EXAMPLE_EVENTS[type]) as Record<string, any>;
    change(event);
    return event;
  };

  it.each<[string, unknown, RegExp]>([
    ["an array", [], /must be a JSON object, got an array/],
    ["a string", "hello", /must be a JSON object/],
    ["no event_id", mutate("page_view", (e) => delete e.event_id), /event_id: is required/],
    ["a bad uuid", mutate("page_view", (e) => (e.event_id = "not-a-uuid")), /event_id: must be a UUID/],
    ...[
      "0f8fad5b-d9cb-469f-a165-70867728950",
      "0f8fad5b-d9cb-469f-a165-70867728950e1",
      "0f8fad5bd-9cb-469f-a165-70867728950e",
      "0f8fad5b-d9cb-469f-a165_70867728950e",
      "0f8fad5b-d9cb-469f-a165-70867728950g",
      "0f8fad5b-d9cb-469f-a165-70867728950\u0663",
      "{0f8fad5b-d9cb-469f-a165-70867728950e}",
    ].map((id): [string, unknown, RegExp] => [
      `the uuid ${id}`,
      mutate("page_view", (e) => (e.event_id = id)),
      /event_id: must be a UUID/,
    ]),
    [
      "an unknown type",
      mutate("page_view", (e) => (e.event_type = "wishlist_add")),
      /event_type: "wishlist_add" is not one of/,
    ],
    ["schema v2", mutate("page_view", (e) => (e.schema_version = "2")), /unsupported schema version "2"/],
    [
      "a numeric schema version",
      mutate("page_view", (e) => (e.schema_version = 1)),
      /schema_version: must be a string/,
    ],
    [
      "no offset",
      mutate("page_view", (e) => (e.event_time = "2026-11-26T10:15:00")),
      /event_time: must be an RFC 3339/,
    ],
    [
      "the far past",
      mutate("page_view", (e) => (e.event_time = "2020-01-01T00:00:00Z")),
      /older than the 7-day/,
    ],
    ["the future", mutate("page_view", (e) => (e.event_time = "2026-11-26T11:00:00Z")), /in the future/],
    [
      "anonymous without id",
      mutate("page_view", (e) => delete e.anonymous_id),
      /anonymous_id: is required when user_id/,
    ],
    [
      "a bad country",
      mutate("search", (e) => (e.context.country = "XX")),
      /context.country: "XX" is not an ISO 3166-1/,
    ],
    ["a bad device", mutate("search", (e) => (e.context.device = "watch")), /context.device/],
    [
      "a bad currency",
      mutate("add_to_cart", (e) => (e.properties.currency = "usd")),
      /properties.currency: "usd" is not an ISO 4217/,
    ],
    [
      "a float quantity",
      mutate("add_to_cart", (e) => (e.properties.quantity = 1.5)),
      /properties.quantity: must be an integer/,
    ],
    [
      "zero quantity",
      mutate("add_to_cart", (e) => (e.properties.quantity = 0)),
      /properties.quantity: must be between 1/,
    ],
    [
      "a negative price",
      mutate("add_to_cart", (e) => (e.properties.price = "-1")),
      /properties.price: must not be negative/,
    ],
    [
      "an absurd revenue",
      mutate("purchase", (e) => (e.properties.revenue = "1e15")),
      /properties.revenue: exceeds the maximum/,
    ],
    ["no items", mutate("purchase", (e) => (e.properties.items = [])), /properties.items: needs at least 1/],
    [
      "an item without price",
      mutate("purchase", (e) => delete e.properties.items[1].price),
      /properties.items\[1\].price: is required/,
    ],
    [
      "a zero refund",
      mutate("refund", (e) => (e.properties.amount = 0)),
      /a refund must be greater than zero/,
    ],
    ["a missing query", mutate("search", (e) => delete e.properties.query), /properties.query: is required/],
    ["properties as array", mutate("search", (e) => (e.properties = [])), /properties: must be an object/],
    [
      "a control character",
      mutate("search", (e) => (e.properties.query = "shoes\u0000")),
      /properties.query: contains control/,
    ],
    // The regex is only tried on strings with a code unit outside printable ASCII: the edges of that look.
    [
      "a DEL character",
      mutate("search", (e) => (e.properties.query = "shoes\u007f")),
      /properties.query: contains control/,
    ],
    [
      "a C1 control beside accepted non-ASCII text",
      mutate("search", (e) => (e.properties.query = "Schuhe gr\u00fcn\u009f")),
      /properties.query: contains control/,
    ],
    [
      "a unit separator in a field name",
      mutate("page_view", (e) => (e.context = { ...e.context, ["a\u001fb"]: 1 })),
      /context: a field name contains control/,
    ],
    [
      "a replacement char",
      mutate("search", (e) => (e.session_id = "s\uFFFD")),
      /session_id: contains control/,
    ],
    [
      "a lone surrogate",
      mutate("search", (e) => (e.session_id = "s\uD800x")),
      /session_id: contains control/,
    ],
    [
      "deep nesting",
      mutate("page_view", (e) => {
        let deep: Record<string, unknown> = {};
        e.extra = deep;
        for (let i = 0; i < 40; i++) deep = deep.x = {};
      }),
      /nesting deeper than 16/,
    ],
    [
      "a $-prefixed unknown field",
      mutate("page_view", (e) => (e.extra = { $date: "2020-01-01" })),
      /extra\.\$date: field names must not start with "\$"/,
    ],
    [
      "a control character in a top-level field name",
      mutate("page_view", (e) => (e["na\u0002me"] = 1)),
      /^event: a field name contains control/,
    ],
    ["a null session", mutate("page_view", (e) => (e.session_id = null)), /session_id: must not be null/],
    [
      "a null user_id and a null anonymous_id",
      mutate("page_view", (e) => (e.anonymous_id = null)),
      /anonymous_id: is required when user_id is null or absent/,
    ],
    [
      "a null required property",
      mutate("refund", (e) => (e.properties.currency = null)),
      /properties.currency: must not be null/,
    ],
    [
      "a null line-item field",
      mutate("purchase", (e) => (e.properties.items[1].quantity = null)),
      /properties.items\[1\].quantity: must not be null/,
    ],
    ["null properties", mutate("page_view", (e) => (e.properties = null)), /^properties: must not be null$/],
  ])("refuses %s with a reason", (_name, input, reason) => {
    const result = validateEvent(input, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  describe.each(["signed-in", "anonymous"] as const)("every optional field null (%s)", (variant) => {
    it.each(EVENT_TYPES.map((t) => [t]))("accepts %s and keeps the nulls as sent", (type) => {
      const input = exampleWithOptionalNulls(type, variant);
      const result = validateEvent(clone(input), NOW);
      if (!result.ok) throw new Error(result.reason);
      expect(result.event.context === null || typeof result.event.context === "object").toBe(true);
      // Nothing dropped, nothing added: null means absent to the contract, the stores keep what was sent.
      expect(Object.keys(result.event).sort()).toEqual(Object.keys(input).sort());
      if (variant === "signed-in") expect(result.event).toMatchObject({ anonymous_id: null, context: null });
      else expect(result.event).toMatchObject({ user_id: null, context: { referrer: null, country: null } });
    });
  });

  it("reports several problems, capped, with a count of the rest", () => {
    const result = validateEvent({ properties: {} }, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.length).toBeGreaterThan(5);
      expect(result.reason).toMatch(/\(\+\d+ more\)$/);
    }
  });
});

describe("published_at (optional: the start of the latency SLI)", () => {
  const NOW = Date.parse("2026-11-26T10:20:00Z");
  const { published_at: _stamp, ...unstamped } = EXAMPLE_EVENTS.purchase;

  it("accepts an event without it, and null as absent", () => {
    expect(validateEvent(unstamped, NOW).ok).toBe(true);
    expect(validateEvent({ ...unstamped, published_at: null }, NOW).ok).toBe(true);
  });

  it("accepts any RFC 3339 offset and keeps it as sent (stores normalise, the validator does not)", () => {
    const result = validateEvent({ ...unstamped, published_at: "2026-11-26T09:15:07.9Z" }, NOW);
    expect(result.ok && result.event.published_at).toBe("2026-11-26T09:15:07.9Z");
  });

  it.each<[string, unknown, string]>([
    ["epoch seconds as text", "1795688400", "published_at: must be an RFC 3339 timestamp with offset"],
    ["no offset", "2026-11-26T09:15:07", "published_at: must be an RFC 3339 timestamp with offset"],
    ["a number", 1795688400000, "published_at: must be a string, got a number"],
    ["an empty string", "", "published_at: must not be empty"],
  ])("refuses %s, naming the field", (_label, value, reason) => {
    const result = validateEvent({ ...unstamped, published_at: value }, NOW);
    expect(result.ok ? "accepted" : result.reason).toContain(reason);
  });
});

describe("parseAndValidate", () => {
  it("turns broken JSON and oversized payloads into reasons", () => {
    expect(parseAndValidate("{not json", NOW)).toMatchObject({
      ok: false,
      reason: "payload: not valid JSON",
    });
    expect(parseAndValidate(`"${"x".repeat(300000)}"`, NOW)).toMatchObject({
      ok: false,
      reason: /larger than/,
    });
    expect(parseAndValidate(JSON.stringify(EXAMPLE_EVENTS.refund), NOW).ok).toBe(true);
  });
});

describe("generated JSON Schema", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const schemaValidate = ajv.compile(buildJsonSchema());

  it("accepts every example the validator accepts", () => {
    for (const event of EXAMPLE_LIST) expect(schemaValidate(event)).toBe(true);
  });

  it("accepts every optional field as null, as the validator does", () => {
    for (const type of EVENT_TYPES) {
      for (const variant of ["signed-in", "anonymous"] as const) {
        const event = exampleWithOptionalNulls(type, variant);
        expect([type, variant, schemaValidate(event), schemaValidate.errors]).toEqual([
          type,
          variant,
          true,
          null,
        ]);
      }
    }
  });

  it("refuses null for required fields and a null anonymous_id without a user_id", () => {
    const bad = [
      { ...clone(EXAMPLE_EVENTS.page_view), anonymous_id: null },
      { ...clone(EXAMPLE_EVENTS.page_view), session_id: null },
      {
        ...clone(EXAMPLE_EVENTS.refund),
        properties: { ...EXAMPLE_EVENTS.refund.properties, currency: null },
      },
    ];
    for (const event of bad) {
      expect(validateEvent(clone(event), NOW).ok).toBe(false);
      expect(schemaValidate(clone(event))).toBe(false);
    }
  });

  it("refuses the structural mistakes the validator refuses", () => {
    const bad = [
      { ...clone(EXAMPLE_EVENTS.page_view), event_type: "nope" },
      {
        ...clone(EXAMPLE_EVENTS.add_to_cart),
        properties: { ...EXAMPLE_EVENTS.add_to_cart.properties, quantity: 0 },
      },
      { ...clone(EXAMPLE_EVENTS.purchase), properties: { ...EXAMPLE_EVENTS.purchase.properties, items: [] } },
      { ...clone(EXAMPLE_EVENTS.page_view), anonymous_id: undefined },
      { ...clone(EXAMPLE_EVENTS.refund), properties: { order_id: "o", currency: "EUR" } },
    ];
    for (const event of bad) {
      expect(validateEvent(JSON.parse(JSON.stringify(event)), NOW).ok).toBe(false);
      expect(schemaValidate(JSON.parse(JSON.stringify(event)))).toBe(false);
    }
  });
});

describe("generated Avro schema", () => {
  type AvroField = { name: string; type: unknown; default?: unknown };
  const fieldsOf = (record: { fields: AvroField[] }) => new Map(record.fields.map((f) => [f.name, f]));

  it("makes every optional field a union with null, defaulting to null", () => {
    const schema = buildAvroSchema() as unknown as { fields: AvroField[] };
    const envelope = fieldsOf(schema);
    for (const name of ["user_id", "anonymous_id", "context"]) {
      const field = envelope.get(name);
      expect(Array.isArray(field?.type) && (field.type as unknown[])[0] === "null").toBe(true);
      expect(field?.default).toBeNull();
    }
    const contextUnion = envelope.get("context")?.type as unknown[];
    const context = contextUnion[1] as { fields: AvroField[] };
    for (const field of context.fields) {
      expect([field.name, (field.type as unknown[])[0], field.default]).toEqual([field.name, "null", null]);
    }
    expect(envelope.get("session_id")?.type).toBe("string");
  });
});
