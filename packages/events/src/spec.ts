/**
 * The shop event contract, wire format v1, declared once.
 *
 * Everything else derives from this file: the validator (which also runs inside the Dataflow UDF),
 * the JSON Schema, the Pub/Sub Avro schema and the BigQuery table schema. Keep it data only, and keep
 * it ES5-safe: it is bundled into the Nashorn UDF.
 */

export const SCHEMA_VERSION = "1";

export const EVENT_TYPES = [
  "page_view",
  "product_view",
  "search",
  "add_to_cart",
  "remove_from_cart",
  "checkout_started",
  "purchase",
  "refund",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const DEVICES = ["desktop", "mobile", "tablet"] as const;

/** Limits that turn absurd input into a dead-letter reason instead of a poisoned aggregate. */
export const LIMITS = {
  /** Largest money amount accepted in any field (exclusive of sign); BigQuery NUMERIC holds far more. */
  maxMoney: "1000000000",
  /** NUMERIC scale: digits after the decimal point. */
  moneyScale: 9,
  maxQuantity: 100000,
  maxItems: 500,
  maxStringLength: 2048,
  maxIdLength: 128,
  maxPayloadBytes: 262144,
  /** Events older than this are refused (the aggregates accept lateness up to 24 h; beyond a week it is a bug). */
  maxEventAgeMs: 7 * 24 * 3600 * 1000,
  /** Clock skew tolerated for events stamped in the future. */
  maxFutureSkewMs: 5 * 60 * 1000,
  /** Aggregates stay exact for events arriving up to this late. */
  lateArrivalWindowMs: 24 * 3600 * 1000,
} as const;

export type FieldSpec =
  | { kind: "string"; format?: StringFormat; enum?: readonly string[]; maxLength?: number; doc: string }
  | { kind: "integer"; min: number; max: number; doc: string }
  | { kind: "money"; doc: string }
  | { kind: "object"; fields: FieldMap; doc: string }
  | { kind: "array"; items: FieldSpec; minItems: number; maxItems: number; doc: string };

export type StringFormat = "uuid" | "rfc3339" | "country" | "currency" | "schema_version";

/**
 * A declared field. An optional field may be absent or an explicit JSON `null`: both mean "not given"
 * (clients that serialise absent fields as null are common). A required field refuses `null`.
 */
export interface FieldDef {
  spec: FieldSpec;
  required: boolean;
}

export type FieldMap = Record<string, FieldDef>;

const str = (doc: string, maxLength?: number): FieldSpec => ({
  kind: "string",
  doc,
  maxLength: maxLength ?? LIMITS.maxStringLength,
});
const id = (doc: string): FieldSpec => ({ kind: "string", doc, maxLength: LIMITS.maxIdLength });
const money = (doc: string): FieldSpec => ({ kind: "money", doc });
const currency: FieldSpec = { kind: "string", format: "currency", doc: "ISO 4217 currency code, upper case" };
const quantity: FieldSpec = {
  kind: "integer",
  min: 1,
  max: LIMITS.maxQuantity,
  doc: "Units, an integer >= 1",
};
const req = (spec: FieldSpec): FieldDef => ({ spec, required: true });
const opt = (spec: FieldSpec): FieldDef => ({ spec, required: false });

export const CONTEXT_FIELDS: FieldMap = {
  page_url: opt(str("URL of the page the event happened on")),
  referrer: opt(str("Referring URL")),
  user_agent: opt(str("Browser user agent")),
  country: opt({ kind: "string", format: "country", doc: "ISO 3166-1 alpha-2 country code, upper case" }),
  device: opt({ kind: "string", enum: DEVICES, doc: "desktop, mobile or tablet" }),
};

export const LINE_ITEM_FIELDS: FieldMap = {
  product_id: req(id("Catalog product identifier")),
  category: req(str("Product category", 256)),
  price: req(money("Unit price, exact decimal (JSON number or decimal string)")),
  quantity: req(quantity),
};

const productFields: FieldMap = {
  product_id: req(id("Catalog product identifier")),
  category: req(str("Product category", 256)),
  price: req(money("Unit price, exact decimal (JSON number or decimal string)")),
  currency: req(currency),
  quantity: req(quantity),
};

const lineItems: FieldSpec = {
  kind: "array",
  items: { kind: "object", fields: LINE_ITEM_FIELDS, doc: "A line item" },
  minItems: 1,
  maxItems: LIMITS.maxItems,
  doc: "Line items",
};

/** Per-type `properties`. Every property listed here is required for its type; unknown ones are kept. */
export const PROPERTIES: Record<EventType, FieldMap> = {
  page_view: {},
  product_view: productFields,
  search: {
    query: req(str("Search text", 512)),
    results_count: req({ kind: "integer", min: 0, max: 1000000000, doc: "Number of results shown" }),
  },
  add_to_cart: productFields,
  remove_from_cart: productFields,
  checkout_started: {
    cart_id: req(id("Cart identifier")),
    items: req(lineItems),
    value: req(money("Cart value, exact decimal")),
    currency: req(currency),
  },
  purchase: {
    order_id: req(id("Order identifier")),
    items: req(lineItems),
    revenue: req(money("Order revenue, exact decimal")),
    currency: req(currency),
  },
  refund: {
    order_id: req(id("Order identifier of the refunded purchase")),
    amount: req(money("Refunded amount, exact decimal")),
    currency: req(currency),
  },
};

export const ENVELOPE_FIELDS: FieldMap = {
  event_id: req({ kind: "string", format: "uuid", doc: "UUID chosen by the producer; the idempotency key" }),
  event_type: req({ kind: "string", enum: EVENT_TYPES, doc: "One of the event types" }),
  event_time: req({ kind: "string", format: "rfc3339", doc: "When it happened: RFC 3339 with offset" }),
  schema_version: req({ kind: "string", format: "schema_version", doc: 'Wire format version, "1"' }),
  session_id: req(id("Browser session identifier")),
  user_id: opt(id("Signed-in user; null or absent for anonymous visitors")),
  anonymous_id: opt(id("Device identifier; required (not null) when user_id is null or absent")),
  context: opt({ kind: "object", fields: CONTEXT_FIELDS, doc: "Where the event happened" }),
  properties: req({ kind: "object", fields: {}, doc: "Per-type properties (see PROPERTIES)" }),
  published_at: opt({
    kind: "string",
    format: "rfc3339",
    doc: "When the publisher handed the event to Pub/Sub: RFC 3339 with offset, stamped by the publish library (not by the shop's business code). Optional: an event without it is stored as usual but not latency-measured",
  }),
};

/** Pub/Sub message attributes every producer sets. */
export const ATTRIBUTES = {
  eventType: "event_type",
  schemaVersion: "schema_version",
} as const;
