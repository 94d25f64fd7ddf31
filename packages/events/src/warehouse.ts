/**
 * The warehouse projection of contract v1: one row per event in the BigQuery `events` table.
 * Typed columns keep the aggregate SQL free of JSON functions; `payload` keeps the whole original event
 * (unknown fields included) so nothing is lost. The analytics transform produces these rows; Terraform
 * creates the table from the generated schema file.
 */

export type BigQueryType = "STRING" | "TIMESTAMP" | "NUMERIC" | "INT64" | "RECORD";

export interface WarehouseColumn {
  name: string;
  type: BigQueryType;
  mode: "REQUIRED" | "NULLABLE" | "REPEATED";
  description: string;
  fields?: WarehouseColumn[];
}

const col = (
  name: string,
  type: BigQueryType,
  mode: WarehouseColumn["mode"],
  description: string,
): WarehouseColumn => ({ name, type, mode, description });

export const WAREHOUSE_COLUMNS: WarehouseColumn[] = [
  col("event_id", "STRING", "REQUIRED", "UUID, lower case; the idempotency key (aggregates count it once)"),
  col("event_type", "STRING", "REQUIRED", "Event type"),
  col("event_time", "TIMESTAMP", "REQUIRED", "When the event happened (UTC); the partitioning column"),
  col("schema_version", "STRING", "REQUIRED", "Wire format version"),
  col("session_id", "STRING", "REQUIRED", "Browser session"),
  col("user_id", "STRING", "NULLABLE", "Signed-in user, null for anonymous visitors"),
  col("anonymous_id", "STRING", "NULLABLE", "Device identifier"),
  col("user_key", "STRING", "REQUIRED", "user_id, else anonymous_id: the key of distinct-user counts"),
  col("country", "STRING", "NULLABLE", "ISO 3166-1 alpha-2"),
  col("device", "STRING", "NULLABLE", "desktop, mobile or tablet"),
  col("page_url", "STRING", "NULLABLE", "Page URL"),
  col("currency", "STRING", "NULLABLE", "ISO 4217 code of every amount in the row"),
  col(
    "value",
    "NUMERIC",
    "NULLABLE",
    "Money of the event: purchase revenue, refund amount, checkout value, price x quantity for product and cart events",
  ),
  col("units", "INT64", "NULLABLE", "Units: the quantity, or the sum of line-item quantities"),
  col("product_id", "STRING", "NULLABLE", "Product of product and cart events"),
  col("category", "STRING", "NULLABLE", "Category of product and cart events"),
  col("order_id", "STRING", "NULLABLE", "Order of purchase and refund events"),
  col("cart_id", "STRING", "NULLABLE", "Cart of checkout_started events"),
  col("search_query", "STRING", "NULLABLE", "Text of search events"),
  col("results_count", "INT64", "NULLABLE", "Results of search events"),
  {
    name: "items",
    type: "RECORD",
    mode: "REPEATED",
    description: "Line items of checkout_started and purchase events",
    fields: [
      col("product_id", "STRING", "REQUIRED", "Product"),
      col("category", "STRING", "REQUIRED", "Category"),
      col("price", "NUMERIC", "REQUIRED", "Unit price"),
      col("quantity", "INT64", "REQUIRED", "Units"),
    ],
  },
  col(
    "payload",
    "STRING",
    "REQUIRED",
    "The validated event as JSON (event_id lower-cased, money canonical), unknown fields kept",
  ),
  col(
    "published_at",
    "TIMESTAMP",
    "NULLABLE",
    "When the publish library handed the event to Pub/Sub (UTC); null when the publisher did not stamp it",
  ),
  col(
    "processed_at",
    "TIMESTAMP",
    "NULLABLE",
    "When the analytics transform (the Dataflow UDF) processed the event, just before the write (UTC); null on rows written before the stamp existed",
  ),
];

export interface WarehouseItem {
  product_id: string;
  category: string;
  price: string;
  quantity: number;
}

/** One `events` row. NUMERIC values are canonical decimal strings; event_time is UTC with microseconds. */
export interface WarehouseRow {
  event_id: string;
  event_type: string;
  event_time: string;
  schema_version: string;
  session_id: string;
  user_id: string | null;
  anonymous_id: string | null;
  user_key: string;
  country: string | null;
  device: string | null;
  page_url: string | null;
  currency: string | null;
  value: string | null;
  units: number | null;
  product_id: string | null;
  category: string | null;
  order_id: string | null;
  cart_id: string | null;
  search_query: string | null;
  results_count: number | null;
  items: WarehouseItem[];
  payload: string;
  published_at: string | null;
  processed_at: string;
}

/**
 * A refused message, kept whole: reason, payload, attributes. The same shape in MongoDB and BigQuery
 * (DEAD_LETTER_COLUMNS below; a test keeps the two equal). Written by the workers' loop (@shopstream/worker).
 */
export interface DeadLetterRecord {
  message_id: string;
  subscription: string;
  reason: string;
  payload: string;
  payload_encoding: "utf8" | "base64";
  /** JSON object of the message attributes. */
  attributes: string;
  publish_time: string | null;
  dead_lettered_at: string;
}

/** Dead-letter rows share one shape in MongoDB and BigQuery. */
export const DEAD_LETTER_COLUMNS: WarehouseColumn[] = [
  col("message_id", "STRING", "REQUIRED", "Pub/Sub message ID"),
  col("subscription", "STRING", "REQUIRED", "Subscription the message was pulled from"),
  col("reason", "STRING", "REQUIRED", "Why the event was refused, with field paths"),
  col("payload", "STRING", "REQUIRED", "The original payload (UTF-8, or base64 when it was not valid UTF-8)"),
  col("payload_encoding", "STRING", "REQUIRED", "utf8 or base64"),
  col("attributes", "STRING", "REQUIRED", "Message attributes as JSON"),
  col("publish_time", "TIMESTAMP", "NULLABLE", "When Pub/Sub accepted the message"),
  col("dead_lettered_at", "TIMESTAMP", "REQUIRED", "When the worker refused it"),
];
