/**
 * Runs the terraform / tofu CLI: init, plan (saved, detailed exit code), show -json. Output is streamed to the
 * log line by line; nothing here reads the GitHub context.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";

/** Result of one command. */
export interface CommandResult {
  code: number;
  stderr: string;
}

/**
 * Runs `binary args` in `cwd`. stdout goes to `stdoutFile` when given (plan JSON can be hundreds of MB),
 * otherwise to `log`; stderr is kept (last 64 KiB) for the error message.
 */
export function runCommand(
  binary: string,
  args: string[],
  cwd: string,
  log: (line: string) => void,
  stdoutFile?: string,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd,
      env: { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    if (stdoutFile) child.stdout.pipe(createWriteStream(stdoutFile));
    else child.stdout.on("data", (d: Buffer) => d.toString().split("\n").filter(Boolean).forEach(log));
    child.stderr.on("data", (d: Buffer) => {
      const text = d.toString();
      text.split("\n").filter(Boolean).forEach(log);
      stderr = (stderr + text).slice(-65536);
    });
    child.on("error", (error) =>
      reject(
        new Error(
          `cannot run ${binary}: ${error.message} (is it installed and on PATH? set input terraform-binary)`,
        ),
      ),
    );
    child.on("close", (code) => {
      // Let the stdout file stream flush before resolving.
      setImmediate(() => resolve({ code: code ?? 1, stderr }));
    });
  });
}

/** SHA-256 (hex) of a file, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/** Arguments of `plan` for one environment. */
export function planArgs(planFile: string, varFile: string | undefined): string[] {
  const args = [
    "plan",
    "-input=false",
    "-no-color",
    "-lock-timeout=5m",
    "-detailed-exitcode",
    `-out=${planFile}`,
  ];
  if (varFile) args.push(`-var-file=${varFile}`);
  return args;
}

/** Arguments of `init`. */
export function initArgs(backendConfig: string | undefined): string[] {
  const args = ["init", "-input=false", "-no-color"];
  if (backendConfig) args.push(`-backend-config=${backendConfig}`);
  return args;
}
