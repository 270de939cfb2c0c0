# SPDX-License-Identifier: Apache-2.0
"""Creates the demo table on a cqlsim cluster and fills it, with the DataStax Python driver
(until `cqlbulk load` lands). usage: /usr/bin/python3 demo_data.py HOST ROWS"""
import sys

from cassandra.cluster import Cluster
from cassandra.concurrent import execute_concurrent_with_args

host, rows = sys.argv[1], int(sys.argv[2])
cluster = Cluster([host])
session = cluster.connect()
session.execute("CREATE KEYSPACE IF NOT EXISTS demo WITH replication = "
                "{'class': 'SimpleStrategy', 'replication_factor': 2}")
session.execute("CREATE TABLE IF NOT EXISTS demo.events (sensor int, seq int, reading double, "
                "note text, PRIMARY KEY (sensor, seq))")
insert = session.prepare("INSERT INTO demo.events (sensor, seq, reading, note) VALUES (?, ?, ?, ?)")
# Sensor s has s % 50 + 1 readings, so partitions differ in size.
values, sensor = [], 0
while len(values) < rows:
    values += [(sensor, seq, seq * 0.5, f"reading {seq}") for seq in range(sensor % 50 + 1)]
    sensor += 1
execute_concurrent_with_args(session, insert, values[:rows], concurrency=128)
cluster.shutdown()
print(f"inserted {rows} rows into demo.events ({sensor} partitions)")
