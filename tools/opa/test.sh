#!/usr/bin/env bash
# Checks and tests the Rego policies: installs the pinned OPA if needed, then
#   opa fmt (must be formatted), opa check --strict, opa test policies/terraform.
# Usage: bash tools/opa/test.sh
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "${REPO}/tools/opa/install.sh"
OPA="${REPO}/.local/bin/opa"
cd "${REPO}"
unformatted="$("${OPA}" fmt --list policies/terraform)"
if [[ -n "${unformatted}" ]]; then
  echo "Rego files not formatted (run: .local/bin/opa fmt -w policies/terraform):" >&2
  echo "${unformatted}" >&2
  exit 1
fi
"${OPA}" check --strict policies/terraform
"${OPA}" test policies/terraform
