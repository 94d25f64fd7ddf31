import { bool, ConfigError, describeConfig, int, num, oneOf, readConfig, str } from "../src";

const specs = {
  NAME: str("a name"),
  SIZE: int("a size", 10, 1, 100),
  RATIO: num("a ratio", 0.5, 0, 1),
  ON: bool("a switch", false),
  MODE: oneOf("a mode", ["a", "b"] as const, "a"),
};

describe("readConfig", () => {
  it("applies defaults and parses values", () => {
    expect(readConfig(specs, { NAME: " shop ", SIZE: "42", ON: "yes" })).toEqual({
      NAME: "shop",
      SIZE: 42,
      RATIO: 0.5,
      ON: true,
      MODE: "a",
    });
  });

  it("lists every problem at once", () => {
    try {
      readConfig(specs, { SIZE: "1000", RATIO: "x", ON: "maybe", MODE: "c" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(5);
      expect(problems[0]).toMatch(/^NAME is required/);
      expect(problems.join("\n")).toMatch(/SIZE must be an integer between 1 and 100, got "1000"/);
      expect((error as Error).message).toMatch(/MODE must be one of a, b/);
    }
  });

  it("documents the variables as a table", () => {
    expect(describeConfig(specs)).toMatch(/\| `SIZE` \| integer 1..100 \| `10` \| a size \|/);
  });
});
