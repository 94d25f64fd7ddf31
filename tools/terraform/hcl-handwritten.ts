// TEMPORARY (issue 14): the hand-written reader that hcl.ts replaced, kept only until hcl-equivalence.ts has
// compared it with the tree-sitter reader on every HCL file in the repo. Deleted in the next commit.
import { type HclItem, HclParseError } from "./hcl";

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
export function parseHclHandwritten(src: string, file = "<input>"): HclItem[] {
  const reader = new Reader(src, file);
  return reader.parseBody(0, src.length);
}
