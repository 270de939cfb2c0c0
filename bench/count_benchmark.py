# SPDX-License-Identifier: Apache-2.0
"""`cqlbulk count` against the seed's design (bench/baseline_count.py), side by side on the same
cqlsim cluster, in the same run.

usage: /usr/bin/python3 bench/count_benchmark.py [--rows N[,N...]] [--repeat K] [--build DIR]

For each table size it fills demo.events with build/examples/fill (the C++ driver, so 10M rows
load in about a minute), then runs, K times each and alternating:
  cqlbulk  count            count(*) per range, the server counts
  baseline count            the same with Python and the DataStax driver
  cqlbulk  stream           every partition key streamed and counted on the client
  baseline stream           the same with Python and the DataStax driver
Prints, best of K: rows/s, wall seconds, the client's CPU (user + system of its process, start-up
included), CPU per row, its peak RSS, and the cluster's CPU over the same run; then the
ratios baseline / cqlbulk.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "interop"))
from simharness import SimCluster  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid):
    """User + system CPU seconds of a running process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(command, server_pid):
    """Runs command; returns (stdout, wall s, client CPU s, client peak RSS MiB, server CPU s)."""
    server0, t0 = process_cpu(server_pid), time.monotonic()
    with tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, text=True)
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)  # reaps it, with its own rusage
        wall = time.monotonic() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(command)} exited with {child.returncode}: {err.read()}")
    return (out, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
            process_cpu(server_pid) - server0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="1000000",
                        help="comma-separated table sizes, filled in turn (default 1000000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    args = parser.parse_args()
    sizes = [int(n) for n in args.rows.split(",")]
    cqlsim = os.path.join(args.build, "apps", "cqlsim")
    cqlbulk = os.path.join(args.build, "apps", "cqlbulk")
    fill = os.path.join(args.build, "examples", "fill")
    baseline = [sys.executable, os.path.join(HERE, "baseline_count.py")]

    with SimCluster(cqlsim, block=60, nodes=3, vnodes=16) as sim:
        host, pid = sim.first_address, sim.process.pid
        runs = {
            "cqlbulk count": [cqlbulk, "count", "--hosts", host, "-k", "demo", "-t", "events",
                              "--method", "count"],
            "baseline count": baseline + [host, "demo", "events"],
            "cqlbulk stream": [cqlbulk, "count", "--hosts", host, "-k", "demo", "-t", "events",
                               "--method", "stream"],
            "baseline stream": baseline + [host, "demo", "events", "--stream"],
        }
        for rows in sizes:
            # A larger size rewrites the smaller one's rows with the same values, then adds.
            print(subprocess.run([fill, host, str(rows), "128"], check=True, text=True,
                                 capture_output=True).stdout.strip(), flush=True)
            results = {name: [] for name in runs}
            for _ in range(args.repeat):
                for name, command in runs.items():
                    out, *figures = measure(command, pid)
                    counted = json.loads(out)["rows"] if name.startswith("baseline") else int(out)
                    if counted != rows:
                        raise SystemExit(f"{name} counted {counted} rows, not {rows}")
                    results[name].append(figures)
            report(rows, args.repeat, results)


def report(rows, repeat, results):
    print(f"\ncount of {rows:,} rows on a 3-node cqlsim (16 vnodes, RF 2), best of {repeat}")
    print(f"{'':16} {'rows/s':>12} {'wall s':>8} {'client CPU s':>13} {'CPU us/row':>11} "
          f"{'client RSS MiB':>15} {'cluster CPU s':>14}")
    best = {}
    for name, runs in results.items():
        wall, cpu, rss, server = (min(r[i] for r in runs) for i in range(4))
        best[name] = (wall, cpu)
        print(f"{name:16} {rows / wall:12,.0f} {wall:8.3f} {cpu:13.3f} "
              f"{cpu / rows * 1e6:11.4f} {rss:15.1f} {server:14.3f}")
    for method in ("count", "stream"):
        ours, theirs = best[f"cqlbulk {method}"], best[f"baseline {method}"]
        print(f"ratio baseline / cqlbulk, {method}: wall {theirs[0] / ours[0]:.2f}x, "
              f"client CPU {theirs[1] / ours[1]:.2f}x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
