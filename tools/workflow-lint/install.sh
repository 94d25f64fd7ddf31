#!/usr/bin/env bash
# Installs the workflow linters into <repo>/.local (gitignored). Idempotent: skipped when the pinned
# version is already there.
#
#   actionlint - `go install` of the pinned module from the Go module proxy into .local/bin.
#   zizmor     - from PyPI into its own venv, .local/zizmor-venv, linked as .local/bin/zizmor.
#
# Usage: bash tools/workflow-lint/install.sh [actionlint|zizmor|all]   (default: all)
set -euo pipefail

ACTIONLINT_VERSION="1.7.12"
ZIZMOR_VERSION="1.32.0"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="${REPO}/.local"
BIN="${LOCAL}/bin"
mkdir -p "${BIN}"

log() { printf '[workflow-lint-install] %s\n' "$*" >&2; }

install_actionlint() {
  if [[ -x "${BIN}/actionlint" ]] && [[ "$("${BIN}/actionlint" -version 2>/dev/null | head -1)" == "${ACTIONLINT_VERSION}" ]]; then
    log "actionlint ${ACTIONLINT_VERSION} present"
    return
  fi
  command -v go >/dev/null || { log "go is required to build actionlint"; exit 1; }
  log "building actionlint v${ACTIONLINT_VERSION} from the Go module proxy"
  # -ldflags sets the version string that -version prints (a plain go install reports the module version too,
  # but only when built from the module proxy with build info; this keeps the check above exact).
  GOBIN="${BIN}" CGO_ENABLED=0 go install -trimpath \
    -ldflags "-s -w -X github.com/rhysd/actionlint.version=${ACTIONLINT_VERSION}" \
    "github.com/rhysd/actionlint/cmd/actionlint@v${ACTIONLINT_VERSION}"
  log "actionlint: $("${BIN}/actionlint" -version | head -1)"
}

install_zizmor() {
  local venv="${LOCAL}/zizmor-venv"
  if [[ -x "${BIN}/zizmor" ]] && "${BIN}/zizmor" --version 2>/dev/null | grep -qx "zizmor ${ZIZMOR_VERSION}"; then
    log "zizmor ${ZIZMOR_VERSION} present"
    return
  fi
  log "installing zizmor ${ZIZMOR_VERSION} from PyPI into ${venv}"
  python3 -m venv "${venv}"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "zizmor==${ZIZMOR_VERSION}"
  ln -sf "${venv}/bin/zizmor" "${BIN}/zizmor"
  log "zizmor: $("${BIN}/zizmor" --version)"
}

case "${1:-all}" in
  actionlint) install_actionlint ;;
  zizmor) install_zizmor ;;
  all) install_actionlint; install_zizmor ;;
  *) log "usage: $0 [actionlint|zizmor|all]"; exit 2 ;;
esac
