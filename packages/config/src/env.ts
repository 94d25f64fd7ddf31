/**
 * Typed environment variables with defaults and one error listing every problem at once, so a
 * misconfigured worker says exactly which variables to fix before it touches any service.
 */

export type Env = Record<string, string | undefined>;

interface VarSpec<T> {
  kind: string;
  doc: string;
  default?: T;
  parse(raw: string): T | { error: string };
}

export type SpecMap = Record<string, VarSpec<unknown>>;
export type ConfigOf<S extends SpecMap> = { [K in keyof S]: S[K] extends VarSpec<infer T> ? T : never };

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

export function str(doc: string, defaultValue?: string): VarSpec<string> {
  return {
    kind: "string",
    doc,
    default: defaultValue,
    parse: (raw) => (raw.trim() === "" ? { error: "must not be empty" } : raw.trim()),
  };
}

export function int(
  doc: string,
  defaultValue: number | undefined,
  min: number,
  max: number,
): VarSpec<number> {
  return {
    kind: `integer ${min}..${max}`,
    doc,
    default: defaultValue,
    parse: (raw) => {
      const value = Number(raw);
      if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
        return { error: `must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}` };
      }
      return value;
    },
  };
}

export function num(
  doc: string,
  defaultValue: number | undefined,
  min: number,
  max: number,
): VarSpec<number> {
  return {
    kind: `number ${min}..${max}`,
    doc,
    default: defaultValue,
    parse: (raw) => {
      const value = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
        return { error: `must be a number between ${min} and ${max}, got ${JSON.stringify(raw)}` };
      }
      return value;
    },
  };
}

export function bool(doc: string, defaultValue: boolean): VarSpec<boolean> {
  return {
    kind: "boolean",
    doc,
    default: defaultValue,
    parse: (raw) => {
      const value = raw.trim().toLowerCase();
      if (["1", "true", "yes", "on"].includes(value)) return true;
      if (["0", "false", "no", "off"].includes(value)) return false;
      return { error: `must be true or false, got ${JSON.stringify(raw)}` };
    },
  };
}

export function oneOf<T extends string>(doc: string, values: readonly T[], defaultValue: T): VarSpec<T> {
  return {
    kind: values.join("|"),
    doc,
    default: defaultValue,
    parse: (raw) =>
      (values as readonly string[]).includes(raw.trim())
        ? (raw.trim() as T)
        : { error: `must be one of ${values.join(", ")}, got ${JSON.stringify(raw)}` },
  };
}

function isError(value: unknown): value is { error: string } {
  return typeof value === "object" && value !== null && "error" in value;
}

/** Reads every variable of `specs` from `env`; throws a ConfigError naming each bad or missing one. */
export function readConfig<S extends SpecMap>(specs: S, env: Env = process.env): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const raw = env[name];
    if (raw === undefined || raw === "") {
      if (spec.default === undefined) problems.push(`${name} is required (${spec.kind}): ${spec.doc}`);
      else out[name] = spec.default;
      continue;
    }
    const parsed = spec.parse(raw);
    if (isError(parsed)) problems.push(`${name} ${parsed.error} (${spec.doc})`);
    else out[name] = parsed;
  }
  if (problems.length) throw new ConfigError(problems);
  return out as ConfigOf<S>;
}

/** A markdown table of the variables, for READMEs and `--help`. */
export function describeConfig(specs: SpecMap): string {
  const rows = Object.entries(specs).map(
    ([name, spec]) =>
      `| \`${name}\` | ${spec.kind} | ${spec.default === undefined ? "required" : `\`${String(spec.default)}\``} | ${spec.doc} |`,
  );
  return ["| variable | type | default | meaning |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
