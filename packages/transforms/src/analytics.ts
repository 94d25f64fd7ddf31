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

// Pieces are pushed to one array joined once: concatenating them ("\"" + value + "\"") makes Nashorn build
// rope strings that it flattens again at the join.

/** Appends a string column (key, then the value's JSON text); false for a value of another kind. */
function putString(out: string[], key: string, value: string | null): boolean {
  if (value === null) out.push(key, "null");
  else if (typeof value === "string") out.push(key, '"', value, '"');
  else return false;
  return true;
}

/** Appends a number column (an integer's String() is its JSON text); false for a non-finite or non-number. */
function putNumber(out: string[], key: string, value: number | null): boolean {
  if (value === null) out.push(key, "null");
  else if (typeof value === "number" && isFinite(value)) out.push(key, String(value));
  else return false;
  return true;
}

function putItems(out: string[], items: WarehouseItem[]): boolean {
  out.push(',"items":[');
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as WarehouseItem;
    const written =
      putString(out, i ? ',{"product_id":' : '{"product_id":', item.product_id) &&
      putString(out, ',"category":', item.category) &&
      putString(out, ',"price":', item.price) &&
      putNumber(out, ',"quantity":', item.quantity);
    if (!written) return false;
    out.push("}");
  }
  out.push("]");
  return true;
}

/** The payload is JSON text inside a string: its quotes need escaping, done by the engine's own quoting. */
function putPayload(out: string[], payload: string): boolean {
  if (typeof payload !== "string") return false;
  out.push(',"payload":', JSON.stringify(payload));
  return true;
}

/** JSON.stringify(row) for a row from plain text, or null when a value is not of the expected kind. */
function plainRowText(row: WarehouseRow): string | null {
  const out: string[] = [];
  const written =
    putString(out, '{"event_id":', row.event_id) &&
    putString(out, ',"event_type":', row.event_type) &&
    putString(out, ',"event_time":', row.event_time) &&
    putString(out, ',"schema_version":', row.schema_version) &&
    putString(out, ',"session_id":', row.session_id) &&
    putString(out, ',"user_id":', row.user_id) &&
    putString(out, ',"anonymous_id":', row.anonymous_id) &&
    putString(out, ',"user_key":', row.user_key) &&
    putString(out, ',"country":', row.country) &&
    putString(out, ',"device":', row.device) &&
    putString(out, ',"page_url":', row.page_url) &&
    putString(out, ',"currency":', row.currency) &&
    putString(out, ',"value":', row.value) &&
    putNumber(out, ',"units":', row.units) &&
    putString(out, ',"product_id":', row.product_id) &&
    putString(out, ',"category":', row.category) &&
    putString(out, ',"order_id":', row.order_id) &&
    putString(out, ',"cart_id":', row.cart_id) &&
    putString(out, ',"search_query":', row.search_query) &&
    putNumber(out, ',"results_count":', row.results_count) &&
    putItems(out, row.items) &&
    putPayload(out, row.payload) &&
    putString(out, ',"published_at":', row.published_at) &&
    putString(out, ',"processed_at":', row.processed_at);
  if (!written) return null;
  out.push("}");
  return out.join("");
}
