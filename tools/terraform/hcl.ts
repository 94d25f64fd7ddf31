/**
 * Reads Terraform/OpenTofu HCL into blocks (type, labels, nested body) and attributes (name, the source text of
 * the expression), each with its line, for structural checks and the README generator. It does not evaluate
 * expressions. The authoritative parser is OpenTofu (`tofu fmt`/`validate` in tools/terraform/check.sh); this
 * reader lets jest check conventions with no tool installed.
 *
 * Parsing is tree-sitter's: web-tree-sitter (MIT) runs the HCL grammar of @tree-sitter-grammars/tree-sitter-hcl
 * (Apache-2.0; its tree-sitter-hcl.wasm, so no native build and nothing fetched). A concrete syntax tree keeps
 * what callers read: lines, the order of blocks and attributes, and how a value was written (`var.x` and
 * `"${var.x}"` differ; structure.test.ts checks exactly that). Loading the WebAssembly is async, parsing is
 * sync: run `await loadHcl()` once (jest: `beforeAll(loadHcl)`) before any reader; a reader called before
 * that throws and says so.
 *
 * The grammar is the package's generic HCL one: its `terraform` dialect is the same grammar under another name
 * (tree-sitter-grammars/tree-sitter-hcl@64ad627 make_grammar.js), for editor queries. Node types read here:
 * `body` (attributes and blocks), `attribute` (identifier, expression), `block` (identifier, labels as
 * `string_lit` or `identifier`, optional `body`), `comment` (src/node-types.json of 1.2.0). `stringLiteral`
 * below decodes the text of a literal, it does not parse.
 *
 * Why not @cdktf/hcl2json (HashiCorp's HCL parser as WebAssembly; 0.21.0, MPL-2.0, runs offline), evaluated
 * for issue 14 on terraform/modules/monitoring/variables.tf: its JSON form drops source lines, the order of
 * blocks and attributes (keys come out sorted), comments, and how a value was written (a literal `"x"` and an
 * expression are both strings, `var.x` and `"${var.x}"` are the same `"${var.x}"`). Its project, CDK for
 * Terraform, was deprecated by HashiCorp in December 2025 (hashicorp/terraform-cdk#3949, as cited by
 * Homebrew/homebrew-core#258381 "cdktf: deprecate"); its community fork @cdktn/hcl2json (0.24.0) has the same
 * JSON form.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Language, type Node, Parser } from "web-tree-sitter";

/** An attribute `name = expression`; `expr` is the expression's source text (comments after it excluded). */
export interface HclAttribute {
  kind: "attribute";
  name: string;
  expr: string;
  line: number;
}

/** A block `type "label" ... { body }`; a quoted label is its text between the quotes, as written. */
export interface HclBlock {
  kind: "block";
  type: string;
  labels: string[];
  body: HclItem[];
  line: number;
}

export type HclItem = HclAttribute | HclBlock;

/** Thrown with the file and line when the text is not valid HCL. */
export class HclParseError extends Error {}

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the HCL grammar (WebAssembly) once; later calls return the same promise, and a failed load may be
 * retried. Every reader below needs it to have resolved.
 */
export function loadHcl(): Promise<void> {
  loading ??= (async () => {
    await Parser.init();
    // Bytes, not a path: Language.load reads a path through a dynamic import("fs/promises")
    // (tree-sitter/tree-sitter@74b7d0c lib/binding_web/src/language.ts), which jest allows only under
    // --experimental-vm-modules ("A dynamic import callback was invoked without --experimental-vm-modules").
    const grammar = readFileSync(
      require.resolve("@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm"),
    );
    const hcl = new Parser();
    hcl.setLanguage(await Language.load(grammar));
    parser = hcl;
  })().catch((e: unknown) => {
    loading = undefined;
    throw new Error(
      `loading the tree-sitter HCL grammar failed: ${e instanceof Error ? e.message : String(e)}`,
      {
        cause: e,
      },
    );
  });
  return loading;
}

function loadedParser(): Parser {
  if (!parser)
    throw new Error(
      "the HCL grammar is not loaded: run `await loadHcl()` (tools/terraform/hcl.ts) once before reading HCL (in jest: `beforeAll(loadHcl)`)",
    );
  return parser;
}

/** The first node of a syntax error in document order: an ERROR node or a token the parser had to invent. */
function firstError(node: Node): Node | null {
  if (node.isError || node.isMissing) return node;
  if (!node.hasError) return null;
  for (const child of node.children) {
    const found = firstError(child);
    if (found) return found;
  }
  return node;
}

/** Tokens the grammar names by role, as a reader of the .tf file knows them. */
const tokenNames: Record<string, string> = {
  quoted_template_end: 'closing "',
  block_end: "}",
  heredoc_identifier: "heredoc end marker",
};

function syntaxError(node: Node, file: string): HclParseError {
  const line = node.startPosition.row + 1;
  if (node.isMissing) {
    // tree-sitter notices a missing closer where the text ends; the line that opened the construct is the useful one.
    let construct = node.parent ?? node;
    while (construct.parent && construct.startIndex === node.startIndex) construct = construct.parent; // `block_end` wraps `}`
    const opened = construct.startPosition.row + 1;
    return new HclParseError(
      `${file}:${opened}: missing ${tokenNames[node.type] ?? JSON.stringify(node.type)} (expected by line ${line})`,
    );
  }
  const text = node.text.split("\n")[0] ?? "";
  return new HclParseError(
    `${file}:${line}: unexpected ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)}`,
  );
}

function child(node: Node, type: string): Node | undefined {
  return node.namedChildren.find((c) => c.type === type);
}

/** The items of a `body` node (comments are skipped). */
function items(body: Node | undefined, file: string): HclItem[] {
  const out: HclItem[] = [];
  for (const node of body?.namedChildren ?? []) {
    const line = node.startPosition.row + 1;
    if (node.type === "attribute") {
      out.push({
        kind: "attribute",
        name: child(node, "identifier")?.text ?? "",
        expr: child(node, "expression")?.text ?? "",
        line,
      });
    } else if (node.type === "block") {
      const [type, ...rest] = node.namedChildren;
      out.push({
        kind: "block",
        type: type?.text ?? "",
        labels: rest
          .filter((c) => c.type === "string_lit" || c.type === "identifier")
          .map((c) => (c.type === "string_lit" ? c.text.slice(1, -1) : c.text)),
        body: items(child(node, "body"), file),
        line,
      });
    } else if (node.type !== "comment") {
      throw new HclParseError(`${file}:${line}: unexpected ${node.type} in a body`);
    }
  }
  return out;
}

/** Parses HCL source text into its items. */
export function parseHcl(src: string, file = "<input>"): HclItem[] {
  const tree = loadedParser().parse(src);
  if (!tree) throw new HclParseError(`${file}: tree-sitter returned no tree`);
  try {
    const error = firstError(tree.rootNode);
    if (error) throw syntaxError(error, file);
    // The grammar also accepts a file that is one bare `{ ... }` object (JSON-like); Terraform does not.
    const object = child(tree.rootNode, "object");
    if (object)
      throw new HclParseError(`${file}:${object.startPosition.row + 1}: a bare object is not an HCL body`);
    return items(child(tree.rootNode, "body"), file);
  } finally {
    tree.delete();
  }
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
