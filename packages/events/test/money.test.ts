import { addMoney, compareMoney, multiplyMoney, parseMoney } from "../src";

describe("parseMoney", () => {
  it.each([
    [19.99, "19.99"],
    ["19.990", "19.99"],
    ["0019.5", "19.5"],
    [0, "0"],
    ["-0.0", "0"],
    [1e-7, "0.0000001"],
    ["1.5E+3", "1500"],
    ["123456789.123456789", "123456789.123456789"],
    [100, "100"],
  ])("canonicalises %p to %p", (input, expected) => {
    expect(parseMoney(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["abc", /not a decimal amount/],
    ["1.2.3", /not a decimal amount/],
    ["", /not a decimal amount/],
    [Number.NaN, /not a finite number/],
    [Number.POSITIVE_INFINITY, /not a finite number/],
    [true, /JSON number or a decimal string/],
    [null, /JSON number or a decimal string/],
    ["0.0000000001", /more than 9 decimal places/],
    ["1000000000.01", /exceeds the maximum/],
    ["1e400", /not a decimal amount/],
    ["-", /not a decimal amount/],
    [".5", /not a decimal amount/],
    ["5.", /not a decimal amount/],
    ["-.5", /not a decimal amount/],
    ["+5", /not a decimal amount/],
    ["1 ", /not a decimal amount/],
    ["\u0663", /not a decimal amount/],
  ])("refuses %p", (input, reason) => {
    const result = parseMoney(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe("money arithmetic", () => {
  it("adds without floating-point drift", () => {
    let total = "0";
    for (let i = 0; i < 10; i++) total = addMoney(total, "0.1");
    expect(total).toBe("1");
    expect(addMoney("123456789012.123456789", "0.000000001")).toBe("123456789012.12345679");
  });

  it("subtracts through negative operands", () => {
    expect(addMoney("5", "-7.25")).toBe("-2.25");
    expect(addMoney("-5", "5")).toBe("0");
    expect(addMoney("-1.5", "-1.5")).toBe("-3");
  });

  it("multiplies by integer quantities", () => {
    expect(multiplyMoney("89.9", 3)).toBe("269.7");
    expect(multiplyMoney("0.333333333", 3)).toBe("0.999999999");
    expect(multiplyMoney("4.99", 0)).toBe("0");
    expect(multiplyMoney("1.01", 1000)).toBe("1010");
    expect(() => multiplyMoney("1", 1.5)).toThrow(/non-negative integer/);
  });

  it("compares with sign", () => {
    expect(compareMoney("10", "9.99")).toBe(1);
    expect(compareMoney("-1", "0")).toBe(-1);
    expect(compareMoney("-2", "-1")).toBe(-1);
    expect(compareMoney("0", "-0")).toBe(0);
    expect(compareMoney("1.50", "1.5")).toBe(0);
  });

  it("agrees with BigInt arithmetic on random amounts", () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let i = 0; i < 500; i++) {
      const a = `${next() % 100000}.${String(next() % 1000000000).padStart(9, "0")}`;
      const b = `${next() % 100000}.${String(next() % 1000).padStart(3, "0")}`;
      const scaled = (text: string) =>
        BigInt(text.replace(".", "").replace(/^0+(?=\d)/, "")) *
        10n ** BigInt(9 - (text.split(".")[1] ?? "").length);
      const expected = scaled(a) + scaled(b);
      expect(scaled(`${addMoney(a, b)}${addMoney(a, b).includes(".") ? "" : ".0"}`)).toBe(expected);
      const q = next() % 50;
      expect(scaled(`${multiplyMoney(a, q)}${multiplyMoney(a, q).includes(".") ? "" : ".0"}`)).toBe(
        scaled(a) * BigInt(q),
      );
    }
  });
});
