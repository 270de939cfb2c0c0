# SPDX-License-Identifier: Apache-2.0
"""cqlbulk's Parquet writer and reader against pyarrow's, per column type, codec and dictionary
mode, on the same data in the same run.

usage: /root/.cache/cqlbulk/referees/venv/bin/python bench/parquet_benchmark.py
           [--rows N] [--repeat K] [--rounds R] [--build DIR] [--types a,b]
           [--codecs none,zstd] [--unit mb|values] [--markdown] [--json PATH]
           [--malloc-defaults]

It runs build/bench/parquet_benchmark (configure with -DCQLBULK_BUILD_BENCH=ON) once per column
type, which, for each case of the type, builds one column of --rows rows in memory, writes it
with ParquetWriter into memory and reads it back with ParquetReader, K times each, and prints
one JSON line per case with the best (and median) CPU seconds; it also keeps the type's file
(--data-dir). This script then reads that file with pyarrow into an Arrow table (one chunk a
column) and, for each case, times in-process, with pa.set_cpu_count(1) and
pa.set_io_thread_count(1):

  write  pq.write_table(table, BufferOutputStream, compression=codec, use_dictionary=dict)
  read   pq.ParquetFile(BufferReader(that file)).read(use_threads=False)
         (--pyarrow-read read_table: pq.read_table(BufferReader(that file)))

by time.process_time() (the process's CPU, every thread), best of K. The default read runs
in this thread. pq.read_table goes through the datasets layer, which runs the decoding on
pyarrow's pool threads even with one CPU, and costs ~0.5 ms more a file; on a loaded machine
process_time then misses part of the pool thread's time (the kernel adds a running thread's
time to its process at ticks and switches): it reported 0.84 ms for a read whose bare reader
alone takes 1.01 ms. With --rounds R all of
this runs R times and each figure keeps its best: a shared machine's load comes and goes, and
ours and pyarrow's runs of a type are next to each other in time. Every other option is
pyarrow's default, which the writer's defaults follow: 1 MiB pages and dictionaries, row
groups of 1Mi rows, data page v1, statistics, ZSTD level 1.

MB/s divides the same figure for both: `plain_bytes`, the in-memory size of the column (values,
offsets and validity bitmaps, Arrow's layout: 20-byte strings are 24 bytes a row) by the CPU
seconds. Values are rows, list elements for the list column. The ratio is ours / pyarrow:
above 1 we are faster.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def best_cpu(fn, repeat):
    """The least process CPU seconds of `repeat` calls of fn, and fn's last result."""
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def measure_pyarrow(table, case, repeat, read_with):
    codec = case["codec"]
    dictionary = case["dictionary"]

    def write():
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression=codec, use_dictionary=dictionary)
        return sink.getvalue()

    def read():
        if read_with == "read_table":
            return pq.read_table(pa.BufferReader(buf))
        return pq.ParquetFile(pa.BufferReader(buf)).read(use_threads=False)

    write_s, buf = best_cpu(write, repeat)
    read_s, back = best_cpu(read, repeat)
    if back.num_rows != table.num_rows:
        sys.exit(f"{case['case']}: pyarrow read {back.num_rows} rows of {table.num_rows}")
    return {"write_s": write_s, "read_s": read_s, "encoded_bytes": buf.size}


def keep_best(cases, case):
    """Adds `case` to `cases`, or keeps the least seconds of each figure over the rounds."""
    best = cases.setdefault(case["case"], case)
    if best is case:
        return
    for key in ("write_s", "read_s"):
        best[key] = min(best[key], case[key])
        best["pyarrow"][key] = min(best["pyarrow"][key], case["pyarrow"][key])


