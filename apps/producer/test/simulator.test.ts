import { EVENT_TYPES, parseAndValidate, validateEvent } from "@shopstream/events";
import {
  MALFORMED_LABELS,
  MALFORMED_MAKERS,
  MARKETS,
  NO_FAULTS,
  priceIn,
  Random,
  ShopSimulator,
} from "../src";

const NOW = Date.parse("2026-11-26T12:00:00Z");
const clock = () => NOW;

describe("ShopSimulator", () => {
  it("is deterministic for a seed", () => {
    const a = new ShopSimulator({ seed: 42, faults: NO_FAULTS, clock }).take(200);
    const b = new ShopSimulator({ seed: 42, faults: NO_FAULTS, clock }).take(200);
    const c = new ShopSimulator({ seed: 43, faults: NO_FAULTS, clock }).take(200);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("produces only contract-valid events of every type, with repeat users and several currencies", () => {
    const emissions = new ShopSimulator({ seed: 7, faults: NO_FAULTS, clock }).take(5000);
    const types = new Set<string>();
    const currencies = new Set<string>();
    const users = new Map<string, number>();
    for (const emission of emissions) {
      expect(emission.kind).toBe("event");
      if (emission.kind !== "event") continue;
      const result = validateEvent(JSON.parse(JSON.stringify(emission.event)), NOW);
      if (!result.ok) throw new Error(`${emission.event.event_type}: ${result.reason}`);
      types.add(emission.event.event_type);
      const props = emission.event.properties as { currency?: string };
      if (props.currency) currencies.add(props.currency);
      if (emission.event.user_id)
        users.set(emission.event.user_id, (users.get(emission.event.user_id) ?? 0) + 1);
    }
    expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
    expect(currencies.size).toBeGreaterThanOrEqual(4);
    expect([...users.values()].some((n) => n > 20)).toBe(true);
  });

  it("purchase revenue equals the sum of its line items", () => {
    const emissions = new ShopSimulator({ seed: 3, faults: NO_FAULTS, clock }).take(3000);
    let purchases = 0;
    for (const e of emissions) {
      if (e.kind !== "event" || e.event.event_type !== "purchase") continue;
      purchases++;
      const cents = e.event.properties.items.reduce(
        (sum, item) => sum + Math.round(Number(item.price) * 100) * item.quantity,
        0,
      );
      expect(Math.round(Number(e.event.properties.revenue) * 100)).toBe(cents);
    }
    expect(purchases).toBeGreaterThan(10);
  });

  it("injects each fault at roughly its rate", () => {
    const emissions = new ShopSimulator({
      seed: 11,
      faults: { duplicate: 0.05, late: 0.05, outOfOrder: 0.05, malformed: 0.05 },
      clock,
    }).take(10000);
    const count = (pred: (e: (typeof emissions)[number]) => boolean) => emissions.filter(pred).length;
    expect(count((e) => e.kind === "malformed")).toBeGreaterThan(300);
    expect(count((e) => e.kind === "event" && e.duplicate)).toBeGreaterThan(300);
    expect(count((e) => e.kind === "event" && e.late)).toBeGreaterThan(300);
    // Late events are valid: within the acceptance window, hours in the past.
    for (const e of emissions) {
      if (e.kind === "event" && e.late)
        expect(validateEvent(JSON.parse(JSON.stringify(e.event)), NOW).ok).toBe(true);
    }
    // Out-of-order: with a moving clock, some event is published after one that happened later.
    let t = NOW;
    const moving = new ShopSimulator({
      seed: 5,
      faults: { duplicate: 0, late: 0, outOfOrder: 0.05, malformed: 0 },
      clock: () => (t += 1000),
    }).take(2000);
    const times = moving.flatMap((e) => (e.kind === "event" ? [Date.parse(e.event.event_time)] : []));
    expect(times.some((time, i) => i > 0 && time < (times[i - 1] as number))).toBe(true);
  });
});

describe("malformed payloads", () => {
  it.each(MALFORMED_LABELS.map((l) => [l]))("%s is refused with a reason", (label) => {
    const valid = new ShopSimulator({ seed: 1, faults: NO_FAULTS, clock }).take(1)[0];
    if (valid?.kind !== "event") throw new Error("expected an event");
    const out = MALFORMED_MAKERS[label]?.(valid.event, new Random(1));
    const data = Buffer.isBuffer(out) ? out : Buffer.from(out ?? "");
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(data);
    } catch {
      return; // invalid UTF-8 is refused by the worker before the transform
    }
    const result = parseAndValidate(text, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(5);
  });
});

describe("priceIn", () => {
  it("prices exactly per market", () => {
    const product = { product_id: "p", category: "c", baseCents: 1999 };
    expect(MARKETS.map((m) => priceIn(product, m))).toEqual([
      "19.99",
      "18.39",
      "18.39",
      "15.79",
      "2999",
      "209.9",
    ]);
  });
});
