#!/usr/bin/env bash
# Static checks of terraform/ that need tools (jest runs the structural tests without any):
#   1. tofu fmt -check -recursive      formatting (and full HCL syntax parse of every file)
#   2. checkov                          static security scan; any failed check fails, suppressions need reasons
#   3. README sync                      generated Inputs/Outputs tables match the code
#   4. encryption.tofu with real tofu   state and saved plans encrypted (pbkdf2 stand-in for Cloud KMS)
#   5. tofu validate with real provider schemas (tools/terraform/validate.sh; builds the google provider from the
#      Go module proxy on first use: no Terraform registry is reachable here or in CI). The unit tests that drive
#      the real provider (terraform/test/slack-token.test.ts) use the provider this step builds.
# Installs pinned tools on first use (tools/terraform/install.sh). Exit code != 0 on any finding.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${REPO}/.local/bin"
cd "${REPO}"

bash tools/terraform/install.sh all
TOFU="$(bash tools/terraform/install.sh tofu-path)"

export TF_CLI_CONFIG_FILE="${REPO}/.local/tofurc"
touch "${TF_CLI_CONFIG_FILE}"
export BC_SKIP_MAPPING=TRUE CHECKOV_SKIP_DOWNLOAD=TRUE

step() { printf '\n== %s\n' "$*"; }
t0=$(date +%s)

step "tofu fmt -check -recursive terraform"
if ! "${TOFU}" fmt -check -recursive -diff terraform; then
  echo "Formatting differs: run '${TOFU#"${REPO}/"} fmt -recursive terraform'." >&2
  exit 1
fi

step "checkov -d terraform"
"${BIN}/checkov" --config-file terraform/.checkov.yaml -d terraform

step "README inputs/outputs in sync"
npx --no-install tsx tools/terraform/readme.ts --check

step "state and plan encryption (real tofu, tools/terraform/test-encryption.sh)"
bash tools/terraform/test-encryption.sh

step "tofu validate with provider schemas (tools/terraform/validate.sh)"
bash tools/terraform/validate.sh

echo
echo "terraform checks passed in $(($(date +%s) - t0)) s"
