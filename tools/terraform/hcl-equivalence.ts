// TEMPORARY (issue 14): proves that the tree-sitter reader (hcl.ts) gives the same tree as the hand-written
// reader it replaces (hcl-handwritten.ts) on every HCL file tracked in the repo. Deleted with the old reader.
//   npx tsx tools/terraform/hcl-equivalence.ts
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { type HclItem, loadHcl, parseHcl } from "./hcl";
import { parseHclHandwritten } from "./hcl-handwritten";

/**
 * Every path at which two trees differ. One difference is expected and listed apart: the hand-written reader
 * kept a comment that follows an expression on its line as part of `expr` (`false # why`); tree-sitter's
 * expression ends before it.
 */
function differences(a: unknown, b: unknown, trailingComments: string[], path = "$"): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (typeof a === "string" && typeof b === "string" && path.endsWith(".expr") && a.startsWith(b)) {
    const rest = a.slice(b.length).trim();
    if (/^(#|\/\/|\/\*)/.test(rest)) {
      trailingComments.push(`${path}: ${JSON.stringify(rest)}`);
      return [];
    }
  }
  if (typeof a === "object" && a && typeof b === "object" && b) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((key) =>
      differences(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        trailingComments,
        `${path}.${key}`,
      ),
    );
  }
  return [`${path}: hand-written ${JSON.stringify(a)} vs tree-sitter ${JSON.stringify(b)}`];
}

const count = (items: HclItem[]): number =>
  items.reduce((n, it) => n + 1 + (it.kind === "block" ? count(it.body) : 0), 0);

async function main(): Promise<void> {
  await loadHcl();
  const root = resolve(__dirname, "..", "..");
  const files = execFileSync("git", ["ls-files", "*.tf", "*.tfvars", "*.hcl", "*.tofu"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
  let same = 0;
  let nodes = 0;
  let comments = 0;
  for (const file of files) {
    const src = readFileSync(join(root, file), "utf8");
    let old: HclItem[] | string;
    let now: HclItem[] | string;
    try {
      old = parseHclHandwritten(src, file);
    } catch (e) {
      old = `error: ${(e as Error).message}`;
    }
    try {
      now = parseHcl(src, file);
    } catch (e) {
      now = `error: ${(e as Error).message}`;
    }
    const trailing: string[] = [];
    const diff = differences(old, now, trailing);
    for (const t of trailing) console.log(`trailing comment no longer in expr: ${file} ${t}`);
    comments += trailing.length;
    if (diff.length > 0) console.log(`DIFFERENT ${file}\n  ${diff.join("\n  ")}`);
    else {
      same++;
      if (Array.isArray(now)) nodes += count(now);
    }
  }
  console.log(
    `${same} of ${files.length} files give the same tree (${nodes} blocks and attributes compared; ${comments} trailing comments no longer in expr)`,
  );
  if (same !== files.length) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
