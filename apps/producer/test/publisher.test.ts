import { PubSub } from "@google-cloud/pubsub";
import { EXAMPLE_EVENTS, type ShopEvent } from "@shopstream/events";
import { ContractViolation, EventPublisher } from "../src";

describe("EventPublisher", () => {
  const publisher = new EventPublisher({ pubsub: new PubSub({ projectId: "unit" }), topic: "never-created" });

  it("refuses an invalid event before it leaves the process, naming the event and the field", async () => {
    const bad = {
      ...EXAMPLE_EVENTS.refund,
      properties: { order_id: "o", amount: "-1", currency: "EUR" },
    } as ShopEvent;
    await expect(publisher.publish(bad)).rejects.toThrow(ContractViolation);
    await expect(publisher.publish(bad)).rejects.toThrow(
      /event 0b7e3d4a-.*properties.amount: must not be negative/,
    );
  });

  it("refuses a message with neither data nor attributes instead of failing its whole batch", async () => {
    await expect(publisher.publishRaw(Buffer.alloc(0), {}, "empty")).rejects.toThrow(
      /empty: a Pub\/Sub message needs data or at least one attribute/,
    );
    expect(publisher.stats.outstanding).toBe(0);
  });

  describe("published_at (the start of the latency SLI)", () => {
    const sent: Record<string, unknown>[] = [];
    const fakePubSub = {
      topic: () => ({
        publishMessage: async (message: { data: Buffer }) => {
          sent.push(JSON.parse(message.data.toString("utf8")) as Record<string, unknown>);
          return "message-id";
        },
        flush: async () => undefined,
      }),
    } as unknown as PubSub;
    const now = Date.parse("2026-11-26T09:15:05Z");
    const stamping = new EventPublisher({ pubsub: fakePubSub, topic: "events", clock: () => now });

    beforeEach(() => sent.splice(0));

    it("stamps the publish time in UTC on an event without one, leaving the caller's object unchanged", async () => {
      const { published_at: _absent, ...event } = EXAMPLE_EVENTS.purchase;
      await stamping.publish(event as ShopEvent);
      await stamping.flush();
      expect(sent[0]?.published_at).toBe("2026-11-26T09:15:05.000000Z");
      expect(sent[0]?.event_id).toBe(event.event_id);
      expect("published_at" in event).toBe(false);
    });

    it("stamps an event whose published_at is null (null means absent)", async () => {
      await stamping.publish({ ...EXAMPLE_EVENTS.search, published_at: null });
      await stamping.flush();
      expect(sent[0]?.published_at).toBe("2026-11-26T09:15:05.000000Z");
    });

    it("keeps a stamp already set (a replay keeps its first publish time, so its delay counts)", async () => {
      await stamping.publish(EXAMPLE_EVENTS.purchase);
      await stamping.flush();
      expect(sent[0]?.published_at).toBe(EXAMPLE_EVENTS.purchase.published_at);
    });

    it("refuses a malformed stamp set by the caller, naming the field", async () => {
      await expect(
        stamping.publish({ ...EXAMPLE_EVENTS.purchase, published_at: "yesterday" }),
      ).rejects.toThrow(/published_at: must be an RFC 3339 timestamp with offset/);
      expect(sent).toEqual([]);
    });
  });
});
