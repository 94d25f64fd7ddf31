/**
 * TypeScript shapes of contract v1 (see spec.ts for the declaration the validator enforces).
 * Money fields are `Money`: a JSON number or decimal string on the wire, a canonical decimal string
 * after validation. Optional fields may be absent or `null` (both mean "not given").
 */
import type { EventType } from "./spec";

export type Money = string | number;

export interface EventContext {
  page_url?: string | null;
  referrer?: string | null;
  user_agent?: string | null;
  /** ISO 3166-1 alpha-2 */
  country?: string | null;
  device?: "desktop" | "mobile" | "tablet" | null;
  [unknown: string]: unknown;
}

export interface ProductProperties {
  product_id: string;
  category: string;
  price: Money;
  /** ISO 4217 */
  currency: string;
  quantity: number;
  [unknown: string]: unknown;
}

export interface LineItem {
  product_id: string;
  category: string;
  price: Money;
  quantity: number;
  [unknown: string]: unknown;
}

export interface PropertiesByType {
  page_view: { [unknown: string]: unknown };
  product_view: ProductProperties;
  search: { query: string; results_count: number; [unknown: string]: unknown };
  add_to_cart: ProductProperties;
  remove_from_cart: ProductProperties;
  checkout_started: {
    cart_id: string;
    items: LineItem[];
    value: Money;
    currency: string;
    [unknown: string]: unknown;
  };
  purchase: {
    order_id: string;
    items: LineItem[];
    revenue: Money;
    currency: string;
    [unknown: string]: unknown;
  };
  refund: { order_id: string; amount: Money; currency: string; [unknown: string]: unknown };
}

export interface EventEnvelope<T extends EventType> {
  event_id: string;
  event_type: T;
  /** RFC 3339 with offset */
  event_time: string;
  schema_version: "1";
  session_id: string;
  user_id?: string | null;
  anonymous_id?: string | null;
  context?: EventContext | null;
  properties: PropertiesByType[T];
  /** RFC 3339 with offset: when the publish library handed the event to Pub/Sub (latency SLI). */
  published_at?: string | null;
  [unknown: string]: unknown;
}

/** Any shop event, discriminated by `event_type`. */
export type ShopEvent = { [T in EventType]: EventEnvelope<T> }[EventType];

export type EventOf<T extends EventType> = EventEnvelope<T>;
