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
});
