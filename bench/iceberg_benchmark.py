# SPDX-License-Identifier: Apache-2.0
"""Export to and import from an Apache Iceberg table: `cqlbulk unload --format iceberg` and
`cqlbulk load --format iceberg` beside the seed's stack doing the same (the DataStax Python
driver over the token ranges, pyarrow, PyIceberg's SqlCatalog on SQLite with table.append), on
the same cluster, in the same run.

usage: $HOME/.cache/cqlbulk/referees/venv/bin/python bench/iceberg_benchmark.py [--rows N]
           [--repeat K] [--build DIR] [--cassandra] [--peers cqlbulk,baseline]
           [--partition-by 'day(placed_at)']

Run it with the referee venv's python (scripts/install-referees.sh): it has PyIceberg and
pyarrow and sees Debian's python3-cassandra.

The table is unload_load_benchmark.py's `bench.orders` (customer_id int, order_id int,
placed_at timestamp, status text, amount decimal, quantity int, email text, note text; PRIMARY
KEY (customer_id, order_id)), `--rows` of it (default 1,000,000) loaded once by cqlbulk from a
generated CSV. Then, on a 3-node cqlsim and, with --cassandra, on the real cluster of
scripts/cassandra.sh:

  export  each peer writes bench.orders to a new Iceberg table in a fresh warehouse,
          partitioned by --partition-by (default day(placed_at)); the table's current snapshot
          must then hold --rows records (PyIceberg reads its summary)
  import  each peer reads the table cqlbulk exported into a fresh bench.orders_restored; the
          driver's count must then be --rows

The baseline's export reads the token ranges with asyncio over the driver's callbacks (pages of
5000, 32 ranges at once, as unload_load_benchmark's), builds pyarrow tables of 250,000 rows
and appends each to the table (decimals as their text, as cqlbulk maps them by default). Its
import scans the table with to_arrow_batch_reader() and writes each batch with prepared
INSERTs through execute_concurrent_with_args. Per run: rows/s, wall seconds, client CPU (user +
system of the child, from wait4), CPU microseconds per row, peak RSS, cluster CPU; the best of
K, then the ratios baseline / cqlbulk.

The baseline runs as this very file: `iceberg_benchmark.py baseline-export|baseline-import
HOST:PORT WAREHOUSE PARTITION_BY`.
"""
import argparse
import asyncio
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "interop"))

import unload_load_benchmark as ulb  # noqa: E402

KEYSPACE, TABLE, RESTORED = ulb.KEYSPACE, ulb.TABLE, "orders_restored"
ICEBERG_TABLE = "bench.orders"
PEERS = ("cqlbulk", "baseline")
OPERATIONS = ("export", "import")
APPEND_ROWS = 250_000


# ---------------------------------------------------------------------------------------------
# The seed's stack, run as a child process of this file.

def baseline_catalog(warehouse):
    from pyiceberg.catalog.sql import SqlCatalog

    os.makedirs(warehouse, exist_ok=True)
    return SqlCatalog("default", uri=f"sqlite:///{os.path.join(warehouse, 'catalog.db')}",
                      warehouse=f"file://{warehouse}")


def arrow_schema():
    import pyarrow as pa

    return pa.schema([
        pa.field("customer_id", pa.int32(), nullable=False),
        pa.field("order_id", pa.int32(), nullable=False),
        pa.field("placed_at", pa.timestamp("us", tz="UTC")),
        pa.field("status", pa.string()),
        pa.field("amount", pa.string()),
        pa.field("quantity", pa.int32()),
        pa.field("email", pa.string()),
        pa.field("note", pa.string()),
    ])


def partition_spec(schema, partition_by):
    """The spec of a single `transform(column)` (what the benchmark uses)."""
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.transforms import parse_transform

    if not partition_by:
        return PartitionSpec()
    transform, _, column = partition_by.rstrip(")").partition("(")
    source = schema.find_field(column)
    return PartitionSpec(PartitionField(source_id=source.field_id, field_id=1000,
                                        transform=parse_transform(transform),
                                        name=f"{column}_{transform}"))


