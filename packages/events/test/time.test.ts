import { formatUtc, parseRfc3339 } from "../src";

describe("parseRfc3339", () => {
  it("converts offsets to UTC and keeps microseconds", () => {
    expect(parseRfc3339("2026-11-26T10:15:00.123456789+01:00")?.utc).toBe("2026-11-26T09:15:00.123456Z");
    expect(parseRfc3339("2026-11-26T23:59:59-05:30")?.utc).toBe("2026-11-27T05:29:59.000000Z");
    expect(parseRfc3339("2024-02-29T00:00:00Z")?.epochMs).toBe(Date.UTC(2024, 1, 29));
    expect(parseRfc3339("2026-01-01t00:00:00z")?.utc).toBe("2026-01-01T00:00:00.000000Z");
  });

  it("scales fractions of 1 to 9 digits to milliseconds and microseconds", () => {
    expect(parseRfc3339("2026-11-26T10:15:00.5Z")?.utc).toBe("2026-11-26T10:15:00.500000Z");
    expect(parseRfc3339("2026-11-26T10:15:00.12Z")?.utc).toBe("2026-11-26T10:15:00.120000Z");
    expect(parseRfc3339("2026-11-26T10:15:00.1234Z")).toEqual({
      epochMs: Date.UTC(2026, 10, 26, 10, 15, 0, 123),
      extraMicros: 400,
      utc: "2026-11-26T10:15:00.123400Z",
    });
    expect(parseRfc3339("2026-11-26T10:15:00.000001-00:30")?.utc).toBe("2026-11-26T10:45:00.000001Z");
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
    "2026-11-26T10:15:00.Z",
    "2026-11-26T10:15:00.1234567890Z",
    "2026-11-26T10:15:00ZZ",
    "2026-11-26T10:15:00+0100",
    "2026-11-26T10:15:00+01:00 ",
    "2026-11-26T10:15:00+01:0",
    "2026-11-2٣T10:15:00Z",
    "2026-11-26T10:15:00.12٣4Z",
    "+2026-11-26T10:15:00Z",
  ])("refuses %p", (text) => {
    expect(parseRfc3339(text)).toBeNull();
  });

  it("formats UTC with microseconds", () => {
    expect(formatUtc(Date.UTC(2026, 10, 26, 9, 5, 3, 7), 42)).toBe("2026-11-26T09:05:03.007042Z");
  });
});

describe("Date-free arithmetic (the UDF's fast path) agrees with Date", () => {
  const dateFormat = (ms: number, micros: number) => {
    const d = new Date(ms);
    const p = (v: number, w: number) => String(v).padStart(w, "0");
    return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1, 2)}-${p(d.getUTCDate(), 2)}T${p(d.getUTCHours(), 2)}:${p(d.getUTCMinutes(), 2)}:${p(d.getUTCSeconds(), 2)}.${p(d.getUTCMilliseconds(), 3)}${p(micros, 3)}Z`;
  };

  it("formats every instant like Date does, across leap years, centuries and negative epochs", () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const edges = [
      0,
      -1,
      86399999,
      86400000,
      Date.UTC(2000, 1, 29),
      Date.UTC(1900, 2, 1) - 1,
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(1000, 0, 1),
    ];
    for (let i = 0; i < 20000; i++) edges.push(Math.floor((random() * 2 - 1) * 253402300799999));
    for (const ms of edges) {
      const micros = Math.floor(random() * 1000);
      expect([ms, formatUtc(ms, micros)]).toEqual([ms, dateFormat(ms, micros)]);
    }
  });

  it("gives a UTC timestamp the canonical form formatUtc gives its instant (read from the text itself)", () => {
    let seed = 777;
    const random = (lo: number, hi: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return lo + Math.floor((seed / 2147483648) * (hi - lo + 1));
    };
    const p = (v: number, w: number) => String(v).padStart(w, "0");
    let checked = 0;
    for (let i = 0; i < 20000; i++) {
      const digits = random(0, 9);
      const fraction = digits ? `.${p(random(0, 10 ** digits - 1), digits)}` : "";
      const text =
        `${p(random(1000, 9999), 4)}-${p(random(1, 12), 2)}-${p(random(1, 31), 2)}${random(0, 1) ? "T" : "t"}` +
        `${p(random(0, 23), 2)}:${p(random(0, 59), 2)}:${p(random(0, 59), 2)}${fraction}${random(0, 1) ? "Z" : "z"}`;
      const parsed = parseRfc3339(text);
      if (!parsed) continue; // 31 February and the like
      checked++;
      expect([text, parsed.utc]).toEqual([text, formatUtc(parsed.epochMs, parsed.extraMicros)]);
    }
    expect(checked).toBeGreaterThan(15000);
  });

  it("parses every date like Date.UTC does", () => {
    for (let year = 1000; year <= 9999; year += 7) {
      for (const [month, day] of [
        [1, 1],
        [2, 28],
        [3, 1],
        [12, 31],
      ] as const) {
        const text = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}T13:14:15.678-09:30`;
        expect([text, parseRfc3339(text)?.epochMs]).toEqual([
          text,
          Date.UTC(year, month - 1, day, 13, 14, 15, 678) + 570 * 60000,
        ]);
      }
    }
  });

  it("keeps Date's behaviour outside the fast path's range", () => {
    expect(formatUtc(1.5)).toBe(formatUtc(1));
    expect(formatUtc(0, 1000)).toBe("1970-01-01T00:00:00.0001000Z");
    expect(formatUtc(9e15)).toContain("NaN");
  });
});
