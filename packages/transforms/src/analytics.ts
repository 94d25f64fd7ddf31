/**
 * Analytics transform: one message payload -> one row of the BigQuery `events` table, as JSON text.
 *
 * Pure and ES5-library-safe: bundled into the Dataflow UDF of the PubSub_to_BigQuery_Flex template
 * (string in -> string out, a throw dead-letters); the local worker inserts the same JSON.
 */
import {
  formatUtc,
  multiplyMoney,
  parseAndValidateText,
  parseRfc3339,
  type WarehouseItem,
  type WarehouseRow,
} from "@shopstream/events";

type Props = Record<string, unknown>;

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function lineItems(props: Props): WarehouseItem[] {
  const source = props.items as Props[] | undefined;
  const items: WarehouseItem[] = [];
  if (!source) return items;
  for (let i = 0; i < source.length; i++) {
    const item = source[i] as Props;
    items.push({
      product_id: item.product_id as string,
      category: item.category as string,
      price: item.price as string,
      quantity: item.quantity as number,
    });
  }
  return items;
}

function sumQuantities(items: WarehouseItem[]): number {
  let units = 0;
  for (let i = 0; i < items.length; i++) units += (items[i] as WarehouseItem).quantity;
  return units;
}

/**
 * @param payload the Pub/Sub message data as text
 * @param nowMs the processing clock: the event_time acceptance window and the `processed_at` stamp
 *   (the UDF passes the worker's clock; tests pass a fixed one, so outputs stay deterministic)
 * @returns the `events` row as JSON text
 * @throws Error whose message is the dead-letter reason
 */
export function toWarehouseRow(payload: string, nowMs: number): string {
  const checked = parseAndValidateText(payload, nowMs);
  const result = checked.result;
  if (!result.ok) throw new Error(result.reason);
  const event = result.event;
  const props = event.properties as Props;
  const context = (event.context || {}) as Props;
  const items = lineItems(props);
  let value: string | null = null;
  let units: number | null = null;
  switch (event.event_type) {
    case "product_view":
    case "add_to_cart":
    case "remove_from_cart":
      value = multiplyMoney(props.price as string, props.quantity as number);
      units = props.quantity as number;
      break;
    case "checkout_started":
      value = props.value as string;
      units = sumQuantities(items);
      break;
    case "purchase":
      value = props.revenue as string;
      units = sumQuantities(items);
      break;
    case "refund":
      value = props.amount as string;
      break;
  }
  const userId = typeof event.user_id === "string" ? event.user_id : null;
  const anonymousId = text(event.anonymous_id);
  // Validated as RFC 3339 already; stored in UTC like event_time so the latency is a column difference.
  const published = typeof event.published_at === "string" ? parseRfc3339(event.published_at) : null;
  const row: WarehouseRow = {
    event_id: event.event_id,
    event_type: event.event_type,
    event_time: result.eventTimeUtc,
    schema_version: event.schema_version,
    session_id: event.session_id,
    user_id: userId,
    anonymous_id: anonymousId,
    user_key: (userId || anonymousId) as string,
    country: text(context.country),
    device: text(context.device),
    page_url: text(context.page_url),
    currency: text(props.currency),
    value,
    units,
    product_id: text(props.product_id),
    category: text(props.category),
    order_id: text(props.order_id),
    cart_id: text(props.cart_id),
    search_query: text(props.query),
    results_count: typeof props.results_count === "number" ? props.results_count : null,
    items,
    payload: JSON.stringify(event),
    published_at: published ? published.utc : null,
    processed_at: formatUtc(nowMs),
  };
  if (checked.plainText) {
    const written = plainRowText(row);
    if (written !== null) return written;
  }
  return JSON.stringify(row);
}

// Hand-written serialisation of a row whose strings need no escaping, because it runs in the Dataflow UDF
// engine (Nashorn): there JSON.stringify walks an object's properties generically and escapes every string
// character by character (JSON.stringify was a third of
// this UDF's profile). It writes what JSON.stringify(row) writes (same keys, same
// order) and applies only when the payload's text was plain (CheckedPayload.plainText): then no string of the
// event, nor any string derived from it (canonical money, UTC times), holds a quote, a backslash, a control
// or a non-ASCII character. Any value of another kind than expected (an undefined, which JSON.stringify
// would drop, a non-finite number) returns null, and the caller stringifies.

// The text is one array literal of pieces joined once: concatenating pieces ("\"" + value + "\"") makes
// Nashorn build rope strings that it flattens again at the join. A function call and four pushed pieces per
// column cost Nashorn more than the checks they made (Nashorn micro-benchmark, 28 columns: 2.6 -> 1.8-2.2
// µs), so no call per column: the required string columns share one piece for the previous closing quote
// and the next key; a nullable column is three pieces (key with `null` or an opening quote, value or "",
// closing quote or ""), chosen by one comparison each.

/**
 * JSON.stringify(row) for a row from plain text, or null when a value is not of the expected kind.
 * Exported for its tests only (the package's index does not export it).
 */