async def baseline_export(hostport, warehouse, partition_by, concurrency=32):
    import pyarrow as pa

    cluster, session = ulb.baseline_session(hostport, KEYSPACE)
    session.default_fetch_size = 5000
    names = [f.name for f in arrow_schema()]
    query = session.prepare(f"SELECT {', '.join(names)} FROM {KEYSPACE}.{TABLE} "
                            "WHERE token(customer_id) > ? AND token(customer_id) <= ?")
    tokens = sorted(t.value for t in cluster.metadata.token_map.ring)
    ranges = [(tokens[i - 1], tokens[i]) for i in range(1, len(tokens))]
    ranges += [(tokens[-1], ulb.MAX_TOKEN), (ulb.MIN_TOKEN, tokens[0])]

    catalog = baseline_catalog(warehouse)
    catalog.create_namespace_if_not_exists("bench")
    schema = arrow_schema()
    table = catalog.create_table(ICEBERG_TABLE, schema=schema)
    if partition_by:
        with table.update_spec() as update:
            transform, _, column = partition_by.rstrip(")").partition("(")
            from pyiceberg.transforms import parse_transform
            update.add_field(column, parse_transform(transform), f"{column}_{transform}")
    pending = []
    rows = 0

    def flush():
        nonlocal pending
        if not pending:
            return
        columns = list(zip(*pending))
        batch = pa.table({name: pa.array(
            [str(v) if name == "amount" and v is not None else v for v in column],
            type=schema.field(name).type) for name, column in zip(names, columns)},
            schema=schema)
        table.append(batch)
        pending = []

    loop = asyncio.get_running_loop()
    semaphore = asyncio.Semaphore(concurrency)

    async def read_range(start, end):
        nonlocal rows
        async with semaphore:
            pages = asyncio.Queue()
            future = session.execute_async(query, (start, end))
            future.add_callbacks(
                lambda page: loop.call_soon_threadsafe(pages.put_nowait,
                                                       (page, future.has_more_pages, None)),
                lambda error: loop.call_soon_threadsafe(pages.put_nowait, (None, False, error)))
            while True:
                page, more, error = await pages.get()
                if error is not None:
                    raise error
                pending.extend(page)
                rows += len(page)
                if len(pending) >= APPEND_ROWS:
                    flush()
                if not more:
                    break
                future.start_fetching_next_page()

    await asyncio.gather(*(read_range(s, e) for s, e in ranges))
    flush()
    cluster.shutdown()
    print(rows)


def baseline_import(hostport, warehouse, concurrency=64):
    from decimal import Decimal

    from cassandra.concurrent import execute_concurrent_with_args

    cluster, session = ulb.baseline_session(hostport, KEYSPACE)
    names = [f.name for f in arrow_schema()]
    insert = session.prepare(f"INSERT INTO {KEYSPACE}.{RESTORED} ({', '.join(names)}) "
                             f"VALUES ({', '.join('?' * len(names))})")
    table = baseline_catalog(warehouse).load_table(ICEBERG_TABLE)
    rows = 0
    for batch in table.scan().to_arrow_batch_reader():
        columns = [batch.column(name).to_pylist() for name in names]
        amount = names.index("amount")
        columns[amount] = [Decimal(v) if v is not None else None for v in columns[amount]]
        values = list(zip(*columns))
        execute_concurrent_with_args(session, insert, values, concurrency=concurrency,
                                     raise_on_first_error=True)
        rows += len(values)
    cluster.shutdown()
    print(rows)


# ---------------------------------------------------------------------------------------------
# Measuring.

def snapshot_records(warehouse):
    """The current snapshot's total-records, as PyIceberg reads our (or its own) table."""
    table = baseline_catalog(warehouse).load_table(ICEBERG_TABLE)
    snapshot = table.current_snapshot()
    return int(snapshot.summary["total-records"]) if snapshot else 0


