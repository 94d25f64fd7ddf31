import { formatUtc, parseRfc3339 } from "../src";

describe("parseRfc3339", () => {
  it("converts offsets to UTC and keeps microseconds", () => {
    expect(parseRfc3339("2026-11-26T10:15:00.123456789+01:00")?.utc).toBe("2026-11-26T09:15:00.123456Z");
    expect(parseRfc3339("2026-11-26T23:59:59-05:30")?.utc).toBe("2026-11-27T05:29:59.000000Z");
    expect(parseRfc3339("2024-02-29T00:00:00Z")?.epochMs).toBe(Date.UTC(2024, 1, 29));
    expect(parseRfc3339("2026-01-01t00:00:00z")?.utc).toBe("2026-01-01T00:00:00.000000Z");
  });

  it.each([
    "2026-11-26",
    "2026-11-26T10:15:00",
    "2026-11-26 10:15:00Z",
    "2026-13-01T00:00:00Z",
    "2025-02-29T00:00:00Z",
    "2026-11-26T24:00:00Z",
    "2026-11-26T23:59:60Z",
    "2026-11-26T10:15:00+25:00",
    "0099-01-01T00:00:00Z",
    "1700000000",
  ])("refuses %p", (text) => {
    expect(parseRfc3339(text)).toBeNull();
  });

  it("formats UTC with microseconds", () => {
    expect(formatUtc(Date.UTC(2026, 10, 26, 9, 5, 3, 7), 42)).toBe("2026-11-26T09:05:03.007042Z");
  });
});