def rate(case, seconds, unit):
    if seconds <= 0:
        return 0.0
    if unit == "values":
        return case["values"] / seconds / 1e6
    return case["plain_bytes"] / seconds / 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5,
                        help="writes and reads per case and round; the least CPU time counts")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run every case this many times, a column type at a time, ours "
                             "then pyarrow's, and keep the best of each (default 1)")
    parser.add_argument("--build", default=os.path.join(ROOT, "build"),
                        help="build directory holding bench/parquet_benchmark")
    parser.add_argument("--types", default="", help="column types, comma-separated (default all)")
    parser.add_argument("--codecs", default="", help="codecs, comma-separated (default all)")
    parser.add_argument("--unit", choices=("mb", "values"), default="mb",
                        help="throughput in MB/s of plain data (default) or millions of values/s")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--json", help="also write every figure, ours and pyarrow's, to PATH")
    parser.add_argument("--pyarrow-read", choices=("file", "read_table"), default="file",
                        help="pyarrow's read: ParquetFile(...).read(use_threads=False), the "
                             "reader alone in this thread (default), or pq.read_table(...), "
                             "the datasets layer on pyarrow's thread pools")
    parser.add_argument("--malloc-defaults", action="store_true",
                        help="run ours with glibc malloc's defaults (memory handed back and "
                             "faulted in again every repetition)")
    args = parser.parse_args()

    binary = os.path.join(args.build, "bench", "parquet_benchmark")
    if not os.path.exists(binary):
        sys.exit(f"{binary} not found: configure with -DCQLBULK_BUILD_BENCH=ON and build "
                 "parquet_benchmark")
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    load_before = os.getloadavg()

    types = args.types.split(",") if args.types else subprocess.run(
        [binary, "--list-types"], check=True, stdout=subprocess.PIPE, text=True).stdout.split()
    cases = {}  # name -> our JSON line, with "pyarrow" added; best over the rounds
    with tempfile.TemporaryDirectory(prefix="parquet_benchmark.") as data_dir:
        for _ in range(args.rounds):
            # One type at a time, ours then pyarrow's, so that both meet the same load.
            for column_type in types:
                command = [binary, "--rows", str(args.rows), "--repeat", str(args.repeat),
                           "--types", column_type, "--data-dir", data_dir]
                if args.codecs:
                    command += ["--codecs", args.codecs]
                if args.malloc_defaults:
                    command.append("--malloc-defaults")
                ours = subprocess.run(command, check=True, stdout=subprocess.PIPE,
                                      text=True).stdout
                table = pq.read_table(os.path.join(data_dir, column_type + ".parquet"))
                table = table.combine_chunks()
                for line in ours.splitlines():
                    case = json.loads(line)
                    if table.num_rows != case["rows"]:
                        sys.exit(f"{column_type}: pyarrow read {table.num_rows} rows of our "
                                 f"file, {case['rows']} written")
                    case["pyarrow"] = measure_pyarrow(table, case, args.repeat, args.pyarrow_read)
                    keep_best(cases, case)
    cases = list(cases.values())
    load_after = os.getloadavg()

    unit = "MB/s" if args.unit == "mb" else "Mval/s"
    header = ["case", f"ours write {unit}", f"pyarrow write {unit}", "ratio",
              f"ours read {unit}", f"pyarrow read {unit}", "ratio", "ours bytes",
              "pyarrow bytes"]
    rows = []
    write_ratios, read_ratios = [], []
    for case in cases:
        p = case["pyarrow"]
        ow, pw = rate(case, case["write_s"], args.unit), rate(case, p["write_s"], args.unit)
        orr, pr = rate(case, case["read_s"], args.unit), rate(case, p["read_s"], args.unit)
        write_ratio = ow / pw if pw else 0
        read_ratio = orr / pr if pr else 0
        write_ratios.append(write_ratio)
        read_ratios.append(read_ratio)
        rows.append([case["case"], f"{ow:,.0f}", f"{pw:,.0f}", f"{write_ratio:.2f}",
                     f"{orr:,.0f}", f"{pr:,.0f}", f"{read_ratio:.2f}",
                     f"{case['encoded_bytes']:,}", f"{p['encoded_bytes']:,}"])

    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|---|" + "---:|" * (len(header) - 1))
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
        for r in [header] + rows:
            print("  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i])
                            for i, c in enumerate(r)))

    def geomean(xs):
        xs = [x for x in xs if x > 0]
        return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else 0

    print(f"\ngeometric mean of ours / pyarrow: write {geomean(write_ratios):.2f}, "
          f"read {geomean(read_ratios):.2f} ({len(cases)} cases, {args.rows:,} rows, best of "
          f"{args.repeat} x {args.rounds} round(s), CPU time; pyarrow {pa.__version__} "
          f"single-threaded)")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
          f"({os.cpu_count()} CPUs)")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"rows": args.rows, "repeat": args.repeat, "rounds": args.rounds,
                       "pyarrow": pa.__version__,
                       "load_average": [load_before[0], load_after[0]], "cases": cases},
                      out, indent=1)


if __name__ == "__main__":
    main()
