#!/usr/bin/env bash
# Installs the Open Policy Agent CLI (`opa`) into <repo>/.local/bin (gitignored), pinned.
# OPA is the policy engine of policies/terraform (Rego, evaluated on `terraform show -json`).
# No release binary can be downloaded on this workplace, so it is built from the Go module proxy
# with `go install` (OPA's go.mod has no replace directive). Idempotent: skipped when the pinned
# version is already installed.
#   Cold (empty Go build cache, 2 cores): see docs in policies/terraform/README.md; warm: < 1 s.
#
# Usage: bash tools/opa/install.sh            -> prints nothing but logs on stderr
#        OPA_VERSION=1.22.3 is the pin; change it here only.
set -euo pipefail

OPA_VERSION="1.22.3"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${REPO}/.local/bin"
mkdir -p "${BIN}"

log() { printf '[opa-install] %s\n' "$*" >&2; }

if [[ -x "${BIN}/opa" ]] && "${BIN}/opa" version 2>/dev/null | grep -qx "Version: ${OPA_VERSION}"; then
  log "opa ${OPA_VERSION} present"
  exit 0
fi
command -v go >/dev/null || { log "go is required to build OPA (https://go.dev/dl, or apt-get install golang)"; exit 1; }
start=$(date +%s)
log "building opa v${OPA_VERSION} from the Go module proxy (cold: several minutes on 2 cores)"
CGO_ENABLED=0 GOBIN="${BIN}.tmp-opa" go install -trimpath \
  -ldflags "-s -w -X github.com/open-policy-agent/opa/v1/version.Version=${OPA_VERSION}" \
  "github.com/open-policy-agent/opa@v${OPA_VERSION}"
mv "${BIN}.tmp-opa/opa" "${BIN}/opa"
rmdir "${BIN}.tmp-opa" 2>/dev/null || true
log "opa built in $(($(date +%s) - start)) s: $("${BIN}/opa" version | head -1)"
