#!/usr/bin/env bash
# Installs the local stand-ins for Google Cloud services into <repo>/.local/ (gitignored).
#
#   Pub/Sub  -> Google's emulator shipped with the preinstalled gcloud CLI (checked, not installed)
#   MongoDB  -> FerretDB (go install, pinned)               -> .local/bin/ferretdb
#   BigQuery -> bqemulator (PyPI, pinned full dependency set) -> .local/venv/bin/bqemulator
#
#   install.sh                     all three (what `npm run setup` and `npm run setup:test` do)
#   install.sh mongodb|bigquery|pubsub ...   only those (the main job installs each one separately and
#                                  starts what depends on it as soon as it is ready)
#
# Idempotent: a component whose stamp file matches the pinned version is skipped; the stamp is written
# last, and the binary is moved into place only once built and checked, so an interrupted install (Ctrl-C
# kills the builds) never leaves anything counted as installed. FerretDB and bqemulator are independent
# and install in parallel, with a progress line every 15 s while they run.
# Works unattended (CI=true, no stdin). Tool noise goes to .local/install-<component>.log.
set -euo pipefail

# The whole script is one function so that bash parses it completely before running it
# (editing the file while it runs then cannot corrupt the run).
main() {

FERRETDB_VERSION="v1.24.2"
BQEMULATOR_VERSION="1.4.0"
PUBSUB_EMULATOR_EXPECTED="0.8.20" # the component shipped with google-cloud-cli 528.0.0
PYTHON="${PYTHON:-python3.11}"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "${SCRIPT_DIR}/../.." && pwd)"
LOCAL="${REPO}/.local"
BIN="${LOCAL}/bin"
VENV="${LOCAL}/venv"
DUCKDB_HOME="${LOCAL}/duckdb-home"
STAMPS="${LOCAL}/stamps"
LOG="${LOCAL}/install.log" # reassigned per component below
REQUIREMENTS="${SCRIPT_DIR}/requirements-bqemulator.txt"

mkdir -p "${BIN}" "${STAMPS}"

