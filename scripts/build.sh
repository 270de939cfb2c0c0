#!/usr/bin/env bash
# Configures and builds cqlbulk into build/ (Ninja, ccache). Extra arguments go to ninja.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${CQLBULK_BUILD_DIR:-build}
# Let ccache share objects between clones at different paths (CI builds a fresh clone).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${CQLBULK_CMAKE_ARGS:-} >/dev/null
fi
ninja -C "$BUILD_DIR" "$@"
