/**
 * Verifies that a UDF bundle is one plain ES5.1 script that Nashorn 15.4 can evaluate and that needs nothing
 * but the ECMAScript 5.1 standard library: no ES2015+ syntax, no module syntax, no Node or browser globals,
 * no ES2015+ library calls. Parses with the TypeScript parser (exact, unlike a text scan) and walks the tree.
 * A reference is allowed when it is only feature-detected (`typeof X`, or `X || fallback`), which is how the
 * TypeScript helpers use `Object.assign`.
 */
import ts from "typescript";

export interface Es5Problem {
  line: number;
  column: number;
  message: string;
}

const FORBIDDEN_SYNTAX: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.ArrowFunction]: "arrow function",
  [ts.SyntaxKind.ClassDeclaration]: "class",
  [ts.SyntaxKind.ClassExpression]: "class",
  [ts.SyntaxKind.TemplateExpression]: "template literal",
  [ts.SyntaxKind.NoSubstitutionTemplateLiteral]: "template literal",
  [ts.SyntaxKind.TaggedTemplateExpression]: "tagged template",
  [ts.SyntaxKind.SpreadElement]: "spread",
  [ts.SyntaxKind.SpreadAssignment]: "object spread",
  [ts.SyntaxKind.ForOfStatement]: "for..of",
  [ts.SyntaxKind.ObjectBindingPattern]: "destructuring",
  [ts.SyntaxKind.ArrayBindingPattern]: "destructuring",
  [ts.SyntaxKind.ComputedPropertyName]: "computed property name",
  [ts.SyntaxKind.ShorthandPropertyAssignment]: "shorthand property",
  [ts.SyntaxKind.MethodDeclaration]: "method shorthand",
  [ts.SyntaxKind.YieldExpression]: "yield",
  [ts.SyntaxKind.AwaitExpression]: "await",
  [ts.SyntaxKind.ImportDeclaration]: "import",
  [ts.SyntaxKind.ImportEqualsDeclaration]: "import",
  [ts.SyntaxKind.ExportDeclaration]: "export",
  [ts.SyntaxKind.ExportAssignment]: "export",
  [ts.SyntaxKind.MetaProperty]: "new.target / import.meta",
  [ts.SyntaxKind.BigIntLiteral]: "BigInt literal",
};

/** Globals that are not in ECMAScript 5.1 or not in Nashorn (Node, browser). */
const FORBIDDEN_GLOBALS = new Set([
  "Symbol",
  "Promise",
  "Map",
  "Set",
  "WeakMap",
  "WeakSet",
  "WeakRef",
  "Proxy",
  "Reflect",
  "BigInt",
  "globalThis",
  "ArrayBuffer",
  "Uint8Array",
  "DataView",
  "TextEncoder",
  "TextDecoder",
  "Intl",
  "require",
  "module",
  "exports",
  "process",
  "Buffer",
  "console",
  "setTimeout",
  "setInterval",
  "queueMicrotask",
  "window",
  "self",
  "structuredClone",
]);

/** Static members added after ES5.1. */
const FORBIDDEN_STATIC: Record<string, string[]> = {
  Object: [
    "assign",
    "entries",
    "values",
    "fromEntries",
    "hasOwn",
    "is",
    "getOwnPropertySymbols",
    "getOwnPropertyDescriptors",
    "setPrototypeOf",
  ],
  Number: ["isFinite", "isInteger", "isNaN", "isSafeInteger", "parseFloat", "parseInt", "EPSILON"],
  Array: ["from", "of"],
  String: ["fromCodePoint", "raw"],
  Math: ["trunc", "sign", "cbrt", "log10", "log2", "log1p", "expm1", "hypot", "imul", "fround", "clz32"],
};

/** Prototype methods added after ES5.1 (checked on any receiver: names are distinctive enough). */
const FORBIDDEN_METHODS = new Set([
  "includes",
  "startsWith",
  "endsWith",
  "padStart",
  "padEnd",
  "repeat",
  "find",
  "findIndex",
  "findLast",
  "findLastIndex",
  "fill",
  "flat",
  "flatMap",
  "copyWithin",
  "codePointAt",
  "normalize",
  "trimStart",
  "trimEnd",
  "replaceAll",
  "matchAll",
  "at",
]);

const ES5_REGEX_FLAGS = /^[gim]*$/;

