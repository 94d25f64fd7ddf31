/**
 * Analytics transform: one message payload -> one row of the BigQuery `events` table, as JSON text.
 *
 * Pure and ES5-library-safe: bundled into the Dataflow UDF of the PubSub_to_BigQuery_Flex template
 * (string in -> string out, a throw dead-letters); the local worker inserts the same JSON.
 */
import {
  formatUtc,
  multiplyMoney,
  parseAndValidate,
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
  const result = parseAndValidate(payload, nowMs);
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
  return JSON.stringify(row);
}
