#!/usr/bin/env bash
# Lints the GitHub workflows and local actions: actionlint (syntax, expressions, shellcheck of run: blocks,
# action inputs) and zizmor (security: injection, permissions, credentials, pinning). Installs the pinned
# tools on first use. Every ignored finding is justified in .github/actionlint.yaml / .github/zizmor.yml.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${REPO}/.local/bin"
cd "${REPO}"

bash tools/workflow-lint/install.sh all

echo "== actionlint"
"${BIN}/actionlint" -config-file .github/actionlint.yaml
echo "actionlint: clean"

echo "== zizmor"
# Offline: the pins are checked against the repository's own pinning policy, not against GitHub.
"${BIN}/zizmor" --offline --config .github/zizmor.yml --no-progress .github/workflows .github/actions
