// One jest run, two projects: fast unit tests, and integration tests that need the local stand-ins
// (started once by test/integration/global-setup.ts, stopped by global-teardown.ts).
const swc = [
  "@swc/jest",
  {
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
  },
];
// ESM-only packages (GitHub Actions toolkit, Octokit) are transformed to CommonJS for jest.
const esmOnly = [
  "@actions",
  "@octokit",
  "universal-user-agent",
  "before-after-hook",
  "@slack",
  // @google-cloud/bigquery's HTTP stack loads node-fetch v3 (ESM) with a dynamic import.
  "teeny-request",
  "node-fetch",
  "fetch-blob",
  "data-uri-to-buffer",
  "formdata-polyfill",
  // ESM dependencies of @octokit/request.
  "content-type",
  "json-with-bigint",
];
// The GitHub Actions toolkit (v3+) exports only an `import` condition, which jest's CommonJS resolver does
// not match: map each entry point to its file (the transform above turns it into CommonJS). core carries
// its own, newer http-client; every importer gets that one, as in the bundled dist/.
const actionsLib = "<rootDir>/node_modules/@actions";
const moduleNameMapper = {
  "^@actions/core$": `${actionsLib}/core/lib/core.js`,
  "^@actions/exec$": `${actionsLib}/exec/lib/exec.js`,
  "^@actions/io$": `${actionsLib}/io/lib/io.js`,
  "^@actions/io/lib/io-util$": `${actionsLib}/io/lib/io-util.js`,
  "^@actions/github$": `${actionsLib}/github/lib/github.js`,
  "^@actions/github/lib/utils$": `${actionsLib}/github/lib/utils.js`,
  "^@actions/artifact$": `${actionsLib}/artifact/lib/artifact.js`,
  "^@actions/http-client$": `${actionsLib}/core/node_modules/@actions/http-client/lib/index.js`,
  "^@actions/http-client/lib/auth$": `${actionsLib}/core/node_modules/@actions/http-client/lib/auth.js`,
};
const shared = {
  moduleNameMapper,
  transform: { "^.+\\.(t|j)sx?$": swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join("|")})/)`],
  testEnvironment: "node",
  // An expected action failure must not leak into jest's exit code (test/support/exit-code.ts).
  setupFilesAfterEnv: ["<rootDir>/test/support/exit-code.ts"],
};

/** @type {import('jest').Config} */
module.exports = {
  // Per-project testTimeout is ignored by jest; integration suites also set their own with jest.setTimeout.
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: [
        "<rootDir>/{packages,apps,tools,actions}/*/test/**/*.test.ts",
        "<rootDir>/terraform/test/**/*.test.ts",
        // cross-workspace contracts (e.g. the actions read the platform declaration); test/ is no workspace
        "<rootDir>/test/contracts/**/*.test.ts",
      ],
      testPathIgnorePatterns: ["/node_modules/", "\\.int\\.test\\.ts$"],
    },
    {
      ...shared,
      displayName: "integration",
      testMatch: [
        "<rootDir>/test/integration/**/*.test.ts",
        "<rootDir>/{packages,apps,tools,actions}/*/test/**/*.int.test.ts",
      ],
      globalSetup: "<rootDir>/test/integration/global-setup.ts",
      globalTeardown: "<rootDir>/test/integration/global-teardown.ts",
    },
  ],
};
