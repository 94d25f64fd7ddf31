#!/usr/bin/env bash
# Installs the Terraform tool chain used by tools/terraform/check.sh into <repo>/.local (gitignored).
# Idempotent: each tool is skipped when the pinned version is already there.
#
#   OpenTofu  - built from source through the Go module proxy (no release binary can be downloaded
#               here) into .local/opentofu/<version>/tofu, so that branches pinning different versions
#               never overwrite each other's binary (`install.sh tofu-path` prints the path). `go install ...@vX` is refused because OpenTofu's go.mod has a replace
#               directive, so the module is fetched with `go mod download` and built as main module.
#               Cold: ~5 min on 2 cores (Go build cache empty); warm: < 1 s (skipped).
#   checkov   - from PyPI into a venv. Cold: ~1-2 min; warm: < 1 s (skipped).
#
# Usage: bash tools/terraform/install.sh [tofu|checkov|all|tofu-path]   (default: all)
#
# OpenTofu >= 1.11 is required: the Slack token reaches the alert channels as a write-only argument from an
# ephemeral variable given at apply time (terraform/modules/monitoring). 1.12 is the oldest supported series
# (opentofu/opentofu CHANGELOG.md: 1.11.x supported until 2026-08-01, 1.12.x until 2027-02-01).
set -euo pipefail

TOFU_VERSION="1.12.6"
CHECKOV_VERSION="3.3.30"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="${REPO}/.local"
BIN="${LOCAL}/bin"
TOFU="${LOCAL}/opentofu/${TOFU_VERSION}/tofu"

log() { printf '[terraform-install] %s\n' "$*" >&2; }

install_tofu() {
  # An empty CLI configuration: tofu >= 1.12 prints a missing TF_CLI_CONFIG_FILE's warning on stdout.
  if [[ -x "${TOFU}" ]] && TF_CLI_CONFIG_FILE=/dev/null "${TOFU}" version 2>/dev/null | head -1 | grep -qx "OpenTofu v${TOFU_VERSION}"; then
    log "tofu ${TOFU_VERSION} present"
    return
  fi
  command -v go >/dev/null || { log "go is required to build OpenTofu"; exit 1; }
  local start dir
  mkdir -p "$(dirname "${TOFU}")"
  start=$(date +%s)
  log "building OpenTofu v${TOFU_VERSION} from the Go module proxy (cold: ~5 min)"
  dir="$(go mod download -json "github.com/opentofu/opentofu@v${TOFU_VERSION}" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error","no Dir")))')"
  # The module cache is read-only: build from it without touching go.mod/go.sum.
  (cd "${dir}" && CGO_ENABLED=0 go build -trimpath -mod=readonly \
    -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
    -o "${TOFU}.tmp" ./cmd/tofu)
  mv "${TOFU}.tmp" "${TOFU}"
  log "tofu built in $(($(date +%s) - start)) s: $(TF_CLI_CONFIG_FILE=/dev/null "${TOFU}" version | head -1)"
}

install_checkov() {
  local venv="${LOCAL}/checkov-venv"
  mkdir -p "${BIN}"
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
  tofu-path) echo "${TOFU}" ;;
  *) log "unknown target: $1"; exit 2 ;;
esac
