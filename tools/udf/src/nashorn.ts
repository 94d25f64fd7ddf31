/**
 * Drives tools/nashorn/src/main/java/UdfRunner.java (standalone Nashorn 15.4, installed into .local/nashorn by
 * tools/nashorn/install.sh): one JVM serves many requests over stdin/stdout, one line each way.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { REPO_ROOT } from "./build";
import type { UdfOutcome } from "./vm";

export const NASHORN_HOME = join(REPO_ROOT, ".local", "nashorn");

const encode = (text: string) => Buffer.from(text, "utf16le").swap16().toString("base64");
const decode = (b64: string) => Buffer.from(b64, "base64").swap16().toString("utf16le");

export function nashornInstalled(home = NASHORN_HOME): boolean {
  return existsSync(join(home, "classes", "UdfRunner.class"));
}

export interface NashornEngineOptions {
  /** Nashorn options, e.g. ["--language=es6"]; none = ES5.1, what ScriptEngineManager gives by default. */
  options?: string[];
}

export class NashornRunner {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly queue: ((line: string) => void)[] = [];
  private readonly stderr: string[] = [];
  private exited = false;
  /** "OpenJDK Nashorn 15.4" once ready. */
  engine = "";

  private constructor(home: string) {
    if (!nashornInstalled(home)) {
      throw new Error(`Nashorn harness not installed in ${home}: run bash tools/nashorn/install.sh`);
    }
    this.child = spawn(
      "java",
      ["-Xss4m", "-cp", `${join(home, "classes")}:${join(home, "lib", "*")}`, "UdfRunner"],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk: string) => this.stderr.push(chunk));
    this.child.on("exit", () => {
      this.exited = true;
      for (const waiter of this.queue.splice(0)) waiter("EXIT");
    });
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on("line", (line) => this.queue.shift()?.(line));
  }

  /** Process id of the JVM (benchmarks read its CPU time). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts the JVM and waits until Nashorn is loaded. */
  static async start(home = NASHORN_HOME): Promise<NashornRunner> {
    const runner = new NashornRunner(home);
    const ready = await runner.next();
    if (!ready.startsWith("READY\t"))
      throw new Error(`Nashorn runner did not start: ${ready} ${runner.stderr.join("")}`);
    runner.engine = ready.slice(6);
    return runner;
  }

  private next(): Promise<string> {
    if (this.exited) return Promise.resolve("EXIT");
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private async request(fields: string[]): Promise<string[]> {
    if (this.exited) throw new Error(`Nashorn runner exited: ${this.stderr.join("")}`);
    const response = this.next();
    this.child.stdin.write(`${fields.join("\t")}\n`);
    const line = await response;
    if (line === "EXIT") throw new Error(`Nashorn runner exited: ${this.stderr.join("")}`);
    const parts = line.split("\t");
    if (parts[0] === "ERR") throw new Error(`Nashorn runner: ${decode(parts[1] ?? "")}`);
    return parts;
  }

  /** Creates engine `name` and evaluates the script file into it, as the template does with the UDF file. */
  async load(name: string, scriptPath: string, engine: NashornEngineOptions = {}): Promise<void> {
    const options = engine.options?.length ? engine.options.join(",") : "-";
    await this.request(["L", name, options, scriptPath]);
  }

  /** invokeFunction(functionName, input[, nowMs]) as the template does; the outcome as the template sees it. */
  async call(engine: string, functionName: string, input: string, nowMs?: number): Promise<UdfOutcome> {
    const now = nowMs === undefined ? "-" : String(nowMs);
    const parts = await this.request(["C", engine, functionName, now, encode(input)]);
    switch (parts[0]) {
      case "STRING":
        return { kind: "string", value: decode(parts[1] ?? "") };
      case "NULL":
        return { kind: "null" };
      case "NONSTRING":
        return { kind: "nonstring", type: parts[1] ?? "" };
      case "ERROR":
        return { kind: "error", message: decode(parts[1] ?? "") };
      default:
        throw new Error(`Nashorn runner: unexpected response ${parts.join(" ")}`);
    }
  }

  /** The full Java exception message of a failing call (what the dead-letter table's errorMessage holds). */
  async javaErrorMessage(
    engine: string,
    functionName: string,
    input: string,
    nowMs?: number,
  ): Promise<string> {
    const now = nowMs === undefined ? "-" : String(nowMs);
    const parts = await this.request(["C", engine, functionName, now, encode(input)]);
    return parts[0] === "ERROR" ? decode(parts[2] ?? "") : "";
  }

  /** Mean nanoseconds per call after `warmup` calls, cycling through `inputs`, timed inside the JVM. */
  async bench(
    engine: string,
    functionName: string,
    inputs: string[],
    nowMs: number,
    warmup: number,
    iterations: number,
  ): Promise<number> {
    const parts = await this.request([
      "B",
      engine,
      functionName,
      String(nowMs),
      String(warmup),
      String(iterations),
      inputs.map(encode).join(","),
    ]);
    if (parts[0] !== "BENCH") throw new Error(`Nashorn runner: unexpected response ${parts.join(" ")}`);
    return Number(parts[1]);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
    this.lines.close();
  }
}
