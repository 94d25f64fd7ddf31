#!/usr/bin/env bash
# Installs everything the integration tests need, independent installs in parallel: the stand-ins of the
# main job (tools/stack/install.sh, also run by `npm start`) plus the test-only tools, the Nashorn UDF
# harness (tools/nashorn) and fake-gcs-server (tools/fake-gcs). Each installer prefixes its own progress
# lines ([stack], [nashorn], [fake-gcs]) and is idempotent. Fails when any of them fails.
set -euo pipefail

main() {
  local repo pids=() names=() status=0 i
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  local scripts=("tools/stack/install.sh" "tools/nashorn/install.sh" "tools/fake-gcs/install.sh")
  for script in "${scripts[@]}"; do
    bash "${repo}/${script}" &
    pids+=($!)
    names+=("${script}")
  done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[i]}"; then
      printf '[setup] ERROR: %s failed\n' "${names[i]}" >&2
      status=1
    fi
  done
  return "${status}"
}

main "$@"
