/**
 * The golden corpus: payloads every UDF must treat identically in Node and in Nashorn. Valid events of every
 * type, normalisation, an exact duplicate, late and early events at the edges of the acceptance window, every
 * malformed kind the producer injects, and the validator's refusals.
 */
import { EVENT_TYPES, EXAMPLE_EVENTS, exampleWithOptionalNulls } from "@shopstream/events";
import { MALFORMED_MAKERS } from "./malformed";
import { Random } from "./random";

export interface GoldenCase {
  name: string;
  payload: string;
  nowMs: number;
}

/** The clock of the corpus: a few minutes after the examples' event times. */
export const GOLDEN_NOW = Date.parse("2026-11-26T10:20:00Z");
const HOUR = 3600 * 1000;

// biome-ignore lint/suspicious/noExplicitAny: the corpus writes arbitrary (broken) shapes on purpose
type Loose = Record<string, any>;
const clone = (value: unknown): Loose => JSON.parse(JSON.stringify(value)) as Loose;
const mutate = (type: keyof typeof EXAMPLE_EVENTS, change: (e: Loose) => void): string => {
  const event = clone(EXAMPLE_EVENTS[type]);
  change(event);
  return JSON.stringify(event);
};
const at = (ms: number) => new Date(ms).toISOString();

export function goldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  const add = (name: string, payload: string, nowMs = GOLDEN_NOW) => cases.push({ name, payload, nowMs });

  for (const type of EVENT_TYPES) add(`valid ${type}`, JSON.stringify(EXAMPLE_EVENTS[type]));
  add("valid purchase, duplicate delivery", JSON.stringify(EXAMPLE_EVENTS.purchase));
  add(
    "valid purchase, upper-case id and unknown fields kept",
    mutate("purchase", (e) => {
      e.event_id = String(e.event_id).toUpperCase();
      e.experiment = { arm: "B", weights: [0.25, 1e-7, 12345678901234] };
    }),
  );
  add(
    "valid search, non-ASCII text",
    mutate("search", (e) => (e.properties.query = "Laufschuhe gr\u00fcn \u2013 \u00e9t\u00e9 \ud83d\udc5f")),
  );
  add(
    "refused: price as a float with binary noise",
    mutate("add_to_cart", (e) => (e.properties.price = 0.1 + 0.2)),
  );
  add("valid page_view, JSON with whitespace", JSON.stringify(EXAMPLE_EVENTS.page_view, null, 2));
  add(
    "valid refund, event_time in Z",
    mutate("refund", (e) => (e.event_time = "2026-11-26T09:00:00Z")),
  );
  add(
    "valid product_view, event_time with nanoseconds",
    mutate("product_view", (e) => (e.event_time = "2026-11-26T09:00:00.123456789+03:30")),
  );
  add(
    "late 23 h (counted by the aggregates)",
    mutate("purchase", (e) => (e.event_time = at(GOLDEN_NOW - 23 * HOUR))),
  );
  add(
    "late 6 days 23 h (accepted)",
    mutate("purchase", (e) => (e.event_time = at(GOLDEN_NOW - 167 * HOUR))),
  );
  add(
    "late 7 days + 1 s (refused)",
    mutate("purchase", (e) => (e.event_time = at(GOLDEN_NOW - 168 * HOUR - 1000))),
  );
  add(
    "early 4 min (clock skew accepted)",
    mutate("search", (e) => (e.event_time = at(GOLDEN_NOW + 4 * 60000))),
  );
  add(
    "early 6 min (refused)",
    mutate("search", (e) => (e.event_time = at(GOLDEN_NOW + 6 * 60000))),
  );

  const random = new Random(7);
  for (const [label, make] of Object.entries(MALFORMED_MAKERS)) {
    const out = make(clone(EXAMPLE_EVENTS.purchase) as never, random);
    // Pub/Sub carries bytes; the template decodes them as UTF-8 (invalid sequences become U+FFFD), like Node.
    add(`malformed: ${label}`, typeof out === "string" ? out : out.toString("utf8"));
  }

  const refused: [string, string][] = [
    ["JSON null", "null"],
    ["JSON number", "123"],
    ["JSON string", '"hello"'],
    ["whitespace only", " \n\t "],
    ["byte-order mark before JSON", `\ufeff${JSON.stringify(EXAMPLE_EVENTS.search)}`],
    ["trailing garbage after JSON", `${JSON.stringify(EXAMPLE_EVENTS.search)}x`],
    ["oversized payload", `"${"x".repeat(300000)}"`],
    ["every field missing", JSON.stringify({ properties: {} })],
    [
      "$-prefixed unknown field (extended JSON)",
      mutate("page_view", (e) => (e.extra = { $numberLong: "abc" })),
    ],
    ["numeric schema version", mutate("page_view", (e) => (e.schema_version = 1))],
    ["anonymous without id", mutate("page_view", (e) => delete e.anonymous_id)],
    ["bad country", mutate("search", (e) => (e.context.country = "XX"))],
    ["bad device", mutate("search", (e) => (e.context.device = "watch"))],
    ["lower-case currency", mutate("add_to_cart", (e) => (e.properties.currency = "usd"))],
    ["float quantity", mutate("add_to_cart", (e) => (e.properties.quantity = 1.5))],
    ["zero quantity", mutate("add_to_cart", (e) => (e.properties.quantity = 0))],
    ["huge quantity", mutate("add_to_cart", (e) => (e.properties.quantity = 1e300))],
    ["negative price", mutate("add_to_cart", (e) => (e.properties.price = "-1"))],
    ["exponent revenue", mutate("purchase", (e) => (e.properties.revenue = "1e15"))],
    ["too many decimals", mutate("purchase", (e) => (e.properties.revenue = "1.0000000001"))],
    ["no items", mutate("purchase", (e) => (e.properties.items = []))],
    ["item without price", mutate("purchase", (e) => delete e.properties.items[1].price)],
    ["zero refund", mutate("refund", (e) => (e.properties.amount = 0))],
    ["missing query", mutate("search", (e) => delete e.properties.query)],
    ["properties as array", mutate("search", (e) => (e.properties = []))],
    ["NUL in query", mutate("search", (e) => (e.properties.query = "shoes\u0000"))],
    ["replacement character", mutate("search", (e) => (e.session_id = "s\ufffd"))],
    ["lone surrogate", mutate("search", (e) => (e.session_id = "s\ud800x"))],
    [
      "lone surrogate escaped in JSON",
      JSON.stringify(clone(EXAMPLE_EVENTS.search)).replace('"sess-7f3a"', '"s\\ud800x"'),
    ],
    ["null session", mutate("page_view", (e) => (e.session_id = null))],
    [
      "(accepted) __proto__ key kept as data",
      mutate("page_view", (e) => (e.context = JSON.parse('{"__proto__": {"x": 1}, "country": "DE"}'))),
    ],
    [
      "nesting 40 deep",
      mutate("page_view", (e) => {
        let deep: Loose = {};
        e.extra = deep;
        for (let i = 0; i < 40; i++) deep = deep.x = {};
      }),
    ],
    ["invalid month", mutate("page_view", (e) => (e.event_time = "2026-13-01T00:00:00Z"))],
    ["February 30", mutate("page_view", (e) => (e.event_time = "2026-02-30T00:00:00Z"))],
    ["long string", mutate("page_view", (e) => (e.anonymous_id = "a".repeat(5000)))],
  ];
  for (const [name, payload] of refused) add(`refused: ${name}`, payload);

  // Clients that serialise absent optional fields as JSON null: null means absent, required fields refuse it.
  for (const type of EVENT_TYPES) {
    for (const variant of ["signed-in", "anonymous"] as const) {
      add(
        `valid ${type}, ${variant}, every optional field null`,
        JSON.stringify(exampleWithOptionalNulls(type, variant)),
      );
    }
  }
  const refusedNulls: [string, string][] = [
    ["user_id and anonymous_id null", mutate("page_view", (e) => (e.anonymous_id = null))],
    ["null currency", mutate("refund", (e) => (e.properties.currency = null))],
    ["null item price", mutate("purchase", (e) => (e.properties.items[0].price = null))],
    ["null properties", mutate("page_view", (e) => (e.properties = null))],
  ];
  for (const [name, payload] of refusedNulls) add(`refused: ${name}`, payload);

  // published_at (the latency SLI's start) is optional: absent or null stores the event unmeasured; a
  // stamp after the processing clock is stored as sent (the exporter counts it invalid, not the UDF).
  add(
    "valid purchase, published_at absent",
    mutate("purchase", (e) => delete e.published_at),
  );
  add(
    "valid purchase, published_at null",
    mutate("purchase", (e) => (e.published_at = null)),
  );
  add(
    "valid purchase, published_at in Z with nanoseconds",
    mutate("purchase", (e) => (e.published_at = "2026-11-26T09:15:07.123456789Z")),
  );
  add(
    "valid purchase, published_at after the processing clock (skewed publisher)",
    mutate("purchase", (e) => (e.published_at = at(GOLDEN_NOW + 60000))),
  );
  add(
    "refused: published_at not RFC 3339",
    mutate("purchase", (e) => (e.published_at = "1732612507")),
  );
  add(
    "refused: published_at as a number",
    mutate("purchase", (e) => (e.published_at = 1732612507000)),
  );

  // Edges of the validator's in-place fast path (packages/events/src/validate.ts, isPlainText): each must
  // give what the copying path gives.
  const nested = (levels: number, leaf: unknown) => {
    let value: unknown = leaf;
    for (let i = 0; i < levels; i++) value = { x: value };
    return value;
  };
  const edges: [string, string][] = [
    ["(accepted) nesting at the limit", mutate("page_view", (e) => (e.extra = nested(15, 1)))],
    ["nesting one past the limit, scalar leaf", mutate("page_view", (e) => (e.extra = nested(16, 1)))],
    [
      "(accepted) 17 brackets, shallow",
      mutate("purchase", (e) => (e.extra = [[], [], [], [], [], [], [], [], [], [], []])),
    ],
    [
      "(accepted) __proto__ name without own fields",
      mutate("page_view", (e) => (e.context = JSON.parse('{"__proto__": {"country": "XX"}}'))),
    ],
    ["(accepted) dollar inside a value", mutate("search", (e) => (e.properties.query = "under $50"))],
    ["raw C1 control", mutate("search", (e) => (e.properties.query = "shoes\u0085"))],
    ["escaped newline in a name", mutate("search", (e) => (e.extra = JSON.parse('{"a\\nb": 1}')))],
  ];
  for (const [name, payload] of edges)
    add(name.startsWith("(accepted)") ? name.slice(11) : `refused: ${name}`, payload);

  // Edges of the ingestion document's splicing fast path (packages/transforms/src/ingestion.ts): fields the
  // document replaces, keys engines enumerate first, and escapes, each as the field-by-field copy gives.
  const withHead = (head: string) => {
    const text = JSON.stringify(EXAMPLE_EVENTS.purchase);
    return `{${head}${text.substring(1)}`;
  };
  add(
    "document: an _id field (replaced by event_id)",
    mutate("purchase", (e) => (e._id = "mine")),
  );
  add(
    "document: event_ts and processed_at fields (overwritten in place)",
    mutate("purchase", (e) => {
      e.event_ts = 1;
      e.processed_at = { at: "later" };
    }),
  );
  add("document: array-index keys", withHead('"7":"seven","0":0,"01":"not an index",'));
  add("document: a __proto__ field carrying _id", withHead('"__proto__":{"_id":"inherited","event_ts":1},'));
  add(
    "document: escapes, line separators, astral characters",
    mutate("purchase", (e) => (e.note = '\u2028\u2029 "q" \\ \ud83d\uded2 \u00e9 \t')),
  );
  return cases;
}
