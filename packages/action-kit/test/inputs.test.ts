import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bool,
  environmentName,
  input,
  integer,
  lines,
  oneOf,
  optionalPositiveInteger,
  readInputs,
  regexps,
  removedInput,
  text,
} from "../src";
import { actionYmlProblems } from "../src/testing";

const TABLE = {
  environment: input({ parse: environmentName, required: true }),
  "working-directory": input({ parse: text, default: "terraform" }),
  "policy-dir": input({ parse: text, default: "policies/terraform", keepEmpty: true }),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the runner's expression
  "github-token": input({ parse: text, default: "${{ github.token }}", secret: true }),
  lock: input({ parse: bool, default: "true" }),
  retries: input({ parse: integer(0, 10), default: "3" }),
  mode: input({ parse: oneOf("plan", "apply"), default: "plan" }),
  "var-files": input({ parse: lines }),
  "mask-patterns": input({ parse: regexps }),
  "pull-request": input({ parse: optionalPositiveInteger("a pull-request number") }),
  "plan-file": input({ parse: text, required: "is required: the downloaded plan" }),
  old: removedInput("use new instead"),
};

const from =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? "";

describe("readInputs", () => {
  it("applies the table's defaults to empty inputs, except keepEmpty ones and runner expressions", () => {
    const v = readInputs(TABLE, from({ environment: "dev", "plan-file": "p", "var-files": " a \n\n b " }));
    expect(v).toMatchObject({
      environment: "dev",
      workingDirectory: "terraform",
      policyDir: "",
      githubToken: "",
      lock: true,
      retries: 3,
      mode: "plan",
      varFiles: ["a", "b"],
      maskPatterns: [],
      pullRequest: undefined,
      planFile: "p",
    });
  });

  it("lists every problem at once, in one style, and never shows a secret", () => {
    let message = "";
    try {
      readInputs(
        TABLE,
        from({
          environment: "Prod!",
          lock: "maybe",
          retries: "11",
          mode: "destroy",
          "mask-patterns": "ok\n(",
          "pull-request": "-3",
          "github-token": "ghs_secret-value",
          old: "x",
        }),
        (v) => (v.githubToken ? ["github-token is not wanted here"] : []),
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "invalid inputs:",
      '- input environment must be a lower-case environment name such as dev, staging or prod, got "Prod!"',
      '- input lock must be true or false, got "maybe"',
      '- input retries must be an integer from 0 to 10, got "11"',
      '- input mode must be plan or apply, got "destroy"',
      expect.stringMatching(/^- input mask-patterns: "\(" is not a valid regular expression \(/),
      '- input pull-request must be a pull-request number, got "-3"',
      "- input plan-file is required: the downloaded plan",
      "- input old was removed: use new instead",
      "- input github-token is not wanted here",
    ]);
    expect(message).not.toContain("ghs_secret-value");
  });

  it("registers secrets with the runner before anything else", () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(() => readInputs(TABLE, from({ "github-token": "ghs_secret-value" }))).toThrow(
        /environment is required/,
      );
    } finally {
      spy.mockRestore();
    }
    expect(written.join("")).toContain("::add-mask::ghs_secret-value");
  });
});

describe("actionYmlProblems", () => {
  const dir = mkdtempSync(join(tmpdir(), "action-yml-"));
  const yml = (inputs: string) => {
    const path = join(dir, `${Math.random()}.yml`);
    writeFileSync(path, `name: t\ninputs:\n${inputs}\nruns: { using: node24, main: dist/index.js }\n`);
    return path;
  };
  const table = {
    environment: input({ parse: environmentName, required: true }),
    lock: input({ parse: bool, default: "true" }),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the runner's expression
    "github-token": input({ parse: text, default: "${{ github.token }}", required: true }),
    old: removedInput("gone"),
  };

  it("agrees with an action.yml that declares the same inputs", () => {
    const path = yml(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the runner's expression, as action.yml writes it
      '  environment: { description: e, required: true }\n  lock: { description: l, default: "true" }\n  github-token: { description: t, default: "${{ github.token }}" }',
    );
    expect(actionYmlProblems(table, path)).toEqual([]);
  });

  it("names every difference: a default, a required flag, an input on one side only, a removed one still declared", () => {
    const path = yml(
      '  environment: { description: e }\n  lock: { description: l, default: "false" }\n  extra: { description: x }\n  old: { description: o }',
    );
    expect(actionYmlProblems(table, path)).toEqual([
      "extra: in action.yml but not in the input table",
      "environment: required is false in action.yml, true in the table",
      'lock: default is "false" in action.yml, "true" in the table',
      "github-token: in the input table but not in action.yml",
      "old: removed in the input table but still in action.yml",
    ]);
  });
});
