#!/usr/bin/env bash
# npm run check:deps: the dependency rule (.dependency-cruiser.cjs) over every workspace and the repository's
# own tests. Exits non-zero on any violation (there is no baseline: every import line goes through a public entry).
#
# dependency-cruiser 18 runs on Node ^22 || ^24 || >=26 (its package.json `engines`); on an older Node (20 on
# this machine) it runs on the Node 24 pinned in the root package.json `config.node24`, from the npm registry's
# `node` package through npx (cached after the first run).
#
# Usage: run.sh [directory]   the check (default: the repository; the test runs it on planted fixtures)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "${1:-$repo}"

node_for_cruiser=(node)
if [ "$(node -p 'Number(process.versions.node.split(".")[0]) >= 22')" != "true" ]; then
  node24="$(node -p "require('$repo/package.json').config.node24")"
  node_for_cruiser=(npx --yes "node@$node24")
fi

targets=()
for dir in packages apps tools actions bench test terraform; do
  [ -d "$dir" ] && targets+=("$dir")
done
exec "${node_for_cruiser[@]}" "$repo/node_modules/dependency-cruiser/bin/dependency-cruiser.mjs" \
  --config "$repo/.dependency-cruiser.cjs" --output-type err "${targets[@]}"
