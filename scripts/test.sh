#!/usr/bin/env bash
# Installs, builds and runs every test: the fuzz targets for a bounded time, then the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

echo "== build"
bash scripts/build.sh

echo "== fuzz (libFuzzer, clang, ASan+UBSan, bounded time)"
bash scripts/fuzz.sh "${CQLBULK_FUZZ_SECONDS:-20}"

echo "== tests"
ctest --test-dir build --output-on-failure -j2 --timeout 600
