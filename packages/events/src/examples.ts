/** One valid example of every event type: used by the docs generator and the tests. */
import { ENVELOPE_FIELDS, type EventType, type FieldDef, type FieldMap, PROPERTIES } from "./spec";
import type { EventOf, ShopEvent } from "./types";

const context = {
  page_url: "https://shop.example/p/sku-1001",
  referrer: null,
  user_agent: "Mozilla/5.0 (X11; Linux x86_64)",
  country: "DE",
  device: "desktop" as const,
};

const envelope = <T extends EventType>(type: T, n: number) => ({
  event_id: `0b7e3d4a-5c1f-4e2a-9f10-00000000000${n}`,
  event_type: type,
  event_time: "2026-11-26T10:15:0" + n + ".250+01:00",
  published_at: "2026-11-26T10:15:0" + n + ".400+01:00",
  schema_version: "1" as const,
  session_id: "sess-7f3a",
  user_id: "user-42",
  context,
});

export const EXAMPLE_EVENTS: { [T in EventType]: EventOf<T> } = {
  page_view: { ...envelope("page_view", 1), user_id: null, anonymous_id: "anon-9c2e", properties: {} },
  product_view: {
    ...envelope("product_view", 2),
    properties: { product_id: "sku-1001", category: "shoes", price: 89.9, currency: "EUR", quantity: 1 },
  },
  search: { ...envelope("search", 3), properties: { query: "trail running shoes", results_count: 24 } },
  add_to_cart: {
    ...envelope("add_to_cart", 4),
    properties: { product_id: "sku-1001", category: "shoes", price: "89.90", currency: "EUR", quantity: 2 },
  },
  remove_from_cart: {
    ...envelope("remove_from_cart", 5),
    properties: { product_id: "sku-1001", category: "shoes", price: "89.90", currency: "EUR", quantity: 1 },
  },
  checkout_started: {
    ...envelope("checkout_started", 6),
    properties: {
      cart_id: "cart-5521",
      items: [{ product_id: "sku-1001", category: "shoes", price: "89.90", quantity: 1 }],
      value: "89.90",
      currency: "EUR",
    },
  },
  purchase: {
    ...envelope("purchase", 7),
    properties: {
      order_id: "order-88412",
      items: [
        { product_id: "sku-1001", category: "shoes", price: "89.90", quantity: 1 },
        { product_id: "sku-2002", category: "socks", price: "4.99", quantity: 3 },
      ],
      revenue: "104.87",
      currency: "EUR",
      coupon: "WINTER10",
    },
  },
  refund: {
    ...envelope("refund", 8),
    properties: { order_id: "order-88412", amount: "4.99", currency: "EUR" },
  },
};

export const EXAMPLE_LIST: ShopEvent[] = Object.values(EXAMPLE_EVENTS) as ShopEvent[];

type Loose = Record<string, unknown>;

/** Sets every optional field declared in `fields` to null, recursing into the objects and arrays left. */
function nullOptionals(fields: FieldMap, target: Loose, keep: readonly string[]) {
  for (const name of Object.keys(fields)) {
    const def = fields[name] as FieldDef;
    if (!def.required && keep.indexOf(name) < 0) {
      target[name] = null;
      continue;
    }
    const value = target[name];
    if (def.spec.kind === "object" && value && typeof value === "object") {
      nullOptionals(def.spec.fields, value as Loose, []);
    } else if (def.spec.kind === "array" && def.spec.items.kind === "object" && Array.isArray(value)) {
      for (const item of value) nullOptionals(def.spec.items.fields, item as Loose, []);
    }
  }
}

/**
 * The example of `type` as a client that serialises absent optional fields as JSON null would send it,
 * built from the spec so a new optional field is covered without editing this:
 * - "signed-in": user_id set, every other optional field null (anonymous_id, context);
 * - "anonymous": user_id null, anonymous_id set, context present with every field in it null.
 */
export function exampleWithOptionalNulls(type: EventType, variant: "signed-in" | "anonymous"): Loose {
  const event = JSON.parse(JSON.stringify(EXAMPLE_EVENTS[type])) as Loose;
  if (variant === "signed-in") {
    event.user_id = "user-42";
    nullOptionals(ENVELOPE_FIELDS, event, ["user_id"]);
  } else {
    event.anonymous_id = "anon-9c2e";
    event.context = { ...context };
    nullOptionals(ENVELOPE_FIELDS, event, ["anonymous_id", "context"]);
  }
  nullOptionals(PROPERTIES[type], event.properties as Loose, []);
  return event;
}
