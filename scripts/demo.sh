#!/usr/bin/env bash
# The main job: install, build, start a local 3-node cluster and show cqlbulk at work.
#
#   bash scripts/demo.sh              on cqlsim, the embedded Cassandra-compatible cluster
#   bash scripts/demo.sh --cassandra  on a real Apache Cassandra cluster (scripts/cassandra.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=sim
case "${1:-}" in
  "") ;;
  --cassandra) KIND=cassandra ;;
  *) echo "usage: bash scripts/demo.sh [--cassandra]" >&2; exit 2 ;;
esac
bash scripts/install-deps.sh
bash scripts/build.sh cqlbulk cqlsim fill >/dev/null

BIN=build/apps
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

if [ "$KIND" = sim ]; then
  ADDRESS=127.0.40.1
  ADMIN_PORT=9140
  ROWS=1000000
  ORDERS=100000
  cluster_status() {
    step cqlsim ctl --admin 127.0.0.1:$ADMIN_PORT status
    "$BIN/cqlsim" ctl --admin 127.0.0.1:$ADMIN_PORT status
  }
  stop_node() { "$BIN/cqlsim" ctl --admin 127.0.0.1:$ADMIN_PORT stop "$1"; }

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
else
  ADDRESS=127.0.0.1
  ROWS=200000  # a real cluster on 2 cores takes writes more slowly than cqlsim
  ORDERS=100000
  cluster_status() {
    step scripts/cassandra.sh nodetool 1 status
    bash scripts/cassandra.sh nodetool 1 status
  }
  stop_node() { bash scripts/cassandra.sh stop-node "$1"; }

  step bash scripts/cassandra.sh start 3
  if bash scripts/cassandra.sh status | grep -qE '^node[0-9]+ .* up '; then
    echo "(already running: the demo uses it and leaves it running)"
    trap 'bash scripts/cassandra.sh start-node 2 >/dev/null' EXIT
  else
    trap 'bash scripts/cassandra.sh stop' EXIT
    bash scripts/cassandra.sh start 3
  fi
fi

step cqlbulk --version
"$BIN/cqlbulk" --version

cluster_status

step "build/examples/fill $ADDRESS $ROWS   # writes demo.events with the library's driver"
build/examples/fill $ADDRESS $ROWS

step cqlbulk ring --hosts $ADDRESS -k demo
"$BIN/cqlbulk" ring --hosts $ADDRESS -k demo

step cqlbulk count --hosts $ADDRESS -k demo -t events --stats global,hosts,partitions --partitions 5 \
  --summary-json build/demo-count.json
"$BIN/cqlbulk" count --hosts $ADDRESS -k demo -t events --stats global,hosts,partitions \
  --partitions 5 --summary-json build/demo-count.json

step cqlbulk count --hosts $ADDRESS -k demo -t events --consistency ALL
"$BIN/cqlbulk" count --hosts $ADDRESS -k demo -t events --consistency ALL

rm -rf build/demo-unload build/demo-logs
step cqlbulk unload --hosts $ADDRESS -k demo -t events --url build/demo-unload --compression gzip \
  --log-dir build/demo-logs/unload
"$BIN/cqlbulk" unload --hosts $ADDRESS -k demo -t events --url build/demo-unload --compression gzip \
  --log-dir build/demo-logs/unload
ls -l build/demo-unload | head -5
# Not `zcat | head`: zcat killed by SIGPIPE would end the script (pipefail).
head -3 < <(zcat build/demo-unload/output-000001.csv.gz)

step "a copy of the table, then cqlbulk load --hosts $ADDRESS -k demo -t events_copy --url build/demo-unload"
/usr/bin/python3 -c "
from cassandra.cluster import Cluster
Cluster(['$ADDRESS']).connect().execute('CREATE TABLE IF NOT EXISTS demo.events_copy (sensor int, seq int, note text, reading double, PRIMARY KEY (sensor, seq))')"
"$BIN/cqlbulk" load --hosts $ADDRESS -k demo -t events_copy --url build/demo-unload \
  --log-dir build/demo-logs/load
"$BIN/cqlbulk" count --hosts $ADDRESS -k demo -t events_copy --consistency ALL

# Iceberg: the seed's store.orders to an Iceberg table (Parquet data files, a SQLite catalog
# that PyIceberg's SqlCatalog and Iceberg's JdbcCatalog open) and back, compared row for row.
step "/usr/bin/python3 scripts/demo_orders.py create $ADDRESS $ORDERS build/demo-orders.csv   # store.orders and store.orders_restored"
/usr/bin/python3 scripts/demo_orders.py create $ADDRESS $ORDERS build/demo-orders.csv
step cqlbulk load --hosts $ADDRESS -k store -t orders --url build/demo-orders.csv
"$BIN/cqlbulk" load --hosts $ADDRESS -k store -t orders --url build/demo-orders.csv \
  --log-dir build/demo-logs/orders-load
step cqlbulk count --hosts $ADDRESS -k store -t orders
"$BIN/cqlbulk" count --hosts $ADDRESS -k store -t orders

rm -rf build/demo-warehouse build/demo-logs/iceberg-*
step cqlbulk unload --hosts $ADDRESS -k store -t orders --format iceberg --warehouse build/demo-warehouse \
  --iceberg-table lake.orders --partition-by "'day(order_date)'"
"$BIN/cqlbulk" unload --hosts $ADDRESS -k store -t orders --format iceberg \
  --warehouse build/demo-warehouse --iceberg-table lake.orders --partition-by 'day(order_date)' \
  --log-dir build/demo-logs/iceberg-unload

REFEREE_PYTHON=$HOME/.cache/cqlbulk/referees/venv/bin/python
if [ -x "$REFEREE_PYTHON" ]; then
  step "PyIceberg opens build/demo-warehouse/catalog.db (scripts/demo_orders.py show)"
  "$REFEREE_PYTHON" scripts/demo_orders.py show build/demo-warehouse lake.orders
else
  step "ls build/demo-warehouse/lake.db/orders/metadata   # PyIceberg is not installed (scripts/install-referees.sh)"
  ls build/demo-warehouse/lake.db/orders/metadata
  echo "data files: $(find build/demo-warehouse/lake.db/orders/data -name '*.parquet' | wc -l)"
fi

step cqlbulk load --hosts $ADDRESS -k store -t orders_restored --format iceberg \
  --warehouse build/demo-warehouse --iceberg-table lake.orders
"$BIN/cqlbulk" load --hosts $ADDRESS -k store -t orders_restored --format iceberg \
  --warehouse build/demo-warehouse --iceberg-table lake.orders --log-dir build/demo-logs/iceberg-load
step "/usr/bin/python3 scripts/demo_orders.py compare $ADDRESS   # row for row, with the Python driver"
/usr/bin/python3 scripts/demo_orders.py compare $ADDRESS

cluster_status

step "stop node 2, then count again (RF 2: every range still has a live replica)"
stop_node 2
"$BIN/cqlbulk" count --hosts $ADDRESS -k demo -t events

step "/usr/bin/python3 bench/baseline_count.py $ADDRESS demo events   # the seed's design, for comparison"
/usr/bin/python3 bench/baseline_count.py $ADDRESS demo events
