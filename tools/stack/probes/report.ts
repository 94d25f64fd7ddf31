/** Tiny OK/FAIL recorder shared by the probes. */
export interface ProbeResult {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

export class ProbeReport {
  readonly results: ProbeResult[] = [];

  constructor(private readonly title: string) {}

  /** Runs `fn`; its string result is the detail of an OK line, a thrown error the detail of a FAIL line. */
  async check(name: string, fn: () => Promise<string | undefined>): Promise<boolean> {
    const t0 = Date.now();
    try {
      const detail = (await fn()) ?? "";
      this.results.push({ name, ok: true, detail, ms: Date.now() - t0 });
      console.log(`OK    ${name}${detail ? ` - ${detail}` : ""}`);
      return true;
    } catch (err) {
      const detail = shortError(err);
      this.results.push({ name, ok: false, detail, ms: Date.now() - t0 });
      console.log(`FAIL  ${name} - ${detail}`);
      return false;
    }
  }

  summary(): string {
    const failed = this.results.filter((r) => !r.ok).length;
    return `${this.title}: ${this.results.length - failed} OK, ${failed} FAIL`;
  }
}

export function shortError(err: unknown): string {
  if (err && typeof err === "object") {
    const e = err as { message?: string; code?: unknown; errors?: unknown[]; name?: string };
    const msg = (e.message ?? String(err)).replace(/\s+/g, " ").trim();
    const code = e.code !== undefined ? ` [code ${String(e.code)}]` : "";
    const name = e.name && e.name !== "Error" ? `${e.name}: ` : "";
    return `${name}${msg.slice(0, 300)}${code}`;
  }
  return String(err);
}

/** Throws unless `cond`, with `message`. */
export function expect(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}
