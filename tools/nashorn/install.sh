#!/usr/bin/env bash
# Installs the Nashorn UDF harness into <repo>/.local/nashorn (gitignored):
#   - org.openjdk.nashorn:nashorn-core (version pinned in pom.xml) and its ASM dependencies, resolved by Maven
#     from Maven Central into a project-local repository (.local/m2) and copied to .local/nashorn/lib;
#   - UdfRunner.java compiled with javac into .local/nashorn/classes.
# Idempotent: skipped when the stamp matches the hash of pom.xml + UdfRunner.java. Once .local/m2 holds the
# artifacts, Maven runs offline (-o). Unattended (no stdin); prints what it does.
set -euo pipefail

main() {
  local script_dir repo local_dir out m2 stamp want
  script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  repo="$(cd "${script_dir}/../.." && pwd)"
  local_dir="${repo}/.local"
  out="${local_dir}/nashorn"
  m2="${local_dir}/m2"
  stamp="${out}/stamp"

  say() { printf '[nashorn] %s\n' "$*"; }
  for tool in java javac mvn; do
    command -v "${tool}" >/dev/null 2>&1 || {
      printf '[nashorn] ERROR: %s not found (needs a JDK >= 11 and Maven 3)\n' "${tool}" >&2
      exit 1
    }
  done

  want="$(cat "${script_dir}/pom.xml" "${script_dir}/src/main/java/UdfRunner.java" | sha256sum | cut -c1-16)"
  if [[ -f "${stamp}" && "$(cat "${stamp}")" == "${want}" && -f "${out}/classes/UdfRunner.class" ]]; then
    say "harness ${want} already installed in ${out} (skip)"
    return 0
  fi

  local t0 offline=()
  t0=$(date +%s)
  mkdir -p "${out}" "${m2}"
  [[ -d "${m2}/org/openjdk/nashorn/nashorn-core" ]] && offline=(-o)
  say "resolving nashorn-core with Maven ${offline[*]:-(online)} into ${m2} ..."
  rm -rf "${out}/lib" "${out}/classes"
  if ! mvn -B -q "${offline[@]}" -f "${script_dir}/pom.xml" -Dmaven.repo.local="${m2}" \
    dependency:copy-dependencies -DoutputDirectory="${out}/lib" -DincludeScope=runtime \
    >"${out}/maven.log" 2>&1; then
    if [[ ${#offline[@]} -gt 0 ]]; then
      say "offline resolution failed; retrying online"
      mvn -B -q -f "${script_dir}/pom.xml" -Dmaven.repo.local="${m2}" \
        dependency:copy-dependencies -DoutputDirectory="${out}/lib" -DincludeScope=runtime \
        >"${out}/maven.log" 2>&1 || { tail -n 40 "${out}/maven.log" >&2; exit 1; }
    else
      tail -n 40 "${out}/maven.log" >&2
      exit 1
    fi
  fi
  say "jars: $(cd "${out}/lib" && ls | tr '\n' ' ')"
  say "compiling UdfRunner.java ..."
  mkdir -p "${out}/classes"
  javac -nowarn -encoding UTF-8 -d "${out}/classes" -cp "${out}/lib/*" "${script_dir}/src/main/java/UdfRunner.java"
  printf '%s' "${want}" >"${stamp}"
  say "installed in ${out} ($(($(date +%s) - t0))s); run: java -cp '${out}/classes:${out}/lib/*' UdfRunner"
}

main "$@"
