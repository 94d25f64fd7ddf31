/**
 * A small, dependency-free reader for the subset of HCL that structural checks need: top-level and nested
 * blocks with their labels, and attributes with the raw text of their expressions. It understands strings
 * with `${...}` templates, heredocs, comments and nested brackets; it does not evaluate expressions.
 * The authoritative parser is OpenTofu (`tofu fmt`/`validate` in tools/terraform/check.sh); this reader
 * exists so that jest can check conventions without any tool installed.
 *
 * Why not @cdktf/hcl2json (HashiCorp's HCL parser as WebAssembly; 0.21.0, MPL-2.0, runs offline), evaluated
 * for issue 14 on terraform/modules/monitoring/variables.tf: its JSON form drops what the callers read —
 * source lines (failure messages, README rows), the order of blocks and attributes (keys come out sorted),
 * comments, and how a value was written (a literal `"x"` and an expression are both strings, `var.x` and
 * `"${var.x}"` are the same `"${var.x}"`; structure.test.ts checks exactly that) — and it is async (every
 * caller is sync) with a 1.5 s first parse. Its project, CDK for Terraform, was deprecated by HashiCorp in
 * December 2025 (hashicorp/terraform-cdk#3949, as cited by Homebrew/homebrew-core#258381 "cdktf: deprecate");
 * its community fork @cdktn/hcl2json (0.24.0) has the same JSON form. What would keep positions and source
 * text is a concrete syntax tree: web-tree-sitter 0.27.1 (MIT) with @tree-sitter-grammars/tree-sitter-hcl
 * 1.2.0 (Apache-2.0, ships tree-sitter-hcl.wasm; its native peer is optional). Its loading is async, so
 * every caller in terraform/test would turn async; not done in issue 14.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** An attribute `name = expression`; `expr` is the expression's source text, trimmed. */
export interface HclAttribute {
  kind: "attribute";
  name: string;
  expr: string;
  line: number;
}

/** A block `type "label" ... { body }`. */
export interface HclBlock {
  kind: "block";
  type: string;
  labels: string[];
  body: HclItem[];
  line: number;
}

export type HclItem = HclAttribute | HclBlock;

/** Thrown with the file and line when the text is not HCL this reader understands. */
export class HclParseError extends Error {}

const identStart = /[A-Za-z_]/;
const identChar = /[A-Za-z0-9_-]/;

class Reader {
  private readonly src: string;
  private readonly file: string;

  constructor(src: string, file: string) {
    this.src = src;
    this.file = file;
  }

  fail(pos: number, message: string): never {
    const line = this.src.slice(0, pos).split("\n").length;
    throw new HclParseError(`${this.file}:${line}: ${message}`);
  }

  lineOf(pos: number): number {
    return this.src.slice(0, pos).split("\n").length;
  }

  /** Index just past a quoted string starting at `i` (which is the opening quote). */
  skipString(i: number): number {
    const s = this.src;
    let j = i + 1;
    while (j < s.length) {
      const c = s[j];
      if (c === "\\") {
        j += 2;
        continue;
      }
      if (c === '"') return j + 1;
      if ((c === "$" || c === "%") && s[j + 1] === "{") {
        j = this.skipTemplate(j + 2);
        continue;
      }
      if (c === "\n") this.fail(i, "unterminated string");
      j++;
    }
    return this.fail(i, "unterminated string");
  }

  /** Index just past the `}` closing a template interpolation whose content starts at `i`. */
  skipTemplate(i: number): number {
    const end = this.skipExpression(i, true);
    if (this.src[end] !== "}") this.fail(i, "unterminated template interpolation");
    return end + 1;
  }

