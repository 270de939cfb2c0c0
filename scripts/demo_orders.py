# SPDX-License-Identifier: Apache-2.0
"""The demo's store.orders, the seed's example table (a composite partition key, clustering
columns, a date column), with the DataStax Python driver; for scripts/demo.sh.

  demo_orders.py create HOST ROWS CSV    creates store.orders and an empty store.orders_restored
                                         (RF 2) and writes ROWS deterministic orders to CSV
  demo_orders.py compare HOST            compares the two tables row for row (exit 1 if not equal)
  demo_orders.py show WAREHOUSE TABLE    PyIceberg's view of TABLE (run with the referee venv)
"""
import csv
import datetime
import random
import sys

COLUMNS = ["customer_id", "region", "order_date", "order_id", "status", "amount", "created_at",
           "note"]
DDL = ("CREATE TABLE store.{} (customer_id int, region text, order_date date, order_id bigint, "
       "status text, amount decimal, created_at timestamp, note text, "
       "PRIMARY KEY ((customer_id, region), order_date, order_id))")


def session(host):
    from cassandra.cluster import Cluster
    return Cluster([host]).connect()


def create(host, rows, path):
    s = session(host)
    s.execute("CREATE KEYSPACE IF NOT EXISTS store WITH replication = "
              "{'class': 'SimpleStrategy', 'replication_factor': 2}")
    for table in ("orders", "orders_restored"):
        s.execute(f"DROP TABLE IF EXISTS store.{table}")
        s.execute(DDL.format(table))
    rng = random.Random(7)
    first = datetime.date(2024, 1, 1)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for i in range(rows):
            day = first + datetime.timedelta(days=rng.randrange(90))
            created = datetime.datetime(day.year, day.month, day.day) + datetime.timedelta(
                seconds=rng.randrange(86400))
            w.writerow([rng.randrange(5000), rng.choice(["eu", "us", "apac"]), day.isoformat(), i,
                        rng.choice(["new", "paid", "shipped", "returned"]),
                        f"{rng.randrange(100, 100000) / 100:.2f}",
                        created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "" if i % 10 == 0 else f"order {i}"])


def compare(host):
    s = session(host)
    tables = {t: sorted(tuple(r) for r in s.execute(f"SELECT * FROM store.{t}"))
              for t in ("orders", "orders_restored")}
    a, b = tables["orders"], tables["orders_restored"]
    if a == b:
        print(f"store.orders and store.orders_restored: {len(a)} rows each, identical row for row")
        return 0
    missing = len(set(a) - set(b))
    extra = len(set(b) - set(a))
    print(f"store.orders has {len(a)} rows, store.orders_restored {len(b)}: {missing} missing, "
          f"{extra} not in store.orders", file=sys.stderr)
    return 1


def show(warehouse, name):
    import os
    from pyiceberg.catalog.sql import SqlCatalog
    warehouse = os.path.abspath(warehouse)
    catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db",
                         warehouse=f"file://{warehouse}")
    print("namespaces:", [".".join(n) for n in catalog.list_namespaces()])
    table = catalog.load_table(name)
    snapshot = table.current_snapshot()
    print(f"table {name} at {table.metadata_location}")
    print(f"schema: {', '.join(f'{f.name} {f.field_type}' for f in table.schema().fields)}")
    print(f"identifier fields: {sorted(table.schema().identifier_field_names())}")
    print(f"spec: {table.spec()}")
    print(f"snapshot {snapshot.snapshot_id}: {snapshot.summary.operation.value}, "
          f"total-records {snapshot.summary['total-records']}, "
          f"total-data-files {snapshot.summary['total-data-files']}")
    partitions = sorted(table.inspect.partitions().to_pylist(),
                        key=lambda p: tuple(p["partition"].values()))
    for p in partitions[:3] + ([] if len(partitions) <= 3 else [None]):
        print("  ..." if p is None else
              f"  partition {p['partition']}: {p['record_count']} rows in {p['file_count']} file(s)")
    day = partitions[0]["partition"]["order_date_day"]
    rows = table.scan(row_filter=f"order_date = '{day}'").to_arrow()
    print(f"a filtered scan (order_date = '{day}'): {rows.num_rows} rows, first: "
          f"{rows.slice(0, 1).to_pylist()[0]}")


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "create" and len(sys.argv) == 5:
        create(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif command == "compare" and len(sys.argv) == 3:
        sys.exit(compare(sys.argv[2]))
    elif command == "show" and len(sys.argv) == 4:
        show(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
