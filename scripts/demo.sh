#!/usr/bin/env bash
# The main job: install, build, and show cqlbulk at work.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh cqlbulk >/dev/null

BIN=build/apps/cqlbulk
echo "\$ cqlbulk --version"
"$BIN" --version
echo
echo "\$ cqlbulk ring --nodes 3 --vnodes 4 --seed 42 --replication \"{'class': 'SimpleStrategy', 'replication_factor': 2}\""
"$BIN" ring --nodes 3 --vnodes 4 --seed 42 \
  --replication "{'class': 'SimpleStrategy', 'replication_factor': 2}"
