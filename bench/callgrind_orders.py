#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Instructions per `cqlbulk load` and `unload` of the orders table, counted by callgrind.

usage: /usr/bin/python3 bench/callgrind_orders.py [--rows 200000] [--build DIR] [--block 64]
           [--out DIR] [--operations load,unload] [--format csv|parquet|iceberg]
           [--partition-by 'day(placed_at)']

The figure of bench/README.md's "CPU per row" passes: unload_load_benchmark.py's source CSV
(`--rows` orders rows), a 3-node cqlsim (16 vnodes, 127.0.<block>.x), then `valgrind
--tool=callgrind` on `cqlbulk load` into a fresh bench.orders and on `cqlbulk unload` of it
(every default). Prints the client's instructions (Ir) and instructions per row of each run;
the callgrind.out files stay in --out for callgrind_annotate. Instruction counts do not move
with the machine's load, unlike CPU time.

With `--format parquet` the CSV is loaded first (uncounted), the unload writes Parquet
(`unload --format parquet`, every default) and the load reads those files back into a fresh
bench.orders (`load --format parquet`).

With `--format iceberg` the CSV is loaded first (uncounted) and only the export is counted:
`unload --format iceberg` into a fresh warehouse (SQLite catalog, every default), partitioned
by `--partition-by` when given (`--partition-by ''` or none: unpartitioned). Its summary must
count every row.
"""
import argparse
import os
import re
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
from simharness import SimCluster  # noqa: E402


def total_ir(out_file):
    with open(out_file) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise SystemExit(f"no totals in {out_file}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--block", type=int, default=64, help="cqlsim on 127.0.BLOCK.x")
    parser.add_argument("--out", default=None, help="where callgrind.out.{load,unload} go")
    parser.add_argument("--operations", default="load,unload")
    parser.add_argument("--format", choices=("csv", "parquet", "iceberg"), default="csv")
    parser.add_argument("--partition-by", default="",
                        help="--format iceberg: the export's partition spec (none by default)")
    args = parser.parse_args()
    cqlbulk = os.path.join(os.path.abspath(args.build), "apps", "cqlbulk")
    cqlsim = os.path.join(os.path.abspath(args.build), "apps", "cqlsim")
    out = os.path.abspath(args.out or tempfile.mkdtemp(prefix="callgrind-orders-"))
    os.makedirs(out, exist_ok=True)
    operations = args.operations.split(",")
    with tempfile.TemporaryDirectory(prefix="callgrind-orders-") as scratch:
        source = os.path.join(scratch, "orders.csv")
        ulb.write_source(source, args.rows)
        with SimCluster(cqlsim, block=args.block, nodes=3, vnodes=16) as sim:
            cluster = ulb.Cluster([sim.first_address], sim.port, [sim.process.pid], "cqlsim")
            try:
                cluster.execute(f"CREATE KEYSPACE {ulb.KEYSPACE} WITH replication = "
                                "{'class': 'SimpleStrategy', 'replication_factor': 1}")
                cluster.execute(ulb.table_ddl())
                time.sleep(1)
                if args.format == "iceberg":
                    iceberg(args, cluster, cqlbulk, source, scratch, out)
                    return
                if args.format == "parquet":
                    parquet(args, cluster, cqlbulk, source, scratch, out, operations)
                    return
                for operation in ("load", "unload"):
                    path = source if operation == "load" else os.path.join(scratch, "unloaded")
                    if operation not in operations:
                        if operation == "load":  # unload needs the rows: load them, uncounted
                            subprocess.run(ulb.commands("cqlbulk", "load", cluster,
                                                        {"cqlbulk": cqlbulk}, path, scratch),
                                           check=True, stdout=subprocess.DEVNULL)
                        continue
                    out_file = os.path.join(out, f"callgrind.out.{operation}")
                    command = (["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}"]
                               + ulb.commands("cqlbulk", operation, cluster,
                                              {"cqlbulk": cqlbulk}, path, scratch))
                    run = subprocess.run(command, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE, text=True)
                    if run.returncode != 0:
                        raise SystemExit(f"{operation} failed:\n{run.stderr[-3000:]}")
                    if operation == "load" and cluster.count() != args.rows:
                        raise SystemExit("the load did not leave every row")
                    if operation == "unload":
                        written = ulb.csv_data_lines(path)
                        shutil.rmtree(path)
                        if written != args.rows:
                            raise SystemExit(f"the unload wrote {written} rows")
                    ir = total_ir(out_file)
                    print(f"{operation}: {ir / 1e6:,.0f}M instructions, "
                          f"{ir / args.rows:,.0f} a row ({out_file})", flush=True)
            finally:
                cluster.close()


def callgrind(args, cluster, cqlbulk, operation, path, scratch, out, peer):
    """Runs one cqlbulk command under callgrind and prints its instructions."""
    out_file = os.path.join(out, f"callgrind.out.{operation}")
    command = (["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}"]
               + ulb.commands(peer, operation, cluster, {"cqlbulk": cqlbulk}, path, scratch))
    run = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        raise SystemExit(f"{operation} failed:\n{run.stderr[-3000:]}")
    return out_file


def parquet(args, cluster, cqlbulk, source, scratch, out, operations):
    """--format parquet: the CSV loaded uncounted, then the Parquet unload and load counted."""
    tools = {"cqlbulk": cqlbulk}
    subprocess.run(ulb.commands("cqlbulk", "load", cluster, tools, source, scratch), check=True,
                   stdout=subprocess.DEVNULL)
    folder = os.path.join(scratch, "unloaded-parquet")
    if "unload" in operations:
        out_file = callgrind(args, cluster, cqlbulk, "unload", folder, scratch, out, "parquet")
    else:
        out_file = None
        subprocess.run(ulb.commands("parquet", "unload", cluster, tools, folder, scratch),
                       check=True, stdout=subprocess.DEVNULL)
    if out_file:
        ir = total_ir(out_file)
        print(f"unload (parquet): {ir / 1e6:,.0f}M instructions, {ir / args.rows:,.0f} a row "
              f"({out_file})", flush=True)
    if "load" not in operations:
        return
    cluster.execute(f"DROP TABLE {ulb.KEYSPACE}.{ulb.TABLE}")
    cluster.execute(ulb.table_ddl())
    time.sleep(1)
    out_file = callgrind(args, cluster, cqlbulk, "load", folder, scratch, out, "parquet")
    if cluster.count() != args.rows:
        raise SystemExit("the Parquet load did not leave every row")
    ir = total_ir(out_file)
    print(f"load (parquet): {ir / 1e6:,.0f}M instructions, {ir / args.rows:,.0f} a row "
          f"({out_file})", flush=True)


def iceberg(args, cluster, cqlbulk, source, scratch, out):
    """--format iceberg: the CSV loaded uncounted, then the export to a fresh warehouse counted."""
    import json
    tools = {"cqlbulk": cqlbulk}
    subprocess.run(ulb.commands("cqlbulk", "load", cluster, tools, source, scratch), check=True,
                   stdout=subprocess.DEVNULL)
    warehouse = os.path.join(scratch, "warehouse")
    log_dir = os.path.join(scratch, "cqlbulk-export-log")
    summary = os.path.join(scratch, "export-summary.json")
    command = [cqlbulk, "unload", "-h", ",".join(cluster.hosts), "--port", str(cluster.port),
               "-k", ulb.KEYSPACE, "-t", ulb.TABLE, "--format", "iceberg", "--warehouse",
               warehouse, "--iceberg-table", "bench.orders_snapshot", "--log-dir", log_dir,
               "--summary-json", summary]
    if args.partition_by:
        command += ["--partition-by", args.partition_by]
    name = "export" + ("-" + re.sub(r"[^a-z0-9]+", "_", args.partition_by).strip("_")
                       if args.partition_by else "")
    out_file = os.path.join(out, f"callgrind.out.{name}")
    run = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}"]
                         + command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        raise SystemExit(f"export failed:\n{run.stderr[-3000:]}")
    with open(summary) as f:
        rows = json.load(f)["rows"]
    if rows != args.rows:
        raise SystemExit(f"the export wrote {rows} rows, not {args.rows}")
    ir = total_ir(out_file)
    print(f"unload (iceberg{', ' + args.partition_by if args.partition_by else ''}): "
          f"{ir / 1e6:,.0f}M instructions, {ir / args.rows:,.0f} a row ({out_file})", flush=True)


if __name__ == "__main__":
    main()
