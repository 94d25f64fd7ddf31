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
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd,
      env: { ...process.env, ...extraEnv, TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    // With stdout going to a file, the result is ready only when both the process has closed its pipes and
    // the file stream has written everything to disk ('finish'); resolving on the child alone let a reader
    // see a truncated plan JSON ("Unexpected end of JSON input") whenever the disk write lagged behind.
    let fileWritten: Promise<void> = Promise.resolve();
    if (stdoutFile) {
      const file = createWriteStream(stdoutFile);
      fileWritten = new Promise<void>((done, failed) => {
        file.on("finish", done);
        file.on("error", (error) => failed(new Error(`cannot write ${stdoutFile}: ${error.message}`)));
      });
      // handled when the child closes; until then a write error must not count as an unhandled rejection
      fileWritten.catch(() => {});
      child.stdout.pipe(file);
    } else child.stdout.on("data", (d: Buffer) => d.toString().split("\n").filter(Boolean).forEach(log));
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
      fileWritten.then(() => resolve({ code: code ?? 1, stderr }), reject);
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

/**
 * Arguments of `plan` for one environment. The var files are passed in order: OpenTofu reads `-var-file`s
 * after TF_VAR_* and *.auto.tfvars, in command-line order, a later file replacing a variable an earlier one
 * set (opentofu/opentofu@v1.10.10:internal/command/meta_vars.go, collectVariableValues). So a generated file
 * passed after environments/<env>.tfvars wins over it; TF_VAR_* never does.
 */
export function planArgs(planFile: string, varFiles: readonly string[], lock = true): string[] {
  const args = [
    "plan",
    "-input=false",
    "-no-color",
    // A read-only plan identity cannot write the lock object; such a plan is never applied from a lock-free
    // state read anyway (the apply re-checks the plan against the state under the lock).
    ...(lock ? ["-lock-timeout=5m"] : ["-lock=false"]),
    "-detailed-exitcode",
    `-out=${planFile}`,
  ];
  for (const file of varFiles) args.push(`-var-file=${file}`);
  return args;
}

/**
 * The value of a top-level string variable in a tfvars file (`name = "value"` on one line), or undefined.
 * Used for `state_encryption_key` only: OpenTofu needs it at `init`, `show` and `apply PLANFILE`, where
 * `-var-file` is not accepted for a saved plan, so it is passed as TF_VAR_state_encryption_key read from the
 * environment's own tfvars file (one place for the value).
 */
export function tfvarsString(text: string, name: string): string | undefined {
  const match = new RegExp(`^[ \\t]*${name}[ \\t]*=[ \\t]*"([^"\\\\$]*)"[ \\t]*(?:#.*)?$`, "m").exec(text);
  return match?.[1];
}

/**
 * Environment for every OpenTofu command of one environment: TF_VAR_state_encryption_key from the tfvars
 * file unless the caller already set it. The key is a KMS key name, not a secret.
 */
export function encryptionEnv(tfvarsText: string | undefined): Record<string, string> {
  if (process.env.TF_VAR_state_encryption_key || tfvarsText === undefined) return {};
  const key = tfvarsString(tfvarsText, "state_encryption_key");
  return key ? { TF_VAR_state_encryption_key: key } : {};
}

/** Arguments of `init`. */
export function initArgs(backendConfig: string | undefined): string[] {
  const args = ["init", "-input=false", "-no-color"];
  if (backendConfig) args.push(`-backend-config=${backendConfig}`);
  return args;
}
