#!/usr/bin/env bash
# Deep validation: `tofu validate` with real provider schemas, for every root whose providers can be built
# here. Providers cannot be downloaded from a Terraform registry on this machine, so they are built from
# source through the Go module proxy:
#   hashicorp/google       built (pinned commit below; cold build ~8-11 min on 2 cores, ~180 MB binary)
#   hashicorp/google-beta  NOT available (the Go proxy refuses the module: 403) -> dataflow, root not validated
#   mongodb/mongodbatlas   NOT available (the Go proxy refuses the module: 403) -> mongodb, root not validated
# So this validates modules/pubsub, modules/bigquery, modules/monitoring, modules/jobs (and their examples) and bootstrap.
# Usage: bash tools/terraform/validate.sh        (slow on first run; the binary is cached in .local/)
set -euo pipefail

# terraform-provider-google main at 2026-08-28 (just after the 8.0.0 release; the module path has no /v8
# suffix, so only pseudo-versions resolve through the proxy). Installed as version 8.0.0 for constraint matching.
GOOGLE_PSEUDO_VERSION="v1.20.1-0.20260828184646-f3721fb45fa3"
GOOGLE_AS_VERSION="8.0.0"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="${REPO}/.local"
PLUGINS="${LOCAL}/tofu-plugins"
GOOGLE_DIR="${PLUGINS}/registry.opentofu.org/hashicorp/google/${GOOGLE_AS_VERSION}/linux_amd64"
GOOGLE_BIN="${GOOGLE_DIR}/terraform-provider-google_v${GOOGLE_AS_VERSION}"
STAMP="${GOOGLE_DIR}/.source-version"

bash "${REPO}/tools/terraform/install.sh" tofu
export TF_CLI_CONFIG_FILE="${LOCAL}/tofurc"
touch "${TF_CLI_CONFIG_FILE}"

if [[ ! -x "${GOOGLE_BIN}" || "$(cat "${STAMP}" 2>/dev/null)" != "${GOOGLE_PSEUDO_VERSION}" ]]; then
  start=$(date +%s)
  echo "[validate] building terraform-provider-google ${GOOGLE_PSEUDO_VERSION} (cold: ~8-11 min)" >&2
  dir="$(go mod download -json "github.com/hashicorp/terraform-provider-google@${GOOGLE_PSEUDO_VERSION}" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error","no Dir")))')"
  mkdir -p "${GOOGLE_DIR}"
  (cd "${dir}" && CGO_ENABLED=0 go build -trimpath -mod=readonly -ldflags "-s -w" -o "${GOOGLE_BIN}.tmp" .)
  mv "${GOOGLE_BIN}.tmp" "${GOOGLE_BIN}"
  echo "${GOOGLE_PSEUDO_VERSION}" > "${STAMP}"
  echo "[validate] provider built in $(($(date +%s) - start)) s" >&2
fi

# Work on a copy so that .terraform/ and lock files never land in the repository.
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
mkdir -p "${work}/packages/events" "${work}/apps/analytics"
cp -r "${REPO}/terraform" "${work}/terraform"
cp -r "${REPO}/packages/events/generated" "${work}/packages/events/generated"
mkdir -p "${work}/packages/platform"
cp -r "${REPO}/packages/platform/generated" "${work}/packages/platform/generated"
cp -r "${REPO}/apps/analytics/sql" "${work}/apps/analytics/sql"
mkdir -p "${work}/apps/reconciler" && cp "${REPO}/apps/reconciler/state-schema.json" "${work}/apps/reconciler/"

roots=(
  modules/pubsub modules/pubsub/examples/basic
  modules/bigquery modules/bigquery/examples/basic
  modules/monitoring modules/monitoring/examples/basic
  modules/jobs modules/jobs/examples/basic
  bootstrap
)
failed=0
for root in "${roots[@]}"; do
  printf '%-40s ' "${root}"
  if out="$("${LOCAL}/bin/tofu" -chdir="${work}/terraform/${root}" init -backend=false -input=false -no-color -plugin-dir="${PLUGINS}" 2>&1)" &&
    out="$("${LOCAL}/bin/tofu" -chdir="${work}/terraform/${root}" validate -no-color 2>&1)"; then
    echo "valid"
  else
    echo "INVALID"
    echo "${out}" | sed 's/^/    /'
    failed=1
  fi
done
echo "not validated here (providers unavailable): modules/dataflow, modules/mongodb, the environment root" >&2
exit "${failed}"