function featureDetected(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isTypeOfExpression(parent)) return true;
  return (
    ts.isBinaryExpression(parent) &&
    parent.left === node &&
    (parent.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
      parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
  );
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
  if (ts.isPropertyAssignment(parent) && parent.name === node) return true;
  if ((ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent)) && parent.name === node)
    return true;
  if (ts.isParameter(parent) && parent.name === node) return true;
  return false;
}

/** Returns every ES5 violation in `code` (empty when the bundle is fine). */
export function verifyEs5(code: string, fileName = "udf.js"): Es5Problem[] {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES5, true, ts.ScriptKind.JS);
  const problems: Es5Problem[] = [];
  const report = (node: ts.Node, message: string) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    problems.push({ line: line + 1, column: character + 1, message });
  };
  const parseDiagnostics = (source as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] })
    .parseDiagnostics;
  for (const d of parseDiagnostics ?? []) {
    const { line, character } = source.getLineAndCharacterOfPosition(d.start);
    problems.push({
      line: line + 1,
      column: character + 1,
      message: `syntax: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
    });
  }

  const visit = (node: ts.Node): void => {
    const kind = FORBIDDEN_SYNTAX[node.kind];
    if (kind) report(node, `ES2015+ syntax: ${kind}`);
    if (ts.isVariableDeclarationList(node) && node.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
      report(node, "ES2015+ syntax: let/const");
    }
    if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.asteriskToken) {
      report(node, "ES2015+ syntax: generator");
    }
    const modifiers = ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : [];
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) report(node, "ES2015+ syntax: async");
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) report(node, "module syntax: export");
    if (ts.isParameter(node) && (node.initializer || node.dotDotDotToken)) {
      report(node, "ES2015+ syntax: default or rest parameter");
    }
    if ((ts.isPropertyAccessExpression(node) || ts.isCallExpression(node)) && node.questionDotToken) {
      report(node, "ES2020 syntax: optional chaining");
    }
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (
        op === ts.SyntaxKind.QuestionQuestionToken ||
        op === ts.SyntaxKind.AsteriskAsteriskToken ||
        op === ts.SyntaxKind.AsteriskAsteriskEqualsToken ||
        op === ts.SyntaxKind.QuestionQuestionEqualsToken ||
        op === ts.SyntaxKind.BarBarEqualsToken ||
        op === ts.SyntaxKind.AmpersandAmpersandEqualsToken
      ) {
        report(node, `ES2016+ operator: ${ts.tokenToString(op)}`);
      }
    }
    if (ts.isNumericLiteral(node) && /^0[bBoO]/.test(node.getText(source))) {
      report(node, "ES2015+ syntax: binary/octal literal");
    }
    if (ts.isRegularExpressionLiteral(node)) {
      const text = node.getText(source);
      const flags = text.slice(text.lastIndexOf("/") + 1);
      if (!ES5_REGEX_FLAGS.test(flags)) report(node, `regular expression flag not in ES5: /${flags}`);
    }
    if (ts.isIdentifier(node) && FORBIDDEN_GLOBALS.has(node.text) && !isDeclarationName(node)) {
      if (!featureDetected(node)) report(node, `not available in the UDF engine: ${node.text}`);
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
      const member = node.name.text;
      const owner = ts.isIdentifier(node.expression) ? node.expression.text : "";
      const statics = FORBIDDEN_STATIC[owner];
      if (statics?.includes(member)) {
        if (!featureDetected(node)) report(node, `ES2015+ library: ${owner}.${member}`);
      } else if (
        FORBIDDEN_METHODS.has(member) &&
        node.parent &&
        ts.isCallExpression(node.parent) &&
        node.parent.expression === node
      ) {
        report(node, `ES2015+ library method: .${member}()`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

/** Throws one error listing every problem (at most 20) when the bundle is not plain ES5. */
export function assertEs5(code: string, label: string): void {
  const problems = verifyEs5(code, label);
  if (problems.length === 0) return;
  const lines = code.split("\n");
  const shown = problems.slice(0, 20).map((p) => {
    const excerpt = (lines[p.line - 1] ?? "").trim().slice(0, 100);
    return `  ${label}:${p.line}:${p.column} ${p.message}\n      ${excerpt}`;
  });
  const more = problems.length > 20 ? `\n  (+${problems.length - 20} more)` : "";
  throw new Error(`${label} is not a plain ES5 script:\n${shown.join("\n")}${more}`);
}
