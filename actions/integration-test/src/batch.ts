/**
 * The tagged synthetic batch: valid events of every type, duplicates (the same event published twice),
 * late events, and poison messages, with the exact results they must produce. Pure: no I/O.
 *
 * Tagging (so the assertions stay exact next to live traffic):
 *  - every event carries the unknown field `integration_test_run: <runId>` (kept by the contract);
 *  - orders are in XTS, ISO 4217's testing currency, products and sessions are `itest-<runId>-...`;
 *  - poison messages embed the runId in their payload where they can, and always in the attribute
 *    `integration_test_run` (the dead-letter record keeps attributes).
 */
import { randomUUID } from "node:crypto";

export const RUN_FIELD = "integration_test_run";
export const TEST_CURRENCY = "XTS";

// biome-ignore lint/suspicious/noExplicitAny: synthetic events are built as plain JSON
export type SyntheticEvent = Record<string, any> & {
  event_id: string;
  event_type: string;
  event_time: string;
};

export interface PoisonMessage {
  label: string;
  data: Buffer;
  /** The dead-letter reason must match. */
  reason: RegExp;
}

export interface ExpectedOrders {
  orders: number;
  units: number;
  /** Exact decimal string. */
  revenue: string;
}

export interface SyntheticBatch {
  runId: string;
  /** Distinct valid events. */
  events: SyntheticEvent[];
  /** Event ids published a second time (distinct Pub/Sub messages, same event). */
  duplicates: string[];
  /** Event ids stamped in the past (late arrivals). */
  late: string[];
  poison: PoisonMessage[];
  expected: {
    eventsByType: Record<string, number>;
    /** orders_by_currency_minute where currency = XTS, summed over minutes. */
    orders: ExpectedOrders;
    /** product_revenue_minute for the run's products, summed over minutes, by product. */
    products: Record<string, ExpectedOrders>;
    /** Earliest and latest event time (ms), for cleanup's aggregate recompute. */
    fromMs: number;
    toMs: number;
  };
}

/** A run id safe in every name and query: lower-case letters, digits and hyphens. */
export function newRunId(nowMs: number, entropy = randomUUID().slice(0, 8)): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, "").replace("T", "t").slice(0, 15);
  return `${stamp}-${entropy}`.toLowerCase();
}

const SCALE = 10n ** 9n;
const scaled = (amount: string): bigint => {
  const [whole = "0", fraction = ""] = amount.split(".");
  return BigInt(whole) * SCALE + BigInt(fraction.padEnd(9, "0").slice(0, 9));
};
const decimal = (value: bigint): string => {
  const fraction = (value % SCALE).toString().padStart(9, "0").replace(/0+$/, "");
  return fraction ? `${value / SCALE}.${fraction}` : `${value / SCALE}`;
};

export interface BatchOptions {
  runId: string;
  nowMs: number;
  /** Shopping sessions (each yields 8 events, one of every type). */
  sessions?: number;
}

