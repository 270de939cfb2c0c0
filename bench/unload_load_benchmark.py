# SPDX-License-Identifier: Apache-2.0
"""`cqlbulk unload` and `cqlbulk load` (CSV) against their peers, side by side on the same cluster,
in the same run: DataStax Bulk Loader (DSBulk 1.10.0, bench/install_peers.sh) and the seed's
design in Python (asyncio + the DataStax driver over the token ranges, the csv module; loading
with prepared INSERTs through execute_concurrent).

usage: /usr/bin/python3 bench/unload_load_benchmark.py [--rows N] [--repeat K] [--build DIR]
           [--cassandra | --hosts H1,H2,... [--port P]] [--peers cqlbulk,dsbulk,baseline]
           [--operations load,unload] [--rf N] [--block B] [--dsbulk LAUNCHER] [--rss-10m] [--no-rss | --rss-only]

The table is an orders-like one, `bench.orders (customer_id int, order_id int, placed_at
timestamp, status text, amount decimal, quantity int, email text, note text, PRIMARY KEY
(customer_id, order_id))`, customer c having c % 20 + 1 orders (about 120 bytes of CSV a row).
The source CSV (`--rows`, default 1,000,000) is written once by this script. Then, on a 3-node
cqlsim (16 vnodes, 127.0.61.x) and, with --cassandra, on the real 3-node Apache Cassandra of
scripts/cassandra.sh (CQLBULK_CASSANDRA_DIR and _BLOCK are honoured; started and stopped here if
not running), or on the cluster of --hosts:

  load    each peer loads the CSV into a freshly created bench.orders (RF --rf, default 1);
          the driver's count(*) must then be the rows of the file
  unload  each peer unloads bench.orders to CSV files in a temporary folder; the data lines
          of the files must be the rows of the table

The `parquet` peer unloads to Parquet (`--format parquet`, its summary's rows must be the
table's); with load among the operations, the files of its last unload are then loaded
(`load --format parquet`) into a freshly created bench.orders, counted as for load.

K times each (--repeat, default 1), alternating peers. Per run: rows/s, wall seconds, the
client's CPU (user + system from wait4 on the child: its own and that of every descendant it
reaped; start-up included), CPU microseconds per row, its peak RSS (ru_maxrss) and the cluster's
CPU (/proc of the processes listening on the native port at the hosts' addresses) over the same
interval; the best of K, then the ratios peer / cqlbulk. Then the RSS check: cqlbulk unload's
peak RSS (CSV, Parquet, an unpartitioned Iceberg table) with examples/fill's demo.events at 1M
rows on a fresh cqlsim (127.0.62.x), and at 10M rows with --rss-10m (a few minutes more): it
must not grow with the table. --rss-only runs just that.

The baseline runs as this very file: `unload_load_benchmark.py baseline-unload|baseline-load
HOST:PORT KEYSPACE TABLE PATH`.
"""
import argparse
import asyncio
import csv
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "interop"))

KEYSPACE, TABLE = "bench", "orders"
COLUMNS = ["customer_id", "order_id", "placed_at", "status", "amount", "quantity", "email", "note"]
PEERS = ("cqlbulk", "parquet", "dsbulk", "baseline")  # parquet: cqlbulk unload --format parquet
OPERATIONS = ("load", "unload")
STATUSES = ["placed", "paid", "shipped", "delivered", "returned, refunded"]
MIN_TOKEN, MAX_TOKEN = -(2 ** 63), 2 ** 63 - 1


# ---------------------------------------------------------------------------------------------
# The data.

def table_ddl(keyspace=KEYSPACE, table=TABLE):
    return (f"CREATE TABLE {keyspace}.{table} (customer_id int, order_id int, placed_at timestamp, "
            "status text, amount decimal, quantity int, email text, note text, "
            "PRIMARY KEY (customer_id, order_id))")


