/**
 * The one input reader of every action. Each action declares its inputs once, as a table (name, parser,
 * required, the action.yml default, secret); {@link readInputs} reads them all, registers secrets with
 * `core.setSecret` before anything else happens, and throws one error listing every problem in one style:
 *
 *   invalid inputs:
 *   - input environment must be a lower-case environment name such as dev, staging or prod, got "Prod!"
 *
 * The table's `default` is the action.yml default (the runner applies it before the action starts; the reader
 * applies it too, so a run without the runner behaves the same). The runner applies a default only to an input
 * the workflow does not set, so an explicit `""` reaches the action as "" (`keepEmpty` inputs give it a meaning),
 * and it passes an input action.yml does not declare with an "Unexpected input(s)" warning only
 * (actions/runner@258d6c8 src/Runner.Worker/ActionRunner.cs, inputs merged with the definition's defaults when
 * `!inputs.ContainsKey(key)`; src/Runner.Worker/Handlers/Handler.cs sets INPUT_<NAME> for each). `actionYmlProblems` (`@shopstream/action-kit/testing`)
 * compares a table with the action.yml it describes: each action's test keeps them equal, so a default is
 * written in one place.
 */
import * as core from "@actions/core";

/** Reads one input by name ("" when unset), like `core.getInput`. */
export type InputGetter = (name: string) => string;

/** A parser's complaint; the reader prefixes it with `input <name> ` (no space before a leading ":"). */
export class InputProblem extends Error {
  override name = "InputProblem";
}

/** One input of an action. */
export interface InputSpec<T> {
  /** Turns the trimmed value into the action's value; throws an {@link InputProblem} (or any Error) saying what is wrong. */
  parse: (raw: string) => T;
  /**
   * The input must not be empty. `true` complains "input <name> is required"; a string is the whole complaint
   * after the name, saying what to pass, e.g. "is required: meta.json of the plan artifact".
   */
  required?: true | string;
  /** The action.yml default, applied when the input is empty (unless {@link keepEmpty}). */
  default?: string;
  /** An empty value means something of its own (skip, any author): the default is not applied to it. */
  keepEmpty?: boolean;
  /** Registered with `core.setSecret` before anything is parsed or logged; never shown in an error. */
  secret?: boolean;
  /** No longer in action.yml: any value is refused with what to do instead ({@link removedInput}). */
  removed?: true;
}

/** Declares one input (keeps the parser's type). */
export function input<T>(spec: InputSpec<T>): InputSpec<T> {
  return spec;
}

/**
 * An input that was removed: the runner still passes a value a workflow sets (with a warning), so the
 * workflow gets `why` as an error instead of a silently ignored input.
 */
export function removedInput(why: string): InputSpec<undefined> {
  return {
    parse: (raw) => {
      if (raw) throw new InputProblem(`was removed: ${why}`);
      return undefined;
    },
    removed: true,
  };
}

/** The inputs of one action, by their action.yml names. */
export type InputTable = Record<string, InputSpec<unknown>>;

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** The values of a table, by camel-cased name (`working-directory` -> `workingDirectory`). */
export type InputValues<T extends InputTable> = {
  -readonly [K in keyof T & string as CamelCase<K>]: T[K] extends InputSpec<infer V> ? V : never;
};

function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A runner expression such as `${{ github.token }}` is the runner's to evaluate, never a value. */
function appliesDefault(spec: InputSpec<unknown>): boolean {
  return !spec.keepEmpty && spec.default !== undefined && !spec.default.includes("${{");
}

/** `core.getInput`, the reader's default. */
export const actionInput: InputGetter = (name) => core.getInput(name);

/**
 * Reads every input of `table`. `check` adds the problems that involve several inputs (each a sentence
 * starting with the input's name, like a parser's); it sees `undefined` for an input that did not parse, so
 * that every problem is listed at once. Throws one error listing every problem.
 */
export function readInputs<T extends InputTable>(
  table: T,
  get: InputGetter = actionInput,
  check?: (values: InputValues<T>) => string[],
): InputValues<T> {
  const raw: Record<string, string> = {};
  for (const [name, spec] of Object.entries(table)) {
    const value = get(name).trim();
    if (spec.secret && value) core.setSecret(value);
    raw[name] = value === "" && appliesDefault(spec) ? (spec.default as string) : value;
  }
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    const value = raw[name] ?? "";
    if (value === "" && spec.required) {
      problems.push(`${name} ${spec.required === true ? "is required" : spec.required}`);
      continue;
    }
    try {
      values[camelCase(name)] = spec.parse(value);
    } catch (error) {
      const message = (error as Error).message;
      problems.push(`${name}${message.startsWith(":") ? "" : " "}${message}`);
    }
  }
  if (check) problems.push(...check(values as InputValues<T>));
  if (problems.length) throw new Error(`invalid inputs:\n- input ${problems.join("\n- input ")}`);
  return values as InputValues<T>;
}

// Parsers: each takes the trimmed value and returns the value or throws saying what is expected.

/** Any text, as given. */
export const text = (raw: string): string => raw;

/** `true` or `false` (any case). */
export function bool(raw: string): boolean {
  const value = raw.toLowerCase();
  if (value === "true") return true;
  if (value === "false") return false;
  throw new InputProblem(`must be true or false, got "${raw}"`);
}

/** An integer from `min` to `max`. */
export function integer(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (raw === "" || !Number.isInteger(value) || value < min || value > max)
      throw new InputProblem(`must be an integer from ${min} to ${max}, got "${raw}"`);
    return value;
  };
}

/** One of `choices`. */
export function oneOf<const C extends string>(...choices: C[]): (raw: string) => C {
  const words = choices.length > 1 ? `${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}` : choices[0];
  return (raw) => {
    if ((choices as string[]).includes(raw)) return raw as C;
    throw new InputProblem(`must be ${words}, got "${raw}"`);
  };
}

/** A value matching `re`, or "" when `optional`; `what` completes "must be ...". */
export function matching(re: RegExp, what: string, optional = false): (raw: string) => string {
  return (raw) => {
    if ((optional && raw === "") || re.test(raw)) return raw;
    throw new InputProblem(`must be ${what}, got "${raw}"`);
  };
}

/** One value a line (blank lines dropped). */
export function lines(raw: string): string[] {
  return raw
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** One value a line or comma-separated. */
export function list(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Regular expressions, one a line; every invalid one is named. */
export function regexps(raw: string): RegExp[] {
  const out: RegExp[] = [];
  const bad: string[] = [];
  for (const pattern of lines(raw)) {
    try {
      out.push(new RegExp(pattern));
    } catch (error) {
      bad.push(`"${pattern}" is not a valid regular expression (${(error as Error).message})`);
    }
  }
  if (bad.length) throw new InputProblem(`: ${bad.join("; ")}`);
  return out;
}

/**
 * The rule for a deploy environment's name (dev, staging, prod, a fork's own): lower case, digits, `-` and `_`,
 * at most 63 characters (it becomes part of resource names and GitHub environment names).
 */
export const ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** An environment name ({@link ENVIRONMENT_NAME}). */
export const environmentName = matching(
  ENVIRONMENT_NAME,
  "a lower-case environment name such as dev, staging or prod",
);

/** A positive integer, or undefined when empty (a pull-request number, an ID). */
export function optionalPositiveInteger(what: string): (raw: string) => number | undefined {
  return (raw) => {
    if (raw === "") return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new InputProblem(`must be ${what}, got "${raw}"`);
    return value;
  };
}