  /** If a heredoc starts at `i` (`<<EOT` or `<<-EOT`), the index just past its closing marker line. */
  skipHeredoc(i: number): number | null {
    const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(this.src.slice(i, i + 200));
    if (!m) return null;
    const marker = m[1];
    let j = i + m[0].length;
    while (j <= this.src.length) {
      const nl = this.src.indexOf("\n", j);
      const lineEnd = nl === -1 ? this.src.length : nl;
      if (this.src.slice(j, lineEnd).trim() === marker) return lineEnd;
      if (nl === -1) break;
      j = nl + 1;
    }
    return this.fail(i, `unterminated heredoc ${marker}`);
  }

  /** Index of the end of a comment starting at `i`, or null when no comment starts there. */
  skipComment(i: number): number | null {
    const s = this.src;
    if (s[i] === "#" || (s[i] === "/" && s[i + 1] === "/")) {
      const nl = s.indexOf("\n", i);
      return nl === -1 ? s.length : nl;
    }
    if (s[i] === "/" && s[i + 1] === "*") {
      const end = s.indexOf("*/", i + 2);
      if (end === -1) this.fail(i, "unterminated comment");
      return end + 2;
    }
    return null;
  }

  /**
   * Scans an expression from `i`. It ends at a newline at bracket depth 0 (unless `untilBrace`), or at an
   * unmatched closing bracket (whose index is returned).
   */
  skipExpression(i: number, untilBrace = false): number {
    const s = this.src;
    let depth = 0;
    let j = i;
    while (j < s.length) {
      const c = s[j] as string;
      if (c === '"') {
        j = this.skipString(j);
        continue;
      }
      if (c === "<" && s[j + 1] === "<") {
        const end = this.skipHeredoc(j);
        if (end !== null) {
          j = end;
          continue;
        }
      }
      const comment = this.skipComment(j);
      if (comment !== null) {
        j = comment;
        continue;
      }
      if (c === "{" || c === "[" || c === "(") depth++;
      else if (c === "}" || c === "]" || c === ")") {
        if (depth === 0) return j;
        depth--;
      } else if (c === "\n" && depth === 0 && !untilBrace) return j;
      j++;
    }
    if (untilBrace) this.fail(i, "unbalanced brackets");
    return j;
  }

  skipBlank(i: number): number {
    let j = i;
    for (;;) {
      while (j < this.src.length && /\s/.test(this.src[j] as string)) j++;
      const comment = this.skipComment(j);
      if (comment === null) return j;
      j = comment;
    }
  }

  /** Parses the items of a body spanning [start, end). */
  parseBody(start: number, end: number): HclItem[] {
    const s = this.src;
    const items: HclItem[] = [];
    let i = this.skipBlank(start);
    while (i < end) {
      if (!identStart.test(s[i] as string)) this.fail(i, `unexpected ${JSON.stringify(s[i])}`);
      const nameStart = i;
      while (i < end && identChar.test(s[i] as string)) i++;
      const name = s.slice(nameStart, i);
      let j = i;
      while (s[j] === " " || s[j] === "\t") j++;
      if (s[j] === "=" && s[j + 1] !== "=") {
        const exprEnd = Math.min(this.skipExpression(j + 1), end);
        items.push({
          kind: "attribute",
          name,
          expr: s.slice(j + 1, exprEnd).trim(),
          line: this.lineOf(nameStart),
        });
        i = this.skipBlank(exprEnd);
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        while (s[j] === " " || s[j] === "\t") j++;
        if (s[j] === '"') {
          const close = this.skipString(j);
          labels.push(s.slice(j + 1, close - 1));
          j = close;
        } else if (identStart.test(s[j] as string)) {
          const k = j;
          while (identChar.test(s[j] as string)) j++;
          labels.push(s.slice(k, j));
        } else break;
      }
      if (s[j] !== "{") this.fail(j, `expected "{" after block ${name}`);
      const close = this.skipExpression(j + 1, true);
      items.push({
        kind: "block",
        type: name,
        labels,
        body: this.parseBody(j + 1, close),
        line: this.lineOf(nameStart),
      });
      i = this.skipBlank(close + 1);
    }
    return items;
  }
}

