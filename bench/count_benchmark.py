# SPDX-License-Identifier: Apache-2.0
"""`cqlbulk count` against the seed's design (bench/baseline_count.py), side by side on the same
cqlsim cluster, in the same run.

usage: /usr/bin/python3 bench/count_benchmark.py [--rows N] [--repeat K] [--build DIR]
Prints rows/s and client CPU per row of both, and their ratios.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "interop"))
from simharness import SimCluster  # noqa: E402


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command):
    """Runs command; returns (stdout, wall seconds, client CPU seconds)."""
    cpu0, t0 = children_cpu(), time.monotonic()
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return out, time.monotonic() - t0, children_cpu() - cpu0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    args = parser.parse_args()
    cqlsim = os.path.join(args.build, "apps", "cqlsim")
    cqlbulk = os.path.join(args.build, "apps", "cqlbulk")

    with SimCluster(cqlsim, block=60, nodes=3, vnodes=16) as sim:
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "demo_data.py"),
                        sim.first_address, str(args.rows)], check=True)
        results = {"cqlbulk": [], "baseline": []}
        for _ in range(args.repeat):
            out, wall, cpu = timed([cqlbulk, "count", "--hosts", sim.first_address,
                                    "-k", "demo", "-t", "events"])
            assert int(out.split()[0]) == args.rows, out
            results["cqlbulk"].append((wall, cpu))
            out, wall, cpu = timed([sys.executable, os.path.join(HERE, "baseline_count.py"),
                                    sim.first_address, "demo", "events"])
            assert json.loads(out)["rows"] == args.rows, out
            results["baseline"].append((wall, cpu))

    print(f"count of {args.rows} rows on a 3-node cqlsim (16 vnodes, RF 2), best of {args.repeat}")
    print(f"{'':10} {'rows/s':>12} {'wall s':>8} {'client CPU s':>13} {'CPU us/row':>11}")
    best = {}
    for name, runs in results.items():
        wall = min(w for w, _ in runs)
        cpu = min(c for _, c in runs)
        best[name] = (wall, cpu)
        print(f"{name:10} {args.rows / wall:12,.0f} {wall:8.3f} {cpu:13.3f} "
              f"{cpu / args.rows * 1e6:11.3f}")
    print(f"ratio (baseline / cqlbulk): wall {best['baseline'][0] / best['cqlbulk'][0]:.2f}x, "
          f"client CPU {best['baseline'][1] / best['cqlbulk'][1]:.2f}x")
    print("note: both send count(*) per range, so the server does the counting; client CPU "
          "includes process start-up (Python imports, driver connect).")


if __name__ == "__main__":
    main()