def commands(peer, operation, cluster, tools, warehouse, partition_by, scratch):
    hostport = f"{cluster.hosts[0]}:{cluster.port}"
    if peer == "cqlbulk":
        log_dir = os.path.join(scratch, f"cqlbulk-{operation}-{time.monotonic_ns()}")
        command = [tools["cqlbulk"], "unload" if operation == "export" else "load", "-h",
                   ",".join(cluster.hosts), "--port", str(cluster.port), "-k", KEYSPACE, "-t",
                   TABLE if operation == "export" else RESTORED, "--format", "iceberg",
                   "--warehouse", warehouse, "--iceberg-table", ICEBERG_TABLE, "--log-dir",
                   log_dir]
        if operation == "export" and partition_by:
            command += ["--partition-by", partition_by]
        return command
    return [sys.executable, os.path.abspath(__file__), f"baseline-{operation}", hostport,
            warehouse, partition_by]


def restored_count(cluster):
    saved = ulb.TABLE
    ulb.TABLE = RESTORED  # Cluster.count() counts ulb's table
    try:
        return cluster.count()
    finally:
        ulb.TABLE = saved


def run_all(args, cluster, tools, source, scratch):
    rows = args.rows
    peers = [p for p in PEERS if p in args.peers.split(",")]
    operations = [o for o in OPERATIONS if o in args.operations.split(",")]
    cluster.execute(f"CREATE KEYSPACE IF NOT EXISTS {KEYSPACE} WITH replication = "
                    "{'class': 'SimpleStrategy', 'replication_factor': 1}")
    cluster.execute(f"DROP TABLE IF EXISTS {KEYSPACE}.{TABLE}")
    cluster.execute(ulb.table_ddl())
    time.sleep(1)
    subprocess.run([tools["cqlbulk"], "load", "-h", ",".join(cluster.hosts), "--port",
                    str(cluster.port), "-k", KEYSPACE, "-t", TABLE, "--url", source, "--log-dir",
                    os.path.join(scratch, "setup-load")], check=True, capture_output=True)
    if cluster.count() != rows:
        raise SystemExit(f"setup: {KEYSPACE}.{TABLE} does not hold {rows} rows")
    results = {}
    exported = None  # a warehouse cqlbulk exported to: what both peers import
    # Each export writes into a new warehouse, none removed before the end: creating files and
    # folders next to thousands removed a moment before costs ext4 system time (its check for
    # recently deleted inodes, 5-13% of a by-day export's CPU in perf), a cost of the benchmark
    # rather than of the export.
    for repeat in range(args.repeat):
        for peer in peers:
            warehouse = os.path.join(scratch, f"warehouse-{peer}-{repeat}")
            if "export" not in operations:
                break
            figures = ulb.measure(commands(peer, "export", cluster, tools, warehouse,
                                           args.partition_by, scratch), cluster.pids)
            written = snapshot_records(warehouse)
            if written != rows:
                raise SystemExit(f"{peer} export: the table holds {written} records, not {rows}")
            results.setdefault((peer, "export"), []).append(figures)
            print(f"  {peer} export: {figures[1]:.1f} s", flush=True)
            if peer == "cqlbulk":
                exported = warehouse
    if "import" in operations:
        if exported is None:
            raise SystemExit("import needs the export of cqlbulk (--operations export,import)")
        for _ in range(args.repeat):
            for peer in peers:
                cluster.execute(f"DROP TABLE IF EXISTS {KEYSPACE}.{RESTORED}")
                cluster.execute(ulb.table_ddl(table=RESTORED))
                time.sleep(1)
                figures = ulb.measure(commands(peer, "import", cluster, tools, exported,
                                               args.partition_by, scratch), cluster.pids)
                counted = restored_count(cluster)
                if counted != rows:
                    raise SystemExit(f"{peer} import: the table holds {counted} rows, not {rows}")
                results.setdefault((peer, "import"), []).append(figures)
                print(f"  {peer} import: {figures[1]:.1f} s", flush=True)
    report(args, cluster, results, peers, operations)


