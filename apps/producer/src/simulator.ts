/**
 * A seeded shop: sessions that browse, search, add to cart, abandon or buy, across markets and
 * currencies, with repeat users; plus the faults a real stream has (duplicate publishes, late and
 * out-of-order events, malformed payloads) at configurable rates.
 */
import { EVENT_TYPES, type EventType, formatUtc, type LineItem, type ShopEvent } from "@shopstream/events";
import { makeMalformed, Random } from "@shopstream/transforms";
import { buildCatalog, MARKETS, type Market, type Product, priceIn } from "./catalog";

export interface FaultRates {
  /** Share of events published twice (distinct Pub/Sub messages, same event_id). */
  duplicate: number;
  /** Share of events stamped 1 minute to 23 hours in the past. */
  late: number;
  /** Share of events held back and published after later ones. */
  outOfOrder: number;
  /** Share of emissions that are malformed payloads. */
  malformed: number;
}

export const NO_FAULTS: FaultRates = { duplicate: 0, late: 0, outOfOrder: 0, malformed: 0 };
export const DEFAULT_FAULTS: FaultRates = { duplicate: 0.01, late: 0.02, outOfOrder: 0.02, malformed: 0.005 };

export interface SimulatorOptions {
  seed: number;
  faults: FaultRates;
  /** Sessions open at once. */
  concurrentSessions?: number;
  /** Size of the signed-in user pool (repeat users). */
  users?: number;
  clock?: () => number;
}

export type Emission =
  | { kind: "event"; event: ShopEvent; duplicate: boolean; late: boolean }
  | { kind: "malformed"; label: string; data: Buffer };

interface Session {
  id: string;
  userId: string | null;
  anonymousId: string;
  market: Market;
  device: "desktop" | "mobile" | "tablet";
  cart: Map<string, { product: Product; quantity: number }>;
  lastViewed: Product | null;
  steps: number;
  orders: string[];
}

export class ShopSimulator {
  private readonly random: Random;
  private readonly catalog: Product[];
  private readonly sessions: Session[] = [];
  private readonly pending: Emission[] = [];
  private readonly heldBack: Emission[] = [];
  /** Events a step implies right after its own (a purchase after its checkout). */
  private readonly followUps: ShopEvent[] = [];
  private readonly clock: () => number;
  private readonly users: number;
  private readonly concurrent: number;

  constructor(private readonly options: SimulatorOptions) {
    this.random = new Random(options.seed);
    this.catalog = buildCatalog(this.random);
    this.clock = options.clock ?? Date.now;
    this.users = options.users ?? 500;
    this.concurrent = options.concurrentSessions ?? 50;
  }

  /** The next thing to publish. */
  next(): Emission {
    for (;;) {
      const queued = this.pending.shift();
      if (queued) return queued;
      // Release a held-back event now and then: it arrives after events that happened later.
      if (this.heldBack.length > 0 && (this.heldBack.length > 20 || this.random.chance(0.2))) {
        return this.heldBack.shift() as Emission;
      }
      this.step();
    }
  }

  /** `count` emissions (a finite dataset, for tests and the integration action). */
  take(count: number): Emission[] {
    return Array.from({ length: count }, () => this.next());
  }

  private step(): void {
    const session = this.pickSession();
    const first = this.advance(session);
    if (!first) return;
    for (const event of [first, ...this.followUps.splice(0)]) this.emit(event);
  }

  private emit(event: ShopEvent): void {
    const { faults } = this.options;
    if (this.random.chance(faults.malformed)) {
      const bad = makeMalformed(event, this.random);
      this.pending.push({ kind: "malformed", label: bad.label, data: bad.data });
    }
    let late = false;
    if (this.random.chance(faults.late)) {
      late = true;
      event.event_time = formatUtc(this.clock() - this.random.int(60, 23 * 3600) * 1000).replace("000Z", "Z");
    }
    const emission: Emission = { kind: "event", event, duplicate: false, late };
    if (this.random.chance(faults.outOfOrder)) this.heldBack.push(emission);
    else this.pending.push(emission);
    if (this.random.chance(faults.duplicate)) {
      this.pending.push({ kind: "event", event: JSON.parse(JSON.stringify(event)), duplicate: true, late });
    }
  }

  private pickSession(): Session {
    if (this.sessions.length < this.concurrent) this.sessions.push(this.newSession());
    return this.random.pick(this.sessions);
  }

  private newSession(): Session {
    const signedIn = this.random.chance(0.6);
    return {
      id: `sess-${this.random.uuid().slice(0, 13)}`,
      userId: signedIn ? `user-${this.random.int(1, this.users)}` : null,
      anonymousId: `anon-${this.random.int(1, this.users * 4)}`,
      market: this.random.pick(MARKETS),
      device: this.random.pick(["desktop", "mobile", "mobile", "tablet"] as const),
      cart: new Map(),
      lastViewed: null,
      steps: 0,
      orders: [],
    };
  }

