import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../src/terraform/runner";

const work = mkdtempSync(join(tmpdir(), "kit-runner-"));
const log = () => {};

describe("runCommand with stdout to a file (plan JSON can be hundreds of MB)", () => {
  it("resolves only once the whole output is in the file", async () => {
    // 64 MiB through the pipe and the file stream: the old runner resolved one tick after the process closed,
    // before the file stream had finished writing, and the caller read a truncated plan JSON
    const size = 64 * 1024 * 1024;
    const out = join(work, "big.out");
    const result = await runCommand("head", ["-c", String(size), "/dev/zero"], work, log, out);
    expect(result.code).toBe(0);
    expect(statSync(out).size).toBe(size);
  });

  it("keeps the exit code and what the process wrote when it fails", async () => {
    const script = join(work, "fails.sh");
    writeFileSync(script, '#!/usr/bin/env bash\necho \'{"partial": true}\'\necho "boom" >&2\nexit 3\n', {
      mode: 0o755,
    });
    const out = join(work, "fails.out");
    const result = await runCommand(script, [], work, log, out);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("boom");
    expect(readFileSync(out, "utf8")).toBe('{"partial": true}\n');
  });

  it("refuses with the file's path when the output file cannot be written", async () => {
    await expect(runCommand("echo", ["x"], work, log, join(work, "no-such-dir", "out.json"))).rejects.toThrow(
      /cannot write .*no-such-dir/,
    );
  });
});