/** Parses HCL source text into its items. */
export function parseHcl(src: string, file = "<input>"): HclItem[] {
  const reader = new Reader(src, file);
  return reader.parseBody(0, src.length);
}

/** Parses one file. */
export function parseHclFile(path: string): HclItem[] {
  return parseHcl(readFileSync(path, "utf8"), path);
}

/** The attribute `name` directly in `items`, if any. */
export function attr(items: HclItem[], name: string): HclAttribute | undefined {
  return items.find((it): it is HclAttribute => it.kind === "attribute" && it.name === name);
}

/** The blocks of `type` directly in `items`. */
export function blocks(items: HclItem[], type: string): HclBlock[] {
  return items.filter((it): it is HclBlock => it.kind === "block" && it.type === type);
}

/** Every block of `type` at any depth. */
export function deepBlocks(items: HclItem[], type: string): HclBlock[] {
  const out: HclBlock[] = [];
  for (const it of items) {
    if (it.kind !== "block") continue;
    if (it.type === type) out.push(it);
    out.push(...deepBlocks(it.body, type));
  }
  return out;
}

/** Every attribute at any depth of blocks (not inside expressions). */
export function deepAttributes(items: HclItem[]): HclAttribute[] {
  const out: HclAttribute[] = [];
  for (const it of items) {
    if (it.kind === "attribute") out.push(it);
    else out.push(...deepAttributes(it.body));
  }
  return out;
}

/**
 * The value of a literal string expression (quoted or heredoc), or null when the expression is not a
 * plain literal. Template sequences are returned verbatim.
 */
export function stringLiteral(expr: string): string | null {
  const heredoc = /^<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n([\s\S]*?)\r?\n[ \t]*\2$/.exec(expr);
  if (heredoc) {
    const lines = (heredoc[3] ?? "").split("\n");
    if (heredoc[1] !== "-") return lines.join("\n");
    const indent = Math.min(
      ...lines.filter((l) => l.trim() !== "").map((l) => (/^[ \t]*/.exec(l)?.[0] ?? "").length),
    );
    return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join("\n");
  }
  if (!/^"(?:[^"\\]|\\.)*"$/.test(expr)) return null;
  return expr.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => ({ n: "\n", t: "\t", r: "\r" })[c] ?? c);
}

export interface TfVariable {
  name: string;
  type: string | null;
  description: string | null;
  default: string | null;
  sensitive: boolean;
  file: string;
  line: number;
}

export interface TfOutput {
  name: string;
  description: string | null;
  sensitive: boolean;
  file: string;
  line: number;
}

/** A Terraform module directory: its parsed .tf files. */
export interface TfModule {
  dir: string;
  files: Map<string, HclItem[]>;
  variables: TfVariable[];
  outputs: TfOutput[];
}

/** Reads every `*.tf` file directly in `dir`. */
export function readModule(dir: string): TfModule {
  const files = new Map<string, HclItem[]>();
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith(".tf") && statSync(join(dir, name)).isFile())
      files.set(name, parseHclFile(join(dir, name)));
  }
  const variables: TfVariable[] = [];
  const outputs: TfOutput[] = [];
  for (const [file, items] of files) {
    for (const b of blocks(items, "variable")) {
      const description = attr(b.body, "description");
      variables.push({
        name: b.labels[0] ?? "",
        type: attr(b.body, "type")?.expr ?? null,
        description: description ? stringLiteral(description.expr) : null,
        default: attr(b.body, "default")?.expr ?? null,
        sensitive: attr(b.body, "sensitive")?.expr === "true",
        file,
        line: b.line,
      });
    }
    for (const b of blocks(items, "output")) {
      const description = attr(b.body, "description");
      outputs.push({
        name: b.labels[0] ?? "",
        description: description ? stringLiteral(description.expr) : null,
        sensitive: attr(b.body, "sensitive")?.expr === "true",
        file,
        line: b.line,
      });
    }
  }
  return { dir, files, variables, outputs };
}
