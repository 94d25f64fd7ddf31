// The dependency rule of the repository (issue 14), checked by `npm run check:deps` (tools/check-deps/run.sh).
//
// Floors: packages <- apps <- tools <- actions <- bench. A workspace is reached only through its public entry
// (`@shopstream/<name>`, i.e. its package.json `main` or an `exports` subpath), never through a path into its
// folder, and only when the importer declares it in its own package.json. Code outside every workspace (the
// repository's own tests in test/ and terraform/test, tools/terraform) may import any workspace's public entry.
//
// The rules are computed from the package.json files found under the current directory, so the same config
// checks this repository and the planted fixtures of tools/check-deps/test. dependency-cruiser classifies an
// import that resolves through a workspace symlink as `aliased-workspace`
// (sverweij/dependency-cruiser src/extract/resolve/module-classifiers.mjs, getAliasTypes); every other
// import that lands in a workspace folder is a relative path into it.
const fs = require("node:fs");
const path = require("node:path");

const root = process.cwd();
const rootManifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

/** Folders matched by the root's `workspaces` globs ("dir/*" or a plain folder) that hold a package.json. */
function workspaceDirs() {
  const dirs = [];
  for (const glob of rootManifest.workspaces ?? []) {
    const candidates = glob.endsWith("/*")
      ? fs
          .readdirSync(path.join(root, glob.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${glob.slice(0, -2)}/${entry.name}`)
      : [glob];
    for (const dir of candidates) {
      if (fs.existsSync(path.join(root, dir, "package.json"))) dirs.push(dir);
    }
  }
  return dirs.sort();
}

/** Every file path an `exports` map (or `main`) points at, relative to the repository root. */
function entryFiles(dir, manifest) {
  const targets = [];
  const collect = (value) => {
    if (typeof value === "string") targets.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  collect(manifest.exports ?? manifest.main ?? "index.js");
  return targets.map((target) => path.posix.normalize(`${dir}/${target}`));
}

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const workspaces = workspaceDirs().map((dir) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, dir, "package.json"), "utf8"));
  const declared = new Set(
    [
      manifest.dependencies,
      manifest.devDependencies,
      manifest.peerDependencies,
      manifest.optionalDependencies,
    ].flatMap((deps) => Object.keys(deps ?? {})),
  );
  return { dir, name: manifest.name, entries: entryFiles(dir, manifest), declared };
});

const perWorkspaceRules = workspaces.flatMap((target) => {
  const folder = `^${escapeRegex(target.dir)}/`;
  const entries = `^(${target.entries.map(escapeRegex).join("|")})$`;
  const undeclaredBy = workspaces.filter((from) => from !== target && !from.declared.has(target.name));
  return [
    {
      name: "no-path-into-workspace",
      comment: `${target.dir} is a workspace: import it as "${target.name}" (a path into its folder bypasses its package.json).`,
      severity: "error",
      from: { pathNot: folder },
      to: { path: folder, dependencyTypesNot: ["aliased-workspace"] },
    },
    {
      name: "public-entry-only",
      comment: `Only ${target.name}'s public entries (package.json main/exports: ${target.entries.join(", ")}) may be imported from outside ${target.dir}; export what you need there.`,
      severity: "error",
      from: { pathNot: folder },
      to: { path: folder, pathNot: entries },
    },
    ...(undeclaredBy.length === 0
      ? []
      : [
          {
            name: "declared-workspace-dependency",
            comment: `Importing ${target.name} needs it in the importer's package.json (dependencies, or devDependencies for tests).`,
            severity: "error",
            from: { path: `^(${undeclaredBy.map((from) => escapeRegex(from.dir)).join("|")})/` },
            to: { path: folder },
          },
        ]),
  ];
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...perWorkspaceRules,
    {
      name: "apps-not-import-apps",
      comment: "An app is deployed on its own; share code through a package instead.",
      severity: "error",
      from: { path: "^apps/([^/]+)/" },
      to: { path: "^apps/", pathNot: "^apps/$1/" },
    },
    {
      name: "testkit-only-in-tests",
      comment:
        "@shopstream/testkit holds fakes for tests and benchmarks; production code (src/) must not load them.",
      severity: "error",
      from: { path: "^(packages|apps|tools|actions)/[^/]+/src/", pathNot: "^packages/testkit/" },
      to: { path: "^packages/testkit/" },
    },
    ...[
      ["apps", "tools|actions|bench"],
      ["tools", "actions|bench"],
      ["actions", "bench"],
    ].map(([floor, above]) => ({
      name: "floors-point-down",
      comment: `The floors are packages <- apps <- tools <- actions <- bench: ${floor}/ may not import ${above.split("|").join(", ")}.`,
      severity: "error",
      from: { path: `^${floor}/` },
      to: { path: `^(${above})/` },
    })),
    {
      name: "no-circular",
      comment:
        "Files that import each other (even for types only) cannot be understood or moved one at a time.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "packages-only-import-packages",
      comment: "packages/ is the bottom floor: it may not import apps, tools, actions or bench.",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^(apps|tools|actions|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|generated|\\.local)/|^tools/check-deps/test/fixtures/" },
    ...(fs.existsSync(path.join(root, "tsconfig.json")) ? { tsConfig: { fileName: "tsconfig.json" } } : {}),
    // Resolve `@shopstream/<name>/<subpath>` through package.json `exports` like TypeScript and Node do.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json"],
    },
    // The workspaces' package.json files have no `workspaces` field: dependency-cruiser recognises an
    // aliased-workspace import only with the root manifest merged in (src/extract/resolve/get-manifest.mjs).
    combinedDependencies: true,
    // `import type` lines are dependencies too (dependency-cruiser 18 skips them by default:
    // src/main/options/defaults.mjs tsPreCompilationDeps false; its doc/faq.md says to set this)
    tsPreCompilationDeps: true,
    skipAnalysisNotInRules: true,
  },
};