local components=("$@") c
((${#components[@]} > 0)) || components=(pubsub mongodb bigquery)
for c in "${components[@]}"; do
  [[ "${c}" =~ ^(pubsub|mongodb|bigquery)$ ]] || {
    printf '[stack] ERROR: unknown component "%s" (expected pubsub, mongodb or bigquery)\n' "${c}" >&2
    exit 2
  }
done
wants() { [[ " ${components[*]} " == *" $1 "* ]]; }

say() { printf '[stack] %s\n' "$*"; }
die() {
  printf '[stack] ERROR: %s\n' "$*" >&2
  exit 1
}
fail_with_log() {
  printf '[stack] ERROR: %s (last lines of %s follow)\n' "$1" "${LOG}" >&2
  tail -n 40 "${LOG}" >&2 || true
  exit 1
}
now() { date +%s; }
# Sets CPU_S to the CPU seconds (user + sys) used so far by the commands this (sub)shell ran: each
# installer runs in its own background subshell, so this is that installer's CPU. On a loaded machine
# wall time says little; CPU time is what a quiet one would need (spread over its cores). `times` must run
# in this shell itself: in a pipe or $(...) it would report a fresh subshell's counters, all zero.
measure_cpu() {
  local file="${STAMPS}/.times.${BASHPID}"
  times >"${file}"
  CPU_S="$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.0f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "${file}")"
  rm -f "${file}"
}

# ---------------------------------------------------------------- prerequisites
local missing=()
if wants mongodb; then
  command -v go >/dev/null 2>&1 || missing+=("go (Go toolchain >= 1.21, for FerretDB)")
fi
if wants bigquery; then
  command -v "${PYTHON}" >/dev/null 2>&1 || missing+=("${PYTHON} (for bqemulator; set PYTHON=... to override)")
fi
if wants pubsub; then
  command -v gcloud >/dev/null 2>&1 || missing+=("gcloud (Google Cloud CLI, for the Pub/Sub emulator)")
  command -v java >/dev/null 2>&1 || missing+=("java (JRE >= 11, run by the Pub/Sub emulator)")
fi
if ((${#missing[@]} > 0)); then
  printf '[stack] ERROR: missing prerequisites:\n' >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

# ---------------------------------------------------------------- Pub/Sub emulator (preinstalled)
# Checked in parallel with the installs below: `gcloud version` alone takes seconds.
check_pubsub() {
local t0 SDK_ROOT pubsub_version
t0=$(now)
SDK_ROOT="$(dirname "$(dirname "$(readlink -f "$(command -v gcloud)")")")"
if [[ ! -x "${SDK_ROOT}/platform/pubsub-emulator/bin/cloud-pubsub-emulator" ]]; then
  die "the gcloud Pub/Sub emulator component is not installed under ${SDK_ROOT}/platform/pubsub-emulator
  install it with 'gcloud components install pubsub-emulator beta' or 'apt-get install google-cloud-cli-pubsub-emulator'"
fi
pubsub_version="$(CLOUDSDK_CORE_DISABLE_PROMPTS=1 gcloud version 2>/dev/null | awk '$1=="pubsub-emulator"{print $2}')"
if [[ "${pubsub_version}" != "${PUBSUB_EMULATOR_EXPECTED}" ]]; then
  say "pubsub:   WARNING found emulator ${pubsub_version:-unknown}, tested with ${PUBSUB_EMULATOR_EXPECTED}"
fi
say "pubsub:   gcloud emulator ${pubsub_version:-unknown} present ($(($(now) - t0))s)"
}

# ---------------------------------------------------------------- FerretDB
install_ferretdb() {
LOG="${LOCAL}/install-ferretdb.log"
: >"${LOG}"
local t0 stamp
t0=$(now)
stamp="${STAMPS}/ferretdb"
if [[ -x "${BIN}/ferretdb" && "$(cat "${stamp}" 2>/dev/null || true)" == "${FERRETDB_VERSION}" ]]; then
  say "mongodb:  FerretDB ${FERRETDB_VERSION} already installed (skip)"
else
  say "mongodb:  building FerretDB ${FERRETDB_VERSION} from the Go module proxy (about 2-3 min)..."
  # A plain `go install .../cmd/ferretdb@v1.24.2` builds, but the binary panics at start-up: the module
  # zip lacks the generated build/version/version.txt. So: download the module, copy it, write that file
  # (what FerretDB's `bin/task gen-version` would do) and build cmd/ferretdb from the copy.
  local moddir src
  moddir="$(cd "${LOCAL}" && go mod download -json "github.com/FerretDB/FerretDB@${FERRETDB_VERSION}" 2>>"${LOG}" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')" || true
  [[ -n "${moddir}" && -d "${moddir}" ]] || fail_with_log "go mod download of FerretDB ${FERRETDB_VERSION} failed"
  src="${LOCAL}/src/ferretdb-${FERRETDB_VERSION}"
  rm -rf "${src}"
  mkdir -p "$(dirname "${src}")"
  cp -r "${moddir}" "${src}"
  chmod -R u+w "${src}"
  echo "${FERRETDB_VERSION}" >"${src}/build/version/version.txt"
  echo "local" >"${src}/build/version/package.txt"
  # Build flags that cut compile time without changing what the sqlite handler does (stack/services.ts
  # runs --handler=sqlite): CGO_ENABLED=0 and -trimpath as FerretDB's own production image
  # (FerretDB/FerretDB@v1.24.2:build/ferretdb/production.Dockerfile), the upstream build tag
  # ferretdb_no_postgresql (cmd/ferretdb/main_postgresql.go, internal/handler/registry/postgresql.go)
  # leaves out the PostgreSQL backend and its pgx driver, and -s -w skip the symbol table and DWARF
  # (panics still print Go stack traces: those come from the pclntab, which stays).
  # Built beside its final place and moved there only once it runs: an interrupted build leaves no
  # half-written .local/bin/ferretdb behind.
  rm -f "${stamp}"
  if ! (cd "${src}" && CGO_ENABLED=0 GOFLAGS="-buildvcs=false" go build -trimpath -tags ferretdb_no_postgresql \
    -ldflags="-s -w" -o "${BIN}/.ferretdb.partial" ./cmd/ferretdb) >>"${LOG}" 2>&1; then
    fail_with_log "go build of FerretDB ${FERRETDB_VERSION} failed"
  fi
  "${BIN}/.ferretdb.partial" --version >>"${LOG}" 2>&1 || fail_with_log "the built ferretdb binary does not run"
  mv -f "${BIN}/.ferretdb.partial" "${BIN}/ferretdb"
  rm -rf "${src}"
  echo "${FERRETDB_VERSION}" >"${stamp}"
  measure_cpu
  say "mongodb:  FerretDB ${FERRETDB_VERSION} installed in $(($(now) - t0))s (CPU ${CPU_S}s)"
fi
}

# ---------------------------------------------------------------- bqemulator
install_bqemulator() {
LOG="${LOCAL}/install-bqemulator.log"
: >"${LOG}"
local t0 stamp want duckdb_version ext_dir src got
t0=$(now)
stamp="${STAMPS}/bqemulator"
want="${BQEMULATOR_VERSION} $(sha256sum "${REQUIREMENTS}" | cut -c1-16)"
if [[ -x "${VENV}/bin/bqemulator" && "$(cat "${stamp}" 2>/dev/null || true)" == "${want}" ]]; then
  say "bigquery: bqemulator ${BQEMULATOR_VERSION} already installed (skip)"
else
  say "bigquery: installing bqemulator ${BQEMULATOR_VERSION} into .local/venv (about 1 min)..."
  rm -f "${stamp}" # a venv changed half-way is not installed until the checks below pass
  if [[ ! -x "${VENV}/bin/python" ]] || ! "${VENV}/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    rm -rf "${VENV}"
    "${PYTHON}" -m venv "${VENV}" >>"${LOG}" 2>&1 || fail_with_log "could not create the venv with ${PYTHON}"
  fi
  # --only-binary: wheels only, never a compiler run for an sdist. --no-compile: no .pyc for the ~70
  # packages up front; Python compiles (and caches in the venv) only the modules bqemulator imports.
  if ! PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
    "${VENV}/bin/pip" install --quiet --only-binary=:all: --no-compile -r "${REQUIREMENTS}" >>"${LOG}" 2>&1; then
    fail_with_log "pip install -r ${REQUIREMENTS} failed"
  fi
  # DuckDB extensions shipped as PyPI packages -> the extension dir DuckDB looks in (HOME is overridden
  # to .local/duckdb-home when the emulator runs), so `INSTALL spatial` needs no download.
  duckdb_version="$("${VENV}/bin/python" -c 'import duckdb; print(duckdb.__version__)')"
  ext_dir="${DUCKDB_HOME}/.duckdb/extensions/v${duckdb_version}/linux_amd64"
  mkdir -p "${ext_dir}"
  for ext in spatial avro; do
    src="$(ls "${VENV}"/lib/python3.11/site-packages/duckdb_extension_${ext}/extensions/v"${duckdb_version}"/${ext}.duckdb_extension 2>/dev/null || true)"
    [[ -n "${src}" ]] || fail_with_log "duckdb-extension-${ext} for duckdb ${duckdb_version} is missing from the venv"
    cp "${src}" "${ext_dir}/"
  done
  HOME="${DUCKDB_HOME}" "${VENV}/bin/python" -c 'import duckdb; c = duckdb.connect(); c.execute("INSTALL spatial"); c.execute("LOAD spatial")' \
    >>"${LOG}" 2>&1 || fail_with_log "DuckDB cannot load the spatial extension from ${ext_dir}"
  got="$("${VENV}/bin/bqemulator" --version 2>>"${LOG}" || true)"
  [[ "${got}" == *"${BQEMULATOR_VERSION}"* ]] || fail_with_log "bqemulator --version says '${got}', expected ${BQEMULATOR_VERSION}"
  echo "${want}" >"${stamp}"
  measure_cpu
  say "bigquery: bqemulator ${BQEMULATOR_VERSION} installed in $(($(now) - t0))s (CPU ${CPU_S}s)"
fi
}

# ---------------------------------------------------------------- both, in parallel
# Each installer runs in a background subshell (its own log, its own exit status); the foreground prints
# what is still running every 15 s so a first install never looks hung.
local started pids=() names=() status=0 i
started=$(now)
# Ctrl-C or SIGTERM: stop the installers and their builds (go, pip) too, then exit non-zero. Nothing they
# leave is counted as installed (stamps are written last).
kill_tree() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do kill_tree "${child}"; done
  kill -TERM "$1" 2>/dev/null || true
}
stop_installers() {
  trap - INT TERM
  for i in "${!pids[@]}"; do kill_tree "${pids[i]}"; done
  wait 2>/dev/null || true
  rm -f "${BIN}/.ferretdb.partial"
  printf '[stack] interrupted: nothing half-installed is marked as installed\n' >&2
  exit 130
}
trap stop_installers INT TERM
if wants pubsub; then
  check_pubsub &
  pids+=($!)
  names+=("pubsub (emulator check)")
fi
if wants mongodb; then
  install_ferretdb &
  pids+=($!)
  names+=("mongodb (FerretDB)")
fi
if wants bigquery; then
  install_bqemulator &
  pids+=($!)
  names+=("bigquery (bqemulator)")
fi
local ticks=0 running
while :; do
  running=()
  for i in "${!pids[@]}"; do kill -0 "${pids[i]}" 2>/dev/null && running+=("${names[i]}"); done
  ((${#running[@]} == 0)) && break
  # The main job prints its own "still installing" lines (one for all stand-ins): it sets this to 0.
  if [[ "${STACK_INSTALL_PROGRESS:-1}" != 0 ]] && ((ticks > 0 && ticks % 30 == 0)); then
    say "... still installing: ${running[*]} ($(($(now) - started))s)"
  fi
  ticks=$((ticks + 1))
  sleep 0.5
done
for i in "${!pids[@]}"; do
  wait "${pids[i]}" || status=1
done
((status == 0)) || die "a stand-in failed to install or check (see the messages above)"
say "ready in $(($(now) - started))s: ${components[*]}"
}

main "$@"
