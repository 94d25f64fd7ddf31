#!/usr/bin/env bash
# Runs `node "$@"` on the Node 24 the actions run on (GitHub's `runs.using: node24`): the exact version pinned
# in the root package.json `config.node24`, from the npm registry's `node` package through npx (cached after
# the first download). On a machine whose Node is already that major it prints so and exits 0: the run on
# the machine's Node has covered it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
node24="$(node -p "require('$repo/package.json').config.node24")"
if [ "$(node -p 'process.versions.node.split(".")[0]')" = "${node24%%.*}" ]; then
  echo "node24.sh: the machine's Node $(node --version) is already ${node24%%.*}.x; not run twice"
  exit 0
fi
exec npx --yes "node@$node24" "$@"
