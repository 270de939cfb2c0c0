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

# Iceberg: the table exported to an Iceberg table (Parquet data files, a SQLite catalog that
# PyIceberg and Spark's JdbcCatalog open), and loaded back from it.
rm -rf build/demo-warehouse
step cqlbulk unload --hosts $ADDRESS -k demo -t events --format iceberg \
  --warehouse build/demo-warehouse --iceberg-table lake.events --partition-by "'bucket(8,sensor)'" \
  --log-dir build/demo-logs/iceberg-unload
"$BIN/cqlbulk" unload --hosts $ADDRESS -k demo -t events --format iceberg \
  --warehouse build/demo-warehouse --iceberg-table lake.events --partition-by 'bucket(8,sensor)' \
  --log-dir build/demo-logs/iceberg-unload

REFEREE_PYTHON=$HOME/.cache/cqlbulk/referees/venv/bin/python
if [ -x "$REFEREE_PYTHON" ]; then
  step "PyIceberg (scripts/install-referees.sh) reads the table's snapshot from build/demo-warehouse/catalog.db"
  "$REFEREE_PYTHON" - build/demo-warehouse <<'EOF'
import os, sys
from pyiceberg.catalog.sql import SqlCatalog
warehouse = os.path.abspath(sys.argv[1])
catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
table = catalog.load_table("lake.events")
snapshot = table.current_snapshot()
print(f"table lake.events at {table.metadata_location}")
print(f"spec {table.spec()}")
print(f"snapshot {snapshot.snapshot_id}: {snapshot.summary.operation.value}, "
      f"total-records {snapshot.summary['total-records']}, "
      f"total-data-files {snapshot.summary['total-data-files']}")
for p in sorted(table.inspect.partitions().to_pylist(), key=lambda p: str(p["partition"])):
    print(f"  partition {p['partition']}: {p['record_count']} rows in {p['file_count']} file(s)")
EOF
else
  step "ls build/demo-warehouse/lake.db/events/metadata   # no referee venv: the files instead of PyIceberg"
  ls build/demo-warehouse/lake.db/events/metadata
  echo "data files: $(find build/demo-warehouse/lake.db/events/data -name '*.parquet' | wc -l)"
fi

step "a table like demo.events, then cqlbulk load --hosts $ADDRESS -k demo -t events_from_iceberg --format iceberg --warehouse build/demo-warehouse --iceberg-table lake.events"
/usr/bin/python3 -c "
from cassandra.cluster import Cluster
session = Cluster(['$ADDRESS']).connect()
session.execute('DROP TABLE IF EXISTS demo.events_from_iceberg')
session.execute('CREATE TABLE demo.events_from_iceberg (sensor int, seq int, note text, reading double, PRIMARY KEY (sensor, seq))')"
"$BIN/cqlbulk" load --hosts $ADDRESS -k demo -t events_from_iceberg --format iceberg \
  --warehouse build/demo-warehouse --iceberg-table lake.events --log-dir build/demo-logs/iceberg-load

step "cqlbulk count of demo.events and of demo.events_from_iceberg (--consistency ALL)"
ORIGINAL=$("$BIN/cqlbulk" count --hosts $ADDRESS -k demo -t events --consistency ALL | awk 'NR == 1 {print $1}')
RESTORED=$("$BIN/cqlbulk" count --hosts $ADDRESS -k demo -t events_from_iceberg --consistency ALL |
  awk 'NR == 1 {print $1}')
echo "demo.events: $ORIGINAL rows; demo.events_from_iceberg: $RESTORED rows"
if [ "$ORIGINAL" = "$RESTORED" ]; then
  echo "the counts match: every row went to Iceberg and came back"
else
  echo "the counts DO NOT match" >&2
  exit 1
fi

cluster_status

step "stop node 2, then count again (RF 2: every range still has a live replica)"
stop_node 2
"$BIN/cqlbulk" count --hosts $ADDRESS -k demo -t events

step "/usr/bin/python3 bench/baseline_count.py $ADDRESS demo events   # the seed's design, for comparison"
/usr/bin/python3 bench/baseline_count.py $ADDRESS demo events
