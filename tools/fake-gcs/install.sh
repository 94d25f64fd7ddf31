#!/usr/bin/env bash
# Installs fsouza/fake-gcs-server (a local Google Cloud Storage stand-in, pinned) into <repo>/.local/bin with
# `go install` from the Go module proxy. Used by the dataflow-template action's integration test through the
# real @google-cloud/storage client. Idempotent: skipped when the stamp matches the pinned version.
set -euo pipefail

main() {
  local version="v1.56.1"
  local script_dir repo bin stamps stamp log t0
  script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  repo="$(cd "${script_dir}/../.." && pwd)"
  bin="${repo}/.local/bin"
  stamps="${repo}/.local/stamps"
  stamp="${stamps}/fake-gcs-server"
  log="${repo}/.local/fake-gcs-install.log"
  say() { printf '[fake-gcs] %s\n' "$*"; }

  command -v go >/dev/null 2>&1 || {
    printf '[fake-gcs] ERROR: go not found (Go toolchain >= 1.23 needed to build fake-gcs-server)\n' >&2
    exit 1
  }
  mkdir -p "${bin}" "${stamps}"
  if [[ -x "${bin}/fake-gcs-server" && "$(cat "${stamp}" 2>/dev/null || true)" == "${version}" ]]; then
    say "fake-gcs-server ${version} already installed (skip)"
    return 0
  fi
  t0=$(date +%s)
  say "building github.com/fsouza/fake-gcs-server@${version} into ${bin} (cold: about 1-2 min) ..."
  if ! GOBIN="${bin}" GOFLAGS=-mod=mod CGO_ENABLED=0 go install "github.com/fsouza/fake-gcs-server@${version}" >"${log}" 2>&1; then
    tail -n 40 "${log}" >&2
    exit 1
  fi
  printf '%s' "${version}" >"${stamp}"
  say "installed ${bin}/fake-gcs-server ${version} ($(($(date +%s) - t0))s)"
}

main "$@"
