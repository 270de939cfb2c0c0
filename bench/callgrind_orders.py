#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Instructions per `cqlbulk load` and `unload` of the orders table, counted by callgrind.

usage: /usr/bin/python3 bench/callgrind_orders.py [--rows 200000] [--build DIR] [--block 64]
           [--out DIR] [--operations load,unload]

The figure of bench/README.md's "CPU per row" passes: unload_load_benchmark.py's source CSV
(`--rows` orders rows), a 3-node cqlsim (16 vnodes, 127.0.<block>.x), then `valgrind
--tool=callgrind` on `cqlbulk load` into a fresh bench.orders and on `cqlbulk unload` of it
(every default). Prints the client's instructions (Ir) and instructions per row of each run;
the callgrind.out files stay in --out for callgrind_annotate. Instruction counts do not move
with the machine's load, unlike CPU time.
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


if __name__ == "__main__":
    main()
