/**
 * Makes @actions/core 3 loadable under jest's CommonJS runtime: it and its @actions dependencies export
 * only an `import` condition, which jest's `require` resolution does not match, so each is mapped to its
 * entry file (the root transform turns them into CommonJS). Import this file first. A root
 * `moduleNameMapper` (or `testEnvironmentOptions.customExportConditions`) would make it unnecessary.
 */
import { join } from "node:path";

const actions = join(__dirname, "..", "..", "..", "node_modules", "@actions");
const httpClient = join(actions, "core", "node_modules", "@actions", "http-client", "lib");

jest.mock("@actions/core", () => jest.requireActual(join(actions, "core", "lib", "core.js")), {
  virtual: true,
});
jest.mock("@actions/exec", () => jest.requireActual(join(actions, "exec", "lib", "exec.js")), {
  virtual: true,
});
jest.mock("@actions/io", () => jest.requireActual(join(actions, "io", "lib", "io.js")), { virtual: true });
jest.mock("@actions/io/lib/io-util", () => jest.requireActual(join(actions, "io", "lib", "io-util.js")), {
  virtual: true,
});
jest.mock("@actions/http-client", () => jest.requireActual(join(httpClient, "index.js")), { virtual: true });
jest.mock("@actions/http-client/lib/auth", () => jest.requireActual(join(httpClient, "auth.js")), {
  virtual: true,
});