export function buildBatch({ runId, nowMs, sessions = 6 }: BatchOptions): SyntheticBatch {
  const products = [1, 2, 3].map((n) => ({
    product_id: `itest-${runId}-p${n}`,
    category: "itest",
    price: ["12.34", "0.99", "1000.005"][n - 1] as string,
  }));
  const events: SyntheticEvent[] = [];
  const late: string[] = [];
  let seq = 0;
  for (let s = 0; s < sessions; s++) {
    const session = `itest-${runId}-s${s}`;
    // Two sessions out of six are late: their events happened 2 h (and 30 min) ago.
    const shift = s === 1 ? 2 * 3600000 : s === 4 ? 1800000 : 0;
    const envelope = (event_type: string) => {
      seq++;
      const event: SyntheticEvent = {
        [RUN_FIELD]: runId,
        event_id: randomUUID(),
        event_type,
        // Spread over a few seconds, all in the past (never ahead of the workers' clock).
        event_time: new Date(nowMs - shift - 60000 + seq * 100).toISOString(),
        schema_version: "1",
        session_id: session,
        user_id: s % 2 === 0 ? `itest-${runId}-u${s}` : null,
        ...(s % 2 === 0 ? {} : { anonymous_id: `itest-${runId}-a${s}` }),
        context: { page_url: `https://itest.invalid/${runId}`, country: "DE", device: "desktop" },
        properties: {},
      };
      if (shift) late.push(event.event_id);
      return event;
    };
    const product = products[s % products.length] as (typeof products)[number];
    const other = products[(s + 1) % products.length] as (typeof products)[number];
    const quantity = (s % 3) + 1;
    const items = [
      { ...product, quantity },
      { ...other, quantity: 1 },
    ];
    const revenue = decimal(items.reduce((sum, i) => sum + scaled(i.price) * BigInt(i.quantity), 0n));
    const line = (p: typeof product, q: number) => ({ ...p, currency: TEST_CURRENCY, quantity: q });
    events.push(
      { ...envelope("page_view") },
      { ...envelope("search"), properties: { query: `itest ${runId}`, results_count: 3 } },
      { ...envelope("product_view"), properties: line(product, 1) },
      { ...envelope("add_to_cart"), properties: line(product, quantity) },
      { ...envelope("remove_from_cart"), properties: line(other, 1) },
      {
        ...envelope("checkout_started"),
        properties: { cart_id: `itest-${runId}-c${s}`, items, value: revenue, currency: TEST_CURRENCY },
      },
      {
        ...envelope("purchase"),
        properties: { order_id: `itest-${runId}-o${s}`, items, revenue, currency: TEST_CURRENCY },
      },
      {
        ...envelope("refund"),
        properties: { order_id: `itest-${runId}-o${s}`, amount: "0.01", currency: TEST_CURRENCY },
      },
    );
  }
  // Every third event is also published a second time.
  const duplicates = events.filter((_, i) => i % 3 === 0).map((e) => e.event_id);

  const eventsByType: Record<string, number> = {};
  for (const e of events) eventsByType[e.event_type] = (eventsByType[e.event_type] ?? 0) + 1;
  const purchases = events.filter((e) => e.event_type === "purchase");
  const orders: ExpectedOrders = { orders: 0, units: 0, revenue: "0" };
  const byProduct: Record<string, { orders: number; units: number; revenue: bigint }> = {};
  let total = 0n;
  for (const p of purchases) {
    const lineItems = p.properties.items as { product_id: string; price: string; quantity: number }[];
    orders.orders++;
    for (const item of lineItems) {
      orders.units += item.quantity;
      const entry = byProduct[item.product_id] ?? { orders: 0, units: 0, revenue: 0n };
      entry.orders++;
      entry.units += item.quantity;
      entry.revenue += scaled(item.price) * BigInt(item.quantity);
      byProduct[item.product_id] = entry;
    }
    total += scaled(p.properties.revenue as string);
  }
  orders.revenue = decimal(total);
  const products_: Record<string, ExpectedOrders> = {};
  for (const [id, v] of Object.entries(byProduct))
    products_[id] = { orders: v.orders, units: v.units, revenue: decimal(v.revenue) };
  const times = events.map((e) => Date.parse(e.event_time));

  return {
    runId,
    events,
    duplicates,
    late,
    poison: poisonMessages(runId, nowMs),
    expected: {
      eventsByType,
      orders,
      products: products_,
      fromMs: Math.min(...times),
      toMs: Math.max(...times),
    },
  };
}

/** Poison messages, each with the runId in its payload where the payload can carry it. */
export function poisonMessages(runId: string, nowMs: number): PoisonMessage[] {
  const base = (): SyntheticEvent => ({
    [RUN_FIELD]: runId,
    event_id: randomUUID(),
    event_type: "purchase",
    event_time: new Date(nowMs - 1000).toISOString(),
    schema_version: "1",
    session_id: `itest-${runId}-poison`,
    user_id: `itest-${runId}-u`,
    properties: {
      order_id: `itest-${runId}-o-poison`,
      items: [{ product_id: `itest-${runId}-p1`, category: "itest", price: "1", quantity: 1 }],
      revenue: "1",
      currency: TEST_CURRENCY,
    },
  });
  const json = (change: (e: SyntheticEvent) => void) => {
    const e = base();
    change(e);
    return Buffer.from(JSON.stringify(e));
  };
  const text = JSON.stringify(base());
  return [
    { label: "truncated JSON", data: Buffer.from(text.slice(0, 60)), reason: /^payload: not valid JSON$/ },
    { label: "not JSON", data: Buffer.from(`<itest run="${runId}"/>`), reason: /^payload: not valid JSON$/ },
    {
      label: "invalid UTF-8",
      data: Buffer.concat([
        Buffer.from(`{"${RUN_FIELD}":"${runId}","x":"`),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}'),
      ]),
      reason: /^payload: not valid UTF-8$/,
    },
    {
      label: "unknown event type",
      data: json((e) => (e.event_type = "wishlist_add")),
      reason: /^event_type: "wishlist_add" is not one of/,
    },
    {
      label: "unsupported schema version",
      data: json((e) => (e.schema_version = "2")),
      reason: /^schema_version: unsupported schema version "2"/,
    },
    {
      label: "missing event_id",
      data: json((e) => delete (e as Partial<SyntheticEvent>).event_id),
      reason: /^event_id: is required/,
    },
    {
      label: "timestamp far in the future",
      data: json((e) => (e.event_time = "2999-01-01T00:00:00Z")),
      reason: /^event_time: more than 5 minutes in the future/,
    },
    {
      label: "absurd amount",
      data: json((e) => (e.properties.revenue = "99999999999999999999")),
      reason: /^properties\.revenue: exceeds the maximum amount/,
    },
    {
      label: "injection-looking currency",
      data: json((e) => (e.properties.currency = "'; DROP TABLE events;--")),
      reason: /^properties\.currency: .*ISO 4217/,
    },
    {
      label: "deep nesting",
      data: json((e) => (e.extra = JSON.parse(`${"[".repeat(40)}${"]".repeat(40)}`))),
      reason: /nesting deeper than 16/,
    },
  ];
}
