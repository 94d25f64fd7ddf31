#!/usr/bin/env bash
# npm run test:integration [-- jest arguments]: the jest integration project on the machine's Node, then on
# Node 24 (what the actions run on GitHub; test/node24.sh), each with the same arguments.
#
# Each run's globalSetup starts the `test` stand-ins fresh and its teardown stops them: start-up measured
# 3.6 s (pubsub, mongodb, bigquery in parallel), so sharing one start between the runs is not worth leaving
# the first run's data to the second.
#
# SHOPSTREAM_TEST_NODES=machine|24|both (default both) picks the runs, e.g. machine for a quick targeted run.
# Both runs happen even when the first fails; the exit code is non-zero if either failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
jest=(--experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js
  --selectProjects integration --runInBand "$@")
nodes="${SHOPSTREAM_TEST_NODES:-both}"
case "$nodes" in
  machine | 24 | both) ;;
  *) echo "SHOPSTREAM_TEST_NODES must be machine, 24 or both (got '$nodes')" >&2; exit 2 ;;
esac

failed=()
if [ "$nodes" != 24 ]; then
  echo "=== integration tests on the machine's Node $(node --version) ===" >&2
  node "${jest[@]}" || failed+=("machine Node $(node --version)")
fi
if [ "$nodes" != machine ]; then
  echo "=== integration tests on Node 24 ===" >&2
  bash test/node24.sh "${jest[@]}" || failed+=("Node 24")
fi
if [ "${#failed[@]}" -gt 0 ]; then
  echo "integration tests failed on: ${failed[*]}" >&2
  exit 1
fi