def report(args, cluster, results, peers, operations):
    rows = args.rows
    print(f"\n{rows:,} rows of {KEYSPACE}.{TABLE} to and from Iceberg (partitioned by "
          f"{args.partition_by or 'nothing'}) on {cluster.where}, best of {args.repeat}")
    print(f"{'':18} {'rows/s':>10} {'wall s':>8} {'client CPU s':>13} {'CPU us/row':>11} "
          f"{'client RSS MiB':>15} {'cluster CPU s':>14}")
    best = {}
    for operation in operations:
        for peer in peers:
            runs = results.get((peer, operation))
            if not runs:
                continue
            wall, cpu, rss, server = (min(r[i] for r in runs) for i in range(1, 5))
            best[peer, operation] = (wall, cpu, rss)
            server_text = f"{server:14.2f}" if cluster.pids else f"{'-':>14}"
            print(f"{peer + ' ' + operation:18} {rows / wall:10,.0f} {wall:8.2f} {cpu:13.2f} "
                  f"{cpu / rows * 1e6:11.2f} {rss:15.1f} {server_text}")
    for operation in operations:
        ours, theirs = best.get(("cqlbulk", operation)), best.get(("baseline", operation))
        if ours and theirs:
            print(f"ratio baseline / cqlbulk {operation}: wall {theirs[0] / ours[0]:.2f}x, "
                  f"client CPU {theirs[1] / ours[1]:.2f}x, RSS {theirs[2] / ours[2]:.2f}x")
    sys.stdout.flush()


def main():
    if len(sys.argv) > 1 and sys.argv[1].startswith("baseline-"):
        operation, hostport, warehouse, partition_by = sys.argv[1:5]
        if operation == "baseline-export":
            asyncio.run(baseline_export(hostport, warehouse, partition_by))
        else:
            baseline_import(hostport, warehouse)
        return
    import count_benchmark as cb
    from simharness import SimCluster

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--cassandra", action="store_true",
                        help="after cqlsim, the same runs on the real cluster of "
                             "scripts/cassandra.sh")
    parser.add_argument("--peers", default=",".join(PEERS))
    parser.add_argument("--operations", default=",".join(OPERATIONS))
    parser.add_argument("--partition-by", default="day(placed_at)")
    args = parser.parse_args()
    tools = {name: cb.find_tool(args.build, name) for name in ("cqlsim", "cqlbulk")}
    scratch = tempfile.mkdtemp(prefix="iceberg-benchmark-")
    try:
        source = os.path.join(scratch, "orders.csv")
        ulb.write_source(source, args.rows)
        with SimCluster(tools["cqlsim"], block=63, nodes=3, vnodes=16) as sim:
            cluster = ulb.Cluster([sim.first_address], sim.port, [sim.process.pid],
                                  "a 3-node cqlsim (16 vnodes)")
            try:
                run_all(args, cluster, tools, source, scratch)
            finally:
                cluster.close()
        if args.cassandra:
            script = os.path.join(ROOT, "scripts", "cassandra.sh")
            status = subprocess.run(["bash", script, "status"], capture_output=True,
                                    text=True).stdout
            import re
            hosts = re.findall(r"^node\d+\s+(\S+)\s+.*\bup\b", status, re.M)
            if not hosts:
                raise SystemExit("--cassandra: start the cluster first (scripts/cassandra.sh "
                                 "start 3)")
            cluster = ulb.Cluster(hosts, 9042, cb.listening_pids(hosts, 9042),
                                  f"a {len(hosts)}-node Apache Cassandra (scripts/cassandra.sh)")
            try:
                run_all(args, cluster, tools, source, scratch)
                cluster.execute(f"DROP KEYSPACE IF EXISTS {KEYSPACE}")
            finally:
                cluster.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
