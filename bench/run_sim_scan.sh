#!/usr/bin/env bash
# Builds sim_scan_benchmark in Release into build-bench/ and runs it; arguments go to the
# benchmark (e.g. --rows 200000 --threads 2). See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${CQLBULK_BENCH_BUILD_DIR:-build-bench}
# Let ccache share objects between clones at different paths, as scripts/build.sh does.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCQLBULK_BUILD_BENCH=ON \
    -DCQLBULK_BUILD_TESTS=OFF >/dev/null
fi
ninja -C "$BUILD_DIR" -j "${CQLBULK_BENCH_JOBS:-2}" sim_scan_benchmark >&2
exec "$BUILD_DIR/bench/sim_scan_benchmark" "$@"
