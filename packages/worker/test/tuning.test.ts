import { DEFAULT_TUNING, resolveTuning } from "../src";

describe("resolveTuning", () => {
  it("layers explicit options over worker defaults over the shared defaults, ignoring other keys", () => {
    const options = { batchSize: 100, streams: undefined, subscription: "s" } as Record<string, unknown>;
    expect(resolveTuning(options, { batchWaitMs: 100, batchSize: 250 })).toEqual({
      ...DEFAULT_TUNING,
      batchWaitMs: 100,
      batchSize: 100,
    });
    expect(resolveTuning({})).toEqual(DEFAULT_TUNING);
  });
});
