/**
 * Makes the ESM-only `@actions/*` packages loadable under jest's CommonJS runtime: their package.json
 * `exports` only has an `import` condition, which jest's `require` resolution does not match. Each is mapped
 * to its entry file (jest's transform turns it into CommonJS). Import this file first in a test that loads
 * `@actions/core` or `@actions/github`. (A root `moduleNameMapper` would make this file unnecessary.)
 */
import { join } from "node:path";

const root = join(__dirname, "..", "..", "..", "node_modules", "@actions");
const entry = (pkg: string, file: string) => join(root, pkg, "lib", file);

jest.mock("@actions/core", () => jest.requireActual(entry("core", "core.js")), { virtual: true });
jest.mock("@actions/github", () => jest.requireActual(entry("github", "github.js")), { virtual: true });
jest.mock("@actions/exec", () => jest.requireActual(entry("exec", "exec.js")), { virtual: true });
jest.mock("@actions/io", () => jest.requireActual(entry("io", "io.js")), { virtual: true });
jest.mock("@actions/io/lib/io-util", () => jest.requireActual(entry("io", "io-util.js")), { virtual: true });
// @actions/core 3 brings its own ESM-only @actions/http-client 4.
const httpClient = join(root, "core", "node_modules", "@actions", "http-client", "lib");
jest.mock("@actions/http-client", () => jest.requireActual(join(httpClient, "index.js")), { virtual: true });
jest.mock("@actions/http-client/lib/auth", () => jest.requireActual(join(httpClient, "auth.js")), {
  virtual: true,
});

// Two ESM-only dependencies of @octokit/request that the root transform list does not cover yet: replaced by
// CommonJS equivalents of what @octokit/request calls (content-type `parse`, json-with-bigint's JSON pair).
jest.mock(
  "content-type",
  () => ({
    parse(header: string) {
      const [type = "", ...params] = header.split(";").map((s) => s.trim());
      const parameters: Record<string, string> = {};
      for (const p of params) {
        const i = p.indexOf("=");
        if (i > 0) parameters[p.slice(0, i).toLowerCase()] = p.slice(i + 1).replace(/^"|"$/g, "");
      }
      return { type: type.toLowerCase(), parameters };
    },
  }),
  { virtual: true },
);
jest.mock(
  "json-with-bigint",
  () => ({
    JSONParse: (text: string) => JSON.parse(text),
    JSONStringify: (value: unknown) => JSON.stringify(value),
  }),
  { virtual: true },
);
