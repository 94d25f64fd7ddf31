// The tree-sitter HCL reader: what the structural checks and the README generator rely on (lines, order,
// labels, nested bodies, expressions as written), its syntax errors, and its explicit async load.
import { attr, blocks, type HclItem, HclParseError, loadHcl, parseHcl, stringLiteral } from "../hcl";

const source = `# A comment before anything.
terraform {
  required_version = ">= 1.12"
}

resource "google_storage_bucket" raw {
  name     = "\${var.prefix}-raw" // a comment after the value
  location = var.region # another
  labels = {
    team = "data" # inside an object
  }
  lifecycle { prevent_destroy = true }
  versioning {}
  description = <<-EOT
    Raw events — one object per hour.
      Indented line.
  EOT
}

locals {
  list = [
    "a", # first
    "b",
  ]
}
`;

describe("before loadHcl", () => {
  test("a reader says what to run instead of failing obscurely", () => {
    jest.isolateModules(() => {
      const fresh = require("../hcl") as typeof import("../hcl");
      expect(() => fresh.parseHcl("a = 1")).toThrow(/not loaded: run `await loadHcl\(\)`/);
    });
  });
});

describe("reading", () => {
  let items: HclItem[];
  beforeAll(async () => {
    await loadHcl();
    items = parseHcl(source, "example.tf");
  });

  test("loading is idempotent", async () => {
    expect(loadHcl()).toBe(loadHcl());
    await loadHcl();
    expect(parseHcl("a = 1")).toEqual([{ kind: "attribute", name: "a", expr: "1", line: 1 }]);
  });

  test("blocks keep their order, labels (quoted or bare), nested bodies and lines", () => {
    expect(items.map((it) => (it.kind === "block" ? `${it.type}@${it.line}` : it.name))).toEqual([
      "terraform@2",
      "resource@6",
      "locals@20",
    ]);
    const [bucket] = blocks(items, "resource");
    expect(bucket?.labels).toEqual(["google_storage_bucket", "raw"]);
    expect(bucket?.body.map((it) => `${it.kind === "block" ? it.type : it.name}:${it.line}`)).toEqual([
      "name:7",
      "location:8",
      "labels:9",
      "lifecycle:12",
      "versioning:13",
      "description:14",
    ]);
    expect(attr(blocks(bucket?.body ?? [], "lifecycle")[0]?.body ?? [], "prevent_destroy")?.expr).toBe(
      "true",
    );
    expect(blocks(bucket?.body ?? [], "versioning")[0]?.body).toEqual([]);
  });

  test("an expression is its source text as written, without a comment that follows it", () => {
    const bucket = blocks(items, "resource")[0]?.body ?? [];
    // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation, not a JS template
    expect(attr(bucket, "name")?.expr).toBe('"${var.prefix}-raw"');
    expect(attr(bucket, "location")?.expr).toBe("var.region");
    expect(attr(bucket, "labels")?.expr).toBe('{\n    team = "data" # inside an object\n  }');
    expect(attr(blocks(items, "locals")[0]?.body ?? [], "list")?.expr).toBe(
      '[\n    "a", # first\n    "b",\n  ]',
    );
    expect(
      parseHcl('x = false # why\ny = "v" /* c */\n').map((it) => it.kind === "attribute" && it.expr),
    ).toEqual(["false", '"v"']);
  });

  test("a heredoc is read whole and stringLiteral strips its indentation", () => {
    const description = attr(blocks(items, "resource")[0]?.body ?? [], "description");
    expect(description?.expr).toBe(
      "<<-EOT\n    Raw events — one object per hour.\n      Indented line.\n  EOT",
    );
    expect(stringLiteral(description?.expr ?? "")).toBe(
      "Raw events — one object per hour.\n  Indented line.",
    );
  });

  test.each([
    ['a = "x\nb = 1\n', /^bad\.tf:1: missing closing "/],
    ["b {\n  c = 1\n", /^bad\.tf:1: missing "}"/],
    ["= 1\n", /^bad\.tf:1: unexpected "= 1"/],
    ['x "l" {\n  y = 1\n}\n}\n', /^bad\.tf:4: unexpected "}"/],
    ['\n{ "a" = 1 }\n', /^bad\.tf:2: a bare object is not an HCL body/],
  ])("invalid HCL %j is an HclParseError with the file and line", (text, message) => {
    expect(() => parseHcl(text, "bad.tf")).toThrow(HclParseError);
    expect(() => parseHcl(text, "bad.tf")).toThrow(message);
  });
});
