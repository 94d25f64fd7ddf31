/**
 * Malformed and hostile payloads the simulator mixes into traffic (fault injection). Each one must end
 * in the dead-letter store with a reason; none may crash a worker or hold up valid events.
 */
import type { ShopEvent } from "@shopstream/events";
import type { Random } from "./random";

export interface MalformedPayload {
  label: string;
  data: Buffer;
}

type Maker = (valid: ShopEvent, random: Random) => string | Buffer;

const json = (value: unknown) => JSON.stringify(value);
// biome-ignore lint/suspicious/noExplicitAny: fault injection writes arbitrary shapes on purpose
type Loose = Record<string, any>;
const mutate = (valid: ShopEvent, change: (e: Loose) => void) => {
  const copy = JSON.parse(JSON.stringify(valid)) as Loose;
  change(copy);
  return json(copy);
};

export const MALFORMED_MAKERS: Record<string, Maker> = {
  "truncated JSON": (v) => json(v).slice(0, 40),
  "not JSON": () => "<event>purchase</event>",
  "empty payload": () => "",
  "JSON array": (v) => json([v]),
  "missing event_id": (v) => mutate(v, (e) => delete e.event_id),
  "event_id not a UUID": (v) => mutate(v, (e) => (e.event_id = "12345")),
  "unknown event type": (v) => mutate(v, (e) => (e.event_type = "wishlist_add")),
  "unsupported schema version": (v) => mutate(v, (e) => (e.schema_version = "2")),
  "timestamp without offset": (v) => mutate(v, (e) => (e.event_time = "2026-01-01T00:00:00")),
  "timestamp far in the future": (v) => mutate(v, (e) => (e.event_time = "2999-01-01T00:00:00Z")),
  "timestamp far in the past": (v) => mutate(v, (e) => (e.event_time = "1999-01-01T00:00:00Z")),
  "properties not an object": (v) => mutate(v, (e) => (e.properties = "none")),
  "invalid UTF-8": () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xc3, 0x28, 0x7d]),
  "control characters": (v) => mutate(v, (e) => (e.session_id = "abc\u0007def")),
  "deep nesting": (v) => mutate(v, (e) => (e.extra = JSON.parse(`${"[".repeat(200)}${"]".repeat(200)}`))),
  "injection-looking currency": (v) =>
    mutate(v, (e) => {
      e.event_type = "refund";
      e.properties = { order_id: "o-1", amount: "1.00", currency: "'; DROP TABLE events;--" };
    }),
  "absurd amount": (v) =>
    mutate(v, (e) => {
      e.event_type = "refund";
      e.properties = { order_id: "o-1", amount: "99999999999999999999", currency: "USD" };
    }),
  "negative quantity": (v) =>
    mutate(v, (e) => {
      e.event_type = "add_to_cart";
      e.properties = { product_id: "sku-1", category: "shoes", price: "1.00", currency: "USD", quantity: -3 };
    }),
};

export const MALFORMED_LABELS = Object.keys(MALFORMED_MAKERS);

export function makeMalformed(
  valid: ShopEvent,
  random: Random,
  label = random.pick(MALFORMED_LABELS),
): MalformedPayload {
  const maker = MALFORMED_MAKERS[label];
  if (!maker) throw new Error(`unknown malformed payload kind: ${label}`);
  const out = maker(valid, random);
  return { label, data: Buffer.isBuffer(out) ? out : Buffer.from(out, "utf8") };
}