  private endSession(session: Session): void {
    this.sessions.splice(this.sessions.indexOf(session), 1);
  }

  private envelope<T extends EventType>(
    session: Session,
    type: T,
    properties: Record<string, unknown>,
  ): ShopEvent {
    const event: Record<string, unknown> = {
      event_id: this.random.uuid(),
      event_type: type,
      event_time: formatUtc(this.clock()).replace("000Z", "Z"),
      schema_version: "1",
      session_id: session.id,
      user_id: session.userId,
      context: {
        page_url: `https://shop.example/${type}`,
        referrer: session.steps === 0 ? "https://search.example/" : null,
        user_agent: `sim/${session.device}`,
        country: session.market.country,
        device: session.device,
      },
      properties,
    };
    if (session.userId === null) event.anonymous_id = session.anonymousId;
    return event as unknown as ShopEvent;
  }

  private productProps(session: Session, product: Product, quantity: number) {
    return {
      product_id: product.product_id,
      category: product.category,
      price: priceIn(product, session.market),
      currency: session.market.currency,
      quantity,
    };
  }

  private lineItems(session: Session): LineItem[] {
    return [...session.cart.values()].map(({ product, quantity }) => ({
      product_id: product.product_id,
      category: product.category,
      price: priceIn(product, session.market),
      quantity,
    }));
  }

  private cartValue(items: LineItem[]): string {
    // Integer minor units summed exactly, then formatted with the market's decimals.
    let total = 0n;
    for (const item of items) {
      const [whole, fraction = ""] = String(item.price).split(".");
      total += BigInt(`${whole}${fraction.padEnd(2, "0")}`) * BigInt(item.quantity);
    }
    const text = total.toString().padStart(3, "0");
    return `${text.slice(0, -2)}.${text.slice(-2)}`.replace(/\.?0+$/, "") || "0";
  }

  /** One step of a session's journey; returns the event it produced, or null when the session ended. */
  private advance(session: Session): ShopEvent | null {
    const r = this.random;
    session.steps++;
    if (session.steps === 1) return this.envelope(session, "page_view", {});
    if (session.steps > 40) {
      this.endSession(session);
      return null;
    }
    const roll = r.next();
    if (roll < 0.35) {
      const product = r.pick(this.catalog);
      session.lastViewed = product;
      return this.envelope(session, "product_view", this.productProps(session, product, 1));
    }
    if (roll < 0.47) {
      return this.envelope(session, "search", {
        query: r.pick(["running shoes", "wool socks", "rain jacket", "gift", "sale", "hat"]),
        results_count: r.int(0, 120),
      });
    }
    if (roll < 0.52) return this.envelope(session, "page_view", {});
    if (roll < 0.68 && session.lastViewed) {
      const product = session.lastViewed;
      const quantity = r.int(1, 3);
      const line = session.cart.get(product.product_id);
      session.cart.set(product.product_id, { product, quantity: (line?.quantity ?? 0) + quantity });
      return this.envelope(session, "add_to_cart", this.productProps(session, product, quantity));
    }
    if (roll < 0.72 && session.cart.size > 0) {
      const line = r.pick([...session.cart.values()]);
      session.cart.delete(line.product.product_id);
      return this.envelope(
        session,
        "remove_from_cart",
        this.productProps(session, line.product, line.quantity),
      );
    }
    if (roll < 0.82 && session.cart.size > 0) {
      const items = this.lineItems(session);
      const value = this.cartValue(items);
      const cartId = `cart-${session.id.slice(5)}`;
      const checkout = this.envelope(session, "checkout_started", {
        cart_id: cartId,
        items,
        value,
        currency: session.market.currency,
      });
      if (r.chance(0.65)) {
        const orderId = `order-${r.uuid().slice(0, 18)}`;
        session.orders.push(orderId);
        this.followUps.push(
          this.envelope(session, "purchase", {
            order_id: orderId,
            items,
            revenue: value,
            currency: session.market.currency,
          }),
        );
        session.cart.clear();
      }
      return checkout;
    }
    if (roll < 0.84 && session.orders.length > 0) {
      return this.envelope(session, "refund", {
        order_id: r.pick(session.orders),
        amount: priceIn(r.pick(this.catalog), session.market),
        currency: session.market.currency,
      });
    }
    if (roll > 0.95) {
      this.endSession(session);
      return null;
    }
    return this.envelope(session, "page_view", {});
  }
}

export { EVENT_TYPES };