def write_source(path, rows):
    """The source CSV: a header, then `rows` orders; deterministic, RFC 4180."""
    base = datetime.datetime(2020, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        customer = order = written = 0
        while written < rows:
            placed = base + datetime.timedelta(seconds=written * 37, milliseconds=written % 1000)
            text = placed.strftime("%Y-%m-%dT%H:%M:%S.") + f"{placed.microsecond // 1000:03d}Z"
            writer.writerow([customer, order, text, STATUSES[written % 5],
                             f"{(written * 7919) % 100000 / 100:.2f}", written % 9 + 1,
                             f"customer{customer}@example.com",
                             f"order {order} of customer {customer}, gift wrap: {written % 2 == 0}"])
            written += 1
            order += 1
            if order == customer % 20 + 1:
                customer, order = customer + 1, 0


# ---------------------------------------------------------------------------------------------
# The seed's design, run as a child process of this file.

def baseline_session(hostport, keyspace):
    from cassandra.cluster import Cluster, ExecutionProfile, EXEC_PROFILE_DEFAULT
    from cassandra.policies import RoundRobinPolicy, TokenAwarePolicy
    from cassandra.query import tuple_factory

    host, _, port = hostport.partition(":")
    profile = ExecutionProfile(load_balancing_policy=TokenAwarePolicy(RoundRobinPolicy()),
                               request_timeout=120, row_factory=tuple_factory)
    cluster = Cluster([host], port=int(port or 9042),
                      execution_profiles={EXEC_PROFILE_DEFAULT: profile})
    return cluster, cluster.connect(keyspace)


async def baseline_unload(hostport, keyspace, table, folder, concurrency=32):
    """asyncio over the driver's callbacks: one query per token range of the driver's token map,
    pages of 5000, at most `concurrency` ranges at once, rows written with csv.writer."""
    cluster, session = baseline_session(hostport, keyspace)
    session.default_fetch_size = 5000
    meta = cluster.metadata.keyspaces[keyspace].tables[table]
    key = ", ".join(c.name for c in meta.partition_key)
    names = list(meta.columns)
    query = session.prepare(f"SELECT {', '.join(names)} FROM {keyspace}.{table} "
                            f"WHERE token({key}) > ? AND token({key}) <= ?")
    tokens = sorted(t.value for t in cluster.metadata.token_map.ring)
    ranges = [(tokens[i - 1], tokens[i]) for i in range(1, len(tokens))]
    ranges += [(tokens[-1], MAX_TOKEN), (MIN_TOKEN, tokens[0])]
    os.makedirs(folder, exist_ok=True)
    loop = asyncio.get_running_loop()
    semaphore = asyncio.Semaphore(concurrency)
    rows = 0
    with open(os.path.join(folder, "output-000001.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(names)

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
                    writer.writerows(page)
                    rows += len(page)
                    if not more:
                        break
                    future.start_fetching_next_page()

        await asyncio.gather(*(read_range(s, e) for s, e in ranges))
    cluster.shutdown()
    print(rows)


def baseline_load(hostport, keyspace, table, path, concurrency=64, chunk=10000):
    """csv.reader, each value converted to its CQL type, prepared INSERTs through
    execute_concurrent_with_args, `chunk` rows at a time (memory stays flat)."""
    from cassandra.concurrent import execute_concurrent_with_args

    cluster, session = baseline_session(hostport, keyspace)
    insert = session.prepare(f"INSERT INTO {keyspace}.{table} ({', '.join(COLUMNS)}) "
                             f"VALUES ({', '.join('?' * len(COLUMNS))})")
    convert = [int, int, lambda t: datetime.datetime.fromisoformat(t.replace("Z", "+00:00")),
               str, Decimal, int, str, str]
    rows = 0
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        batch = []
        for record in reader:
            batch.append([c(v) for c, v in zip(convert, record)])
            if len(batch) == chunk:
                execute_concurrent_with_args(session, insert, batch, concurrency=concurrency,
                                             raise_on_first_error=True)
                rows += len(batch)
                batch = []
        if batch:
            execute_concurrent_with_args(session, insert, batch, concurrency=concurrency,
                                         raise_on_first_error=True)
            rows += len(batch)
    cluster.shutdown()
    print(rows)


# ---------------------------------------------------------------------------------------------
# Measuring.

def measure(command, server_pids, stdout=subprocess.DEVNULL):
    """Runs command; (stderr, wall s, client CPU s, client peak RSS MiB, cluster CPU s), from
    wait4 on the child (the DSBulk launcher execs the JVM, so that is the JVM itself)."""
    import count_benchmark as cb

    server0, t0 = cb.cluster_cpu(server_pids), time.monotonic()
    with tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, stdout=stdout, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - t0
        server = cb.cluster_cpu(server_pids) - server0
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {child.returncode}:\n{stderr[-5000:]}")
    return stderr, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, server


def csv_data_lines(folder):
    """Lines of every file in `folder`, minus one header per file (the data has no line
    breaks inside fields)."""
    total = 0
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "rb") as f:
            lines = 0
            while chunk := f.read(1 << 20):
                lines += chunk.count(b"\n")
        total += lines - 1
    return total


class Cluster:
    """Where the runs go: hosts, port, the server processes (for their CPU), a driver session."""

    def __init__(self, hosts, port, pids, where):
        from cassandra.cluster import Cluster as DriverCluster

        self.hosts, self.port, self.pids, self.where = hosts, port, pids, where
        self.driver = DriverCluster(hosts, port=port)
        self.session = self.driver.connect()

    def execute(self, statement, timeout=600):
        return self.session.execute(statement, timeout=timeout)

    def count(self):
        """count(*) of the table, range by range over the driver's token map (one count(*) of
        a million rows times out on a real cluster)."""
        from cassandra.concurrent import execute_concurrent_with_args

        self.driver.refresh_schema_metadata()
        tokens = sorted(t.value for t in self.driver.metadata.token_map.ring)
        ranges = [(tokens[i - 1], tokens[i]) for i in range(1, len(tokens))]
        ranges += [(tokens[-1], MAX_TOKEN), (MIN_TOKEN, tokens[0])]
        query = self.session.prepare(f"SELECT count(*) FROM {KEYSPACE}.{TABLE} "
                                     "WHERE token(customer_id) > ? AND token(customer_id) <= ?")
        query.timeout = 120
        results = execute_concurrent_with_args(self.session, query, ranges, concurrency=8,
                                               raise_on_first_error=True)
        return sum(result.one()[0] for _, result in results)

    def close(self):
        self.driver.shutdown()


def commands(peer, operation, cluster, tools, path, scratch):
    """The command of one run: `path` is the source CSV (load) or the output folder (unload)."""
    hostport = f"{cluster.hosts[0]}:{cluster.port}"
    if peer in ("cqlbulk", "parquet"):
        fmt = "csv" if peer == "cqlbulk" else "parquet"
        log_dir = os.path.join(scratch, f"cqlbulk-{operation}-{time.monotonic_ns()}")
        return [tools["cqlbulk"], operation, "-h", ",".join(cluster.hosts), "--port",
                str(cluster.port), "-k", KEYSPACE, "-t", TABLE, "--format", fmt, "--url", path,
                "--log-dir", log_dir, "--summary-json", os.path.join(log_dir, "summary-copy.json")]
    if peer == "dsbulk":
        return [tools["dsbulk"], operation, "-h", ",".join(cluster.hosts), "-port",
                str(cluster.port), "-k", KEYSPACE, "-t", TABLE, "-url", path,
                "--log.directory", os.path.join(scratch, "dsbulk-logs")]
    return [sys.executable, os.path.abspath(__file__), f"baseline-{operation}", hostport, KEYSPACE,
            TABLE, path]


def parquet_rows(command):
    """The rows a cqlbulk Parquet unload reports (its summary; the e2e tests check the files
    against the table)."""
    with open(command[command.index("--summary-json") + 1]) as f:
        return json.load(f)["rows"]


def run_all(args, cluster, tools, source, rows, scratch):
    peers = [p for p in PEERS if p in args.peers.split(",")]
    operations = [o for o in OPERATIONS if o in args.operations.split(",")]
    cluster.execute(f"CREATE KEYSPACE IF NOT EXISTS {KEYSPACE} WITH replication = "
                    f"{{'class': 'SimpleStrategy', 'replication_factor': {args.rf}}}")
    results = {}
    if "load" in operations:
        for _ in range(args.repeat):
            for peer in peers:
                if peer == "parquet":
                    continue  # the source is CSV
                cluster.execute(f"DROP TABLE IF EXISTS {KEYSPACE}.{TABLE}")
                cluster.execute(table_ddl())
                time.sleep(1)
                figures = measure(commands(peer, "load", cluster, tools, source, scratch),
                                  cluster.pids)
                counted = cluster.count()
                if counted != rows:
                    raise SystemExit(f"{peer} load: the table holds {counted} rows, not {rows}")
                results.setdefault((peer, "load"), []).append(figures)
                print(f"  {peer} load: {figures[1]:.1f} s", flush=True)
    else:
        cluster.execute(table_ddl().replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"))
        if cluster.count() != rows:
            raise SystemExit(f"{KEYSPACE}.{TABLE} does not hold {rows} rows: run with load too")
    if "unload" in operations:
        for _ in range(args.repeat):
            for peer in peers:
                folder = os.path.join(scratch, f"unload-{peer}")
                shutil.rmtree(folder, ignore_errors=True)
                command = commands(peer, "unload", cluster, tools, folder, scratch)
                figures = measure(command, cluster.pids)
                written = parquet_rows(command) if peer == "parquet" else csv_data_lines(folder)
                if peer != "parquet" or "load" not in operations:
                    shutil.rmtree(folder, ignore_errors=True)
                if written != rows:
                    raise SystemExit(f"{peer} unload wrote {written} rows, not {rows}")
                results.setdefault((peer, "unload"), []).append(figures)
                print(f"  {peer} unload: {figures[1]:.1f} s", flush=True)
        shutil.rmtree(os.path.join(scratch, "dsbulk-logs"), ignore_errors=True)
        if "parquet" in peers and "load" in operations:
            # The parquet load: the files of the Parquet unload into a fresh table.
            folder = os.path.join(scratch, "unload-parquet")
            for _ in range(args.repeat):
                cluster.execute(f"DROP TABLE IF EXISTS {KEYSPACE}.{TABLE}")
                cluster.execute(table_ddl())
                time.sleep(1)
                figures = measure(commands("parquet", "load", cluster, tools, folder, scratch),
                                  cluster.pids)
                counted = cluster.count()
                if counted != rows:
                    raise SystemExit(f"parquet load: the table holds {counted} rows, not {rows}")
                results.setdefault(("parquet", "load"), []).append(figures)
                print(f"  parquet load: {figures[1]:.1f} s", flush=True)
            shutil.rmtree(folder, ignore_errors=True)
    report(rows, args.repeat, cluster, results, peers, operations)
    return results


def report(rows, repeat, cluster, results, peers, operations):
    print(f"\n{rows:,} rows of {KEYSPACE}.{TABLE} (CSV) on {cluster.where}, best of {repeat}")
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
        ours = best.get(("cqlbulk", operation))
        for peer in peers:
            theirs = best.get((peer, operation))
            if ours and theirs and peer != "cqlbulk":
                print(f"ratio {peer} / cqlbulk {operation}: wall {theirs[0] / ours[0]:.2f}x, "
                      f"client CPU {theirs[1] / ours[1]:.2f}x, RSS {theirs[2] / ours[2]:.2f}x")
    sys.stdout.flush()


def on_cqlsim(args, tools, source, rows, scratch):
    from simharness import SimCluster

    with SimCluster(tools["cqlsim"], block=args.block, nodes=3, vnodes=16) as sim:
        cluster = Cluster([sim.first_address], sim.port, [sim.process.pid],
                          "a 3-node cqlsim (16 vnodes)")
        try:
            run_all(args, cluster, tools, source, rows, scratch)
        finally:
            cluster.close()


def on_cassandra(args, tools, source, rows, scratch):
    import count_benchmark as cb

    script = os.path.join(ROOT, "scripts", "cassandra.sh")
    status = subprocess.run(["bash", script, "status"], capture_output=True, text=True).stdout
    started_here = not re.search(r"^node\d+ .* up ", status, re.M)
    if started_here:
        subprocess.run(["bash", script, "start", "3"], check=True)
        status = subprocess.run(["bash", script, "status"], capture_output=True, text=True).stdout
    try:
        hosts = re.findall(r"^node\d+\s+(\S+)\s+.*\bup\b", status, re.M)
        version = subprocess.run(["bash", script, "nodetool", "1", "version"], capture_output=True,
                                 text=True).stdout.strip()
        cluster = Cluster(hosts, 9042, cb.listening_pids(hosts, 9042),
                          f"a {len(hosts)}-node Apache Cassandra ({version}, scripts/cassandra.sh)")
        try:
            run_all(args, cluster, tools, source, rows, scratch)
            cluster.execute(f"DROP KEYSPACE IF EXISTS {KEYSPACE}")
        finally:
            cluster.close()
    finally:
        if started_here:
            subprocess.run(["bash", script, "stop"], check=True)


def rss_check(args, tools, scratch):
    """cqlbulk unload's peak RSS at 1M (and 10M) rows of demo.events on a fresh cqlsim."""
    from simharness import SimCluster

    sizes = [1_000_000] + ([10_000_000] if args.rss_10m else [])
    print("\nRSS check: cqlbulk unload of demo.events (examples/fill) on a 3-node cqlsim")
    with SimCluster(tools["cqlsim"], block=args.block + 1, nodes=3, vnodes=16) as sim:
        for rows in sizes:
            print(subprocess.run([tools["fill"], sim.first_address, str(rows), "128"], check=True,
                                 text=True, capture_output=True).stdout.strip(), flush=True)
            for fmt in ("csv", "parquet", "iceberg"):
                folder = os.path.join(scratch, "rss-unload")
                shutil.rmtree(folder, ignore_errors=True)
                log_dir = os.path.join(scratch, f"rss-logs-{fmt}-{rows}")
                # Iceberg: an unpartitioned table in a fresh warehouse (its catalog inside).
                output = (["--warehouse", folder, "--iceberg-table", "lake.events"]
                          if fmt == "iceberg" else ["--url", folder])
                command = [tools["cqlbulk"], "unload", "-h", sim.first_address, "--port",
                           str(sim.port), "-k", "demo", "-t", "events", "--format", fmt,
                           *output, "--log-dir", log_dir, "--summary-json",
                           os.path.join(log_dir, "summary-copy.json")]
                _, wall, cpu, rss, server = measure(command, [sim.process.pid])
                if fmt == "iceberg":
                    with open(os.path.join(log_dir, "summary-copy.json")) as f:
                        written = json.load(f)["iceberg"]["rows"]
                else:
                    written = parquet_rows(command) if fmt == "parquet" else csv_data_lines(folder)
                shutil.rmtree(folder, ignore_errors=True)
                if written != rows:
                    raise SystemExit(f"cqlbulk unload ({fmt}) wrote {written} rows, not {rows}")
                print(f"{rows:>12,} rows, {fmt:7}: peak RSS {rss:.1f} MiB, {rows / wall:,.0f} "
                      f"rows/s, client CPU {cpu:.2f} s ({cpu / rows * 1e6:.2f} us/row), cqlsim "
                      f"CPU {server:.2f} s", flush=True)


def main():
    if len(sys.argv) > 1 and sys.argv[1].startswith("baseline-"):
        operation, hostport, keyspace, table, path = sys.argv[1:6]
        if operation == "baseline-unload":
            asyncio.run(baseline_unload(hostport, keyspace, table, path))
        else:
            baseline_load(hostport, keyspace, table, path)
        return
    import count_benchmark as cb

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"),
                        help="build directory (apps/, examples/) or a directory holding the "
                             "cqlsim, cqlbulk and fill binaries")
    parser.add_argument("--cassandra", action="store_true",
                        help="after cqlsim, the same runs on the real cluster of "
                             "scripts/cassandra.sh")
    parser.add_argument("--hosts", help="only this cluster (comma-separated contact points), "
                                        "not cqlsim; bench.orders is dropped and made anew")
    parser.add_argument("--port", type=int, default=9042)
    parser.add_argument("--block", type=int, default=61,
                        help="cqlsim on 127.0.BLOCK.x (the RSS check on BLOCK + 1)")
    parser.add_argument("--peers", default=",".join(PEERS))
    parser.add_argument("--operations", default=",".join(OPERATIONS))
    parser.add_argument("--rf", type=int, default=1, help="replication factor of bench")
    parser.add_argument("--dsbulk", help="DSBulk launcher (default: bench/install_peers.sh's)")
    parser.add_argument("--rss-10m", action="store_true",
                        help="the RSS check at 10M rows too (a few minutes)")
    parser.add_argument("--no-rss", action="store_true", help="no RSS check")
    parser.add_argument("--rss-only", action="store_true", help="only the RSS check")
    args = parser.parse_args()
    cqlbulk_peers = {"cqlbulk", "parquet"}.intersection(args.peers.split(","))
    needed = ["cqlsim"] + (["cqlbulk"] if cqlbulk_peers or not args.no_rss
                           else []) + ([] if args.no_rss else ["fill"])
    tools = {name: cb.find_tool(args.build, name) for name in needed}
    if "dsbulk" in args.peers.split(",") and not args.rss_only:
        tools["dsbulk"] = args.dsbulk or cb.install_dsbulk()
        print(subprocess.run([tools["dsbulk"], "--version"], check=True, text=True,
                             capture_output=True).stdout.strip(), f"({tools['dsbulk']})",
              flush=True)
    scratch = tempfile.mkdtemp(prefix="unload-load-benchmark-")
    if args.rss_only:
        try:
            rss_check(args, tools, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return
    try:
        source = os.path.join(scratch, "orders.csv")
        t0 = time.monotonic()
        write_source(source, args.rows)
        print(f"source: {args.rows:,} rows, {os.path.getsize(source) / 2**20:.1f} MiB of CSV "
              f"({time.monotonic() - t0:.1f} s to write)", flush=True)
        if args.hosts:
            hosts = args.hosts.split(",")
            cluster = Cluster(hosts, args.port, cb.listening_pids(hosts, args.port),
                              f"the cluster at {args.hosts}")
            try:
                run_all(args, cluster, tools, source, args.rows, scratch)
            finally:
                cluster.close()
        else:
            on_cqlsim(args, tools, source, args.rows, scratch)
            if args.cassandra:
                on_cassandra(args, tools, source, args.rows, scratch)
        if not args.no_rss:
            rss_check(args, tools, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
