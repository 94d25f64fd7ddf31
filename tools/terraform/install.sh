#!/usr/bin/env bash
# Installs the Terraform tool chain used by tools/terraform/check.sh into <repo>/.local (gitignored).
# Idempotent: each tool is skipped when the pinned version is already there.
#
#   OpenTofu  - built from source through the Go module proxy (no release binary can be downloaded
#               here). `go install ...@vX` is refused because OpenTofu's go.mod has a replace
#               directive, so the module is fetched with `go mod download` and built as main module.
#               Cold: ~5 min on 2 cores (Go build cache empty); warm: < 1 s (skipped).
#   checkov   - from PyPI into a venv. Cold: ~1-2 min; warm: < 1 s (skipped).
#
# Usage: bash tools/terraform/install.sh [tofu|checkov|all]   (default: all)
set -euo pipefail

TOFU_VERSION="1.10.10"
CHECKOV_VERSION="3.3.30"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="${REPO}/.local"
BIN="${LOCAL}/bin"
mkdir -p "${BIN}"

log() { printf '[terraform-install] %s\n' "$*" >&2; }

install_tofu() {
  if [[ -x "${BIN}/tofu" ]] && "${BIN}/tofu" version 2>/dev/null | head -1 | grep -qx "OpenTofu v${TOFU_VERSION}"; then
    log "tofu ${TOFU_VERSION} present"
    return
  fi
  command -v go >/dev/null || { log "go is required to build OpenTofu"; exit 1; }
  local start dir
  start=$(date +%s)
  log "building OpenTofu v${TOFU_VERSION} from the Go module proxy (cold: ~5 min)"
  dir="$(go mod download -json "github.com/opentofu/opentofu@v${TOFU_VERSION}" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error","no Dir")))')"
  # The module cache is read-only: build from it without touching go.mod/go.sum.
  (cd "${dir}" && CGO_ENABLED=0 go build -trimpath -mod=readonly \
    -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
    -o "${BIN}/tofu.tmp" ./cmd/tofu)
  mv "${BIN}/tofu.tmp" "${BIN}/tofu"
  log "tofu built in $(($(date +%s) - start)) s: $("${BIN}/tofu" version | head -1)"
}

install_checkov() {
  local venv="${LOCAL}/checkov-venv"
  if [[ -x "${venv}/bin/checkov" ]] && [[ "$("${venv}/bin/checkov" --version 2>/dev/null)" == "${CHECKOV_VERSION}" ]]; then
    log "checkov ${CHECKOV_VERSION} present"
  else
    local start
    start=$(date +%s)
    log "installing checkov ${CHECKOV_VERSION} from PyPI into ${venv}"
    python3 -m venv "${venv}"
    "${venv}/bin/pip" install --quiet --disable-pip-version-check "checkov==${CHECKOV_VERSION}"
    log "checkov installed in $(($(date +%s) - start)) s"
  fi
  ln -sf "${venv}/bin/checkov" "${BIN}/checkov"
}

case "${1:-all}" in
  tofu) install_tofu ;;
  checkov) install_checkov ;;
  all) install_tofu; install_checkov ;;
  *) log "unknown target: $1"; exit 2 ;;
esac
