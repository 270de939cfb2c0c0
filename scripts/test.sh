#!/usr/bin/env bash
# Installs, builds and runs every test: the fuzz targets for a bounded time, then the suite,
# with a real Apache Cassandra cluster (scripts/cassandra.sh) for the `cassandra` label.
#
#   CQLBULK_FUZZ_SECONDS      seconds per fuzz target (default 20)
#   CQLBULK_CASSANDRA_NODES   nodes of the real cluster (default 3)
#   CQLBULK_SKIP_CASSANDRA=1  run without the real cluster (the `cassandra` label is left out)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

echo "== build"
bash scripts/build.sh

echo "== format referees (pyarrow, DuckDB from PyPI; hyparquet from npm)"
bash scripts/install-referees.sh

echo "== fuzz (libFuzzer, clang, ASan+UBSan, bounded time)"
bash scripts/fuzz.sh "${CQLBULK_FUZZ_SECONDS:-20}"

echo "== DataStax Bulk Loader (the peer of tests/e2e/dsbulk_interop_test.py), from Maven Central"
bash bench/install_peers.sh

ctest_args=(--test-dir build --output-on-failure -j2 --timeout 1200)
if [ "${CQLBULK_SKIP_CASSANDRA:-0}" = 1 ]; then
  echo "== tests (without the real Cassandra cluster: CQLBULK_SKIP_CASSANDRA=1)"
  exec ctest "${ctest_args[@]}" -LE cassandra
fi

echo "== real Apache Cassandra cluster"
bash scripts/cassandra.sh install
# Stop only what this run started: a cluster a developer had running stays up.
if bash scripts/cassandra.sh status | grep -qE '^node[0-9]+ .* up '; then
  echo "a cluster is already running: the tests use it"
else
  trap 'bash scripts/cassandra.sh stop' EXIT
  bash scripts/cassandra.sh start "${CQLBULK_CASSANDRA_NODES:-3}" --fresh
fi

echo "== tests"
ctest "${ctest_args[@]}"
