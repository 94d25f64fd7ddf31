/**
 * types.ts is written by hand beside the declaration in spec.ts. This test ties them: for every object of
 * the contract (envelope, context, each type's properties, line items) the TypeScript interface must name
 * the same fields as the declaration, required exactly where the declaration requires them.
 *
 * Two halves, both needed: the typed records below only compile when their keys are exactly the
 * interface's (npm run typecheck), and the test compares those keys with the declaration at run time.
 */
import {
  CONTEXT_FIELDS,
  DEAD_LETTER_COLUMNS,
  type DeadLetterRecord,
  ENVELOPE_FIELDS,
  EVENT_TYPES,
  type EventContext,
  type EventEnvelope,
  type EventType,
  type FieldMap,
  LINE_ITEM_FIELDS,
  type LineItem,
  PROPERTIES,
  type PropertiesByType,
} from "../src";

/** Named keys of T (its `[unknown: string]` index signature left out). */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : K]: T[K] };
/** Named keys of T that may be absent. */
type OptionalKeys<T> = { [K in KnownKeys<T>]-?: object extends Pick<T, K> ? K : never }[KnownKeys<T>];
/** Every named key, true when required and false when optional. */
type Requiredness<T> = { [K in KnownKeys<T>]-?: K extends OptionalKeys<T> ? false : true };

function declared(fields: FieldMap): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [name, def] of Object.entries(fields)) out[name] = def.required;
  return out;
}

const sorted = (record: Record<string, boolean>) =>
  Object.entries(record).sort(([a], [b]) => a.localeCompare(b));

// Envelope: `properties` is declared as an object with no fields (its fields are per type, below).
const envelope: Requiredness<EventEnvelope<EventType>> = {
  event_id: true,
  event_type: true,
  event_time: true,
  schema_version: true,
  session_id: true,
  user_id: false,
  anonymous_id: false,
  context: false,
  properties: true,
  published_at: false,
};
const context: Requiredness<EventContext> = {
  page_url: false,
  referrer: false,
  user_agent: false,
  country: false,
  device: false,
};
const lineItem: Requiredness<LineItem> = { product_id: true, category: true, price: true, quantity: true };
const product: Requiredness<PropertiesByType["product_view"]> = {
  product_id: true,
  category: true,
  price: true,
  currency: true,
  quantity: true,
};
const properties: { [T in EventType]: Requiredness<PropertiesByType[T]> } = {
  page_view: {},
  product_view: product,
  search: { query: true, results_count: true },
  add_to_cart: product,
  remove_from_cart: product,
  checkout_started: { cart_id: true, items: true, value: true, currency: true },
  purchase: { order_id: true, items: true, revenue: true, currency: true },
  refund: { order_id: true, amount: true, currency: true },
};

describe("types.ts matches the declaration in spec.ts", () => {
  it("envelope", () => expect(sorted(envelope)).toEqual(sorted(declared(ENVELOPE_FIELDS))));
  it("context", () => expect(sorted(context)).toEqual(sorted(declared(CONTEXT_FIELDS))));
  it("line items", () => expect(sorted(lineItem)).toEqual(sorted(declared(LINE_ITEM_FIELDS))));
  it.each(EVENT_TYPES.map((t) => [t]))("properties of %s", (type) => {
    expect(sorted(properties[type])).toEqual(sorted(declared(PROPERTIES[type])));
  });
});

describe("DeadLetterRecord matches DEAD_LETTER_COLUMNS", () => {
  // Compiles only with exactly the record's fields; true where the field admits null.
  const nullable: { [K in keyof DeadLetterRecord]-?: null extends DeadLetterRecord[K] ? true : false } = {
    message_id: false,
    subscription: false,
    reason: false,
    payload: false,
    payload_encoding: false,
    attributes: false,
    publish_time: true,
    dead_lettered_at: false,
  };
  it("same fields, nullable exactly where the column is", () => {
    const columns = DEAD_LETTER_COLUMNS.map((c) => [c.name, c.mode === "NULLABLE"]);
    expect(Object.entries(nullable)).toEqual(columns);
  });
});
