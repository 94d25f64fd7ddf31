import { failureBoundary } from "../src";

/** The `::error::` lines a call writes to stdout (the runner's annotation command). */
async function errorsOf(call: () => Promise<void>): Promise<string[]> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await call();
  } finally {
    spy.mockRestore();
  }
  return written
    .join("")
    .split("\n")
    .filter((l) => l.startsWith("::error::"));
}

describe("failureBoundary", () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it("turns what the body throws into one error line with the prefix and exit code 1", async () => {
    const run = failureBoundary(
      async (what: string) => {
        throw new Error(`cannot ${what}`);
      },
      { prefix: "demo" },
    );
    expect(await errorsOf(() => run("plan"))).toEqual(["::error::demo: cannot plan"]);
    expect(process.exitCode).toBe(1);
  });

  it("describes the error with the action's words, then adds the hint for a known error", async () => {
    const run = failureBoundary(
      async () => {
        throw { code: "x" };
      },
      { describe: () => "Could not load the default credentials" },
    );
    const [line] = await errorsOf(run);
    expect(line).toMatch(
      /^::error::Could not load the default credentials \(no usable Google Cloud credentials/,
    );
  });

  it("writes nothing when the body succeeds", async () => {
    expect(await errorsOf(failureBoundary(async () => {}))).toEqual([]);
    expect(process.exitCode).toBeUndefined();
  });
});
