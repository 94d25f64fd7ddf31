#!/usr/bin/env bash
# Deep validation: `tofu validate` with real provider schemas, for every root whose providers can be built
# here. Providers cannot be downloaded from a Terraform registry on this machine, so they are built from
# source through the Go module proxy:
#   hashicorp/google       built (pinned commit below; cold build ~8-11 min on 2 cores, ~180 MB binary)
#   hashicorp/google-beta  the Go proxy refuses the module (403)
#   mongodb/mongodbatlas   the Go proxy refuses the module (403)
#   hashicorp/random       v3 is not served by the Go proxy (only v1/v2)
# Those three can be built from a git snapshot of their repository instead, when their dependencies come from
# the proxy: point GOOGLE_BETA_GIT_DIR, MONGODBATLAS_GIT_DIR and RANDOM_GIT_DIR at bare git directories
# (e.g. `git clone --bare`); each is built once per commit (~11 min for google-beta on a busy 2-core machine)
# and cached. Measured here: google-beta@93c65b2 builds (then modules/dataflow is validated); mongodbatlas
# does NOT (its dependencies github.com/mongodb/atlas-sdk-go and go.mongodb.org/atlas-sdk/* are refused by the
# proxy, 403), so modules/mongodb and the environment root stay unvalidated here.
# Always validated: modules/pubsub, modules/bigquery, modules/monitoring, modules/jobs (and their examples) and bootstrap.
# Usage: bash tools/terraform/validate.sh        (slow on first run; binaries are cached in .local/)
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
TOFU="$(bash "${REPO}/tools/terraform/install.sh" tofu-path)"
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

# build_from_git NAMESPACE NAME AS_VERSION GIT_DIR: builds the provider at the git dir's HEAD, installed as
# AS_VERSION (the release its snapshot corresponds to) so that version constraints match.
build_from_git() {
  local ns="$1" name="$2" as_version="$3" git_dir="$4" dir bin commit src start
  dir="${PLUGINS}/registry.opentofu.org/${ns}/${name}/${as_version}/linux_amd64"
  bin="${dir}/terraform-provider-${name}_v${as_version}"
  commit="$(git --git-dir="${git_dir}" rev-parse HEAD)"
  if [[ -x "${bin}" && "$(cat "${dir}/.source-version" 2>/dev/null)" == "${commit}" ]]; then return; fi
  start=$(date +%s)
  echo "[validate] building ${ns}/${name} at ${commit} from ${git_dir} as ${as_version}" >&2
  src="$(mktemp -d)"
  git --git-dir="${git_dir}" archive HEAD | tar -x -C "${src}"
  mkdir -p "${dir}"
  if ! (cd "${src}" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "${bin}.tmp" .); then
    echo "[validate] could not build ${ns}/${name} (see above); roots that need it are skipped" >&2
    rm -rf "${src}"
    return 0
  fi
  mv "${bin}.tmp" "${bin}"
  echo "${commit}" > "${dir}/.source-version"
  rm -rf "${src}"
  echo "[validate] ${name} built in $(($(date +%s) - start)) s" >&2
}

for spec in "hashicorp google-beta 8.0.0 GOOGLE_BETA_GIT_DIR" "mongodb mongodbatlas 2.16.0 MONGODBATLAS_GIT_DIR" \
  "hashicorp random 3.9.0 RANDOM_GIT_DIR"; do
  read -r ns name version var <<<"${spec}"
  if [[ -n "${!var:-}" ]]; then build_from_git "${ns}" "${name}" "${version}" "${!var}"; fi
done
have() { [[ -x "${PLUGINS}/registry.opentofu.org/$1/$2/$3/linux_amd64/terraform-provider-$2_v$3" ]]; }

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
skipped=()
if have hashicorp google-beta 8.0.0; then
  roots+=(modules/dataflow modules/dataflow/examples/basic)
else
  skipped+=("modules/dataflow (google-beta)")
fi
if have mongodb mongodbatlas 2.16.0 && have hashicorp random 3.9.0; then
  roots+=(modules/mongodb modules/mongodb/examples/basic)
  if have hashicorp google-beta 8.0.0; then roots+=(.); else skipped+=(". (google-beta)"); fi
else
  skipped+=("modules/mongodb, the environment root (mongodbatlas/random)")
fi
# The environment root's encryption.tofu must be resolvable at init; validation reads no state, so any
# well-formed key name does (no KMS call is made without state to read or write).
export TF_VAR_state_encryption_key="projects/validate/locations/global/keyRings/validate/cryptoKeys/validate"
failed=0
for root in "${roots[@]}"; do
  printf '%-40s ' "${root}"
  if out="$("${TOFU}" -chdir="${work}/terraform/${root}" init -backend=false -input=false -no-color -plugin-dir="${PLUGINS}" 2>&1)" &&
    out="$("${TOFU}" -chdir="${work}/terraform/${root}" validate -no-color 2>&1)"; then
    echo "valid"
  else
    echo "INVALID"
    echo "${out}" | sed 's/^/    /'
    failed=1
  fi
done
# Plan-time module tests (`tests/*.tftest.hcl`, mocked provider with the real schema): modules/jobs.
for root in modules/jobs; do
  printf '%-40s ' "${root} (tofu test)"
  if out="$("${TOFU}" -chdir="${work}/terraform/${root}" test -no-color 2>&1)"; then
    echo "passed"
  else
    echo "FAILED"
    echo "${out}" | sed 's/^/    /'
    failed=1
  fi
done
if ((${#skipped[@]})); then
  echo "not validated (provider not built; see the header): ${skipped[*]}" >&2
fi
exit "${failed}"
