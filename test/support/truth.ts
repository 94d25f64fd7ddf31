/**
 * Independent recomputation of the aggregates from a list of valid events, in TypeScript with BigInt
 * money and Date.parse time: none of the pipeline's parsing, money or SQL code is used, so an
 * agreement between the two is evidence, not an echo.
 */
import { isDeepStrictEqual } from "node:util";
import type { ShopEvent } from "@shopstream/events";

const SCALE = 10n ** 9n;

export function toScaled(amount: string | number): bigint {
  const text = String(amount);
  const [whole = "0", fraction = ""] = text.split(".");
  return BigInt(whole) * SCALE + BigInt(fraction.padEnd(9, "0").slice(0, 9));
}

export function fromScaled(value: bigint): string {
  const whole = value / SCALE;
  const fraction = (value % SCALE).toString().padStart(9, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

const minuteOf = (event: ShopEvent) =>
  new Date(Math.floor(Date.parse(event.event_time) / 60000) * 60000).toISOString();
const dayOf = (event: ShopEvent) =>
  new Date(Math.floor(Date.parse(event.event_time) / 86400000) * 86400000).toISOString();

function group<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

export type Row = Record<string, string | number>;

const sortRows = (rows: Row[]) => rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/**
 * Whether two sets of aggregate tables hold the same rows, whatever order the tables are listed in:
 * readAggregates() lists them in loadAggregates() order, expectedAggregates() in its own, so one
 * JSON.stringify of each whole set never matched (every wait ran to its timeout).
 */
export function sameAggregates(actual: Record<string, Row[]>, expected: Record<string, Row[]>): boolean {
  return isDeepStrictEqual(actual, expected);
}

export function expectedAggregates(events: ShopEvent[]): Record<string, Row[]> {
  const byTypeMinute = [...group(events, (e) => `${minuteOf(e)}|${e.event_type}`)].map(([key, list]) => {
    const [minute = "", event_type = ""] = key.split("|");
    return { minute, event_type, events: list.length };
  });
  const purchases = events.filter((e) => e.event_type === "purchase") as Extract<
    ShopEvent,
    { event_type: "purchase" }
  >[];
  const orders = [...group(purchases, (e) => `${minuteOf(e)}|${e.properties.currency}`)].map(
    ([key, list]) => {
      const [minute = "", currency = ""] = key.split("|");
      return {
        minute,
        currency,
        orders: list.length,
        units: list.reduce((n, e) => n + e.properties.items.reduce((m, i) => m + i.quantity, 0), 0),
        revenue: fromScaled(list.reduce((sum, e) => sum + toScaled(e.properties.revenue), 0n)),
      };
    },
  );
  const users = [...group(events, minuteOf)].map(([minute, list]) => ({
    minute,
    users: new Set(list.map((e) => e.user_id ?? e.anonymous_id)).size,
  }));
  const funnel = [...group(events, dayOf)].map(([day, list]) => {
    const sessions = (type?: string) =>
      new Set(list.filter((e) => !type || e.event_type === type).map((e) => e.session_id)).size;
    return {
      day,
      sessions: sessions(),
      product_view_sessions: sessions("product_view"),
      add_to_cart_sessions: sessions("add_to_cart"),
      checkout_sessions: sessions("checkout_started"),
      purchase_sessions: sessions("purchase"),
    };
  });
  const lines = purchases.flatMap((e) => e.properties.items.map((item) => ({ e, item })));
  const products = [
    ...group(
      lines,
      ({ e, item }) => `${minuteOf(e)}|${item.product_id}|${item.category}|${e.properties.currency}`,
    ),
  ].map(([key, list]) => {
    const [minute = "", product_id = "", category = "", currency = ""] = key.split("|");
    return {
      minute,
      product_id,
      category,
      currency,
      orders: new Set(list.map(({ e }) => e.event_id)).size,
      units: list.reduce((n, { item }) => n + item.quantity, 0),
      revenue: fromScaled(
        list.reduce((sum, { item }) => sum + toScaled(item.price) * BigInt(item.quantity), 0n),
      ),
    };
  });
  return {
    events_by_type_minute: sortRows(byTypeMinute),
    orders_by_currency_minute: sortRows(orders),
    active_users_minute: sortRows(users),
    funnel_daily: sortRows(funnel),
    product_revenue_minute: sortRows(products),
  };
}

/** BigQuery client values -> plain strings/numbers comparable with expectedAggregates(). */
export function normaliseRows(rows: Record<string, unknown>[]): Row[] {
  return sortRows(
    rows.map((row) => {
      const out: Row = {};
      for (const [key, value] of Object.entries(row)) {
        if (value && typeof value === "object" && "value" in value)
          out[key] = new Date(String((value as { value: unknown }).value)).toISOString();
        else if (typeof value === "number") out[key] = value;
        else if (value !== null && value !== undefined && typeof value === "object") out[key] = String(value);
        else out[key] = value as string;
      }
      return out;
    }),
  );
}
