#!/usr/bin/env bash
# The main job: install, build, start a local 3-node cqlsim cluster and show cqlbulk at work.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh cqlbulk cqlsim fill >/dev/null

BIN=build/apps
ADDRESS=127.0.40.1
ADMIN_PORT=9140
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step cqlbulk --version
"$BIN/cqlbulk" --version

step cqlsim --nodes 3 --vnodes 4 --seed 42 --address $ADDRESS --admin-port $ADMIN_PORT '&'
"$BIN/cqlsim" --nodes 3 --vnodes 4 --seed 42 --address $ADDRESS --admin-port $ADMIN_PORT \
  >build/demo-cqlsim.log 2>&1 &
SIM_PID=$!
trap 'kill $SIM_PID 2>/dev/null; wait $SIM_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q ready build/demo-cqlsim.log 2>/dev/null && break
  sleep 0.1
done
cat build/demo-cqlsim.log

step cqlsim ctl --admin 127.0.0.1:$ADMIN_PORT status
"$BIN/cqlsim" ctl --admin 127.0.0.1:$ADMIN_PORT status

step "build/examples/fill $ADDRESS 1000000   # writes demo.events with the library's driver"
build/examples/fill $ADDRESS 1000000

step cqlbulk ring --hosts $ADDRESS -k demo
"$BIN/cqlbulk" ring --hosts $ADDRESS -k demo

step cqlbulk count --hosts $ADDRESS -k demo -t events --stats global,hosts,partitions --partitions 5 \
  --summary-json build/demo-count.json
"$BIN/cqlbulk" count --hosts $ADDRESS -k demo -t events --stats global,hosts,partitions \
  --partitions 5 --summary-json build/demo-count.json

step cqlsim ctl --admin 127.0.0.1:$ADMIN_PORT status
"$BIN/cqlsim" ctl --admin 127.0.0.1:$ADMIN_PORT status

step "cqlsim ctl stop 2, then count again (RF 2: every range still has a live replica)"
"$BIN/cqlsim" ctl --admin 127.0.0.1:$ADMIN_PORT stop 2
"$BIN/cqlbulk" count --hosts $ADDRESS -k demo -t events

step "/usr/bin/python3 bench/baseline_count.py $ADDRESS demo events   # the seed's design, for comparison"
/usr/bin/python3 bench/baseline_count.py $ADDRESS demo events