export function plainRowText(row: WarehouseRow): string | null {
  const userId = row.user_id;
  const anonymousId = row.anonymous_id;
  const country = row.country;
  const device = row.device;
  const pageUrl = row.page_url;
  const currency = row.currency;
  const value = row.value;
  const units = row.units;
  const productId = row.product_id;
  const category = row.category;
  const orderId = row.order_id;
  const cartId = row.cart_id;
  const searchQuery = row.search_query;
  const resultsCount = row.results_count;
  const items = row.items;
  const payload = row.payload;
  const publishedAt = row.published_at;
  // Anything JSON.stringify would write differently (an undefined it drops, a non-finite number) -> null.
  if (
    typeof row.event_id !== "string" ||
    typeof row.event_type !== "string" ||
    typeof row.event_time !== "string" ||
    typeof row.schema_version !== "string" ||
    typeof row.session_id !== "string" ||
    typeof row.user_key !== "string" ||
    typeof row.processed_at !== "string" ||
    typeof payload !== "string" ||
    (userId !== null && typeof userId !== "string") ||
    (anonymousId !== null && typeof anonymousId !== "string") ||
    (country !== null && typeof country !== "string") ||
    (device !== null && typeof device !== "string") ||
    (pageUrl !== null && typeof pageUrl !== "string") ||
    (currency !== null && typeof currency !== "string") ||
    (value !== null && typeof value !== "string") ||
    (productId !== null && typeof productId !== "string") ||
    (category !== null && typeof category !== "string") ||
    (orderId !== null && typeof orderId !== "string") ||
    (cartId !== null && typeof cartId !== "string") ||
    (searchQuery !== null && typeof searchQuery !== "string") ||
    (publishedAt !== null && typeof publishedAt !== "string") ||
    (units !== null && !(typeof units === "number" && isFinite(units))) ||
    (resultsCount !== null && !(typeof resultsCount === "number" && isFinite(resultsCount)))
  ) {
    return null;
  }
  const itemsText = plainItemsText(items);
  if (itemsText === null) return null;
  return [
    '{"event_id":"',
    row.event_id,
    '","event_type":"',
    row.event_type,
    '","event_time":"',
    row.event_time,
    '","schema_version":"',
    row.schema_version,
    '","session_id":"',
    row.session_id,
    userId === null ? '","user_id":null' : '","user_id":"',
    userId === null ? "" : userId,
    userId === null ? "" : '"',
    anonymousId === null ? ',"anonymous_id":null' : ',"anonymous_id":"',
    anonymousId === null ? "" : anonymousId,
    anonymousId === null ? ',"user_key":"' : '","user_key":"',
    row.user_key,
    country === null ? '","country":null' : '","country":"',
    country === null ? "" : country,
    country === null ? "" : '"',
    device === null ? ',"device":null' : ',"device":"',
    device === null ? "" : device,
    device === null ? "" : '"',
    pageUrl === null ? ',"page_url":null' : ',"page_url":"',
    pageUrl === null ? "" : pageUrl,
    pageUrl === null ? "" : '"',
    currency === null ? ',"currency":null' : ',"currency":"',
    currency === null ? "" : currency,
    currency === null ? "" : '"',
    value === null ? ',"value":null' : ',"value":"',
    value === null ? "" : value,
    value === null ? "" : '"',
    ',"units":',
    units === null ? "null" : String(units),
    productId === null ? ',"product_id":null' : ',"product_id":"',
    productId === null ? "" : productId,
    productId === null ? "" : '"',
    category === null ? ',"category":null' : ',"category":"',
    category === null ? "" : category,
    category === null ? "" : '"',
    orderId === null ? ',"order_id":null' : ',"order_id":"',
    orderId === null ? "" : orderId,
    orderId === null ? "" : '"',
    cartId === null ? ',"cart_id":null' : ',"cart_id":"',
    cartId === null ? "" : cartId,
    cartId === null ? "" : '"',
    searchQuery === null ? ',"search_query":null' : ',"search_query":"',
    searchQuery === null ? "" : searchQuery,
    searchQuery === null ? "" : '"',
    ',"results_count":',
    resultsCount === null ? "null" : String(resultsCount),
    ',"items":',
    itemsText,
    // The payload is JSON text inside a string: its quotes need escaping, done by the engine's own quoting
    // (measured in Nashorn: cheaper than splitting at the quotes and joining with escaped ones).
    ',"payload":',
    JSON.stringify(payload),
    publishedAt === null ? ',"published_at":null' : ',"published_at":"',
    publishedAt === null ? "" : publishedAt,
    publishedAt === null ? ',"processed_at":"' : '","processed_at":"',
    row.processed_at,
    '"}',
  ].join("");
}

/** The `items` column's JSON text, or null when an item's value is not of the expected kind. */
function plainItemsText(items: WarehouseItem[]): string | null {
  if (items.length === 0) return "[]";
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as WarehouseItem;
    const quantity = item.quantity;
    if (
      typeof item.product_id !== "string" ||
      typeof item.category !== "string" ||
      typeof item.price !== "string" ||
      typeof quantity !== "number" ||
      !isFinite(quantity)
    ) {
      return null;
    }
    out.push(
      i ? ',{"product_id":"' : '[{"product_id":"',
      item.product_id,
      '","category":"',
      item.category,
      '","price":"',
      item.price,
      '","quantity":',
      String(quantity),
      "}",
    );
  }
  out.push("]");
  return out.join("");
}
