# SPDX-License-Identifier: Apache-2.0
"""The seed's design for counting, as the baseline cqlbulk is measured against: Python, the
DataStax driver, one `count(*)` query per token range of the driver's token map, run
asynchronously with a semaphore bounding the queries in flight. With --stream, each range
streams its partition keys instead (pages of 5000) and the rows are counted here, as
`cqlbulk count --method stream` does.

usage: /usr/bin/python3 baseline_count.py HOST[:PORT] KEYSPACE TABLE [--concurrency N] [--stream]
Prints one JSON object: {"rows": N, "seconds": S, "cpu_seconds": C, "ranges": R}.
"""
import argparse
import json
import resource
import threading
import time

from cassandra.cluster import Cluster, ExecutionProfile, EXEC_PROFILE_DEFAULT
from cassandra.policies import RoundRobinPolicy, TokenAwarePolicy

MIN_TOKEN = -(2 ** 63)
MAX_TOKEN = 2 ** 63 - 1


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("keyspace")
    parser.add_argument("table")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--stream", action="store_true")
    args = parser.parse_args()
    host, _, port = args.host.partition(":")

    profile = ExecutionProfile(load_balancing_policy=TokenAwarePolicy(RoundRobinPolicy()),
                               request_timeout=60)
    cluster = Cluster([host], port=int(port or 9042),
                      execution_profiles={EXEC_PROFILE_DEFAULT: profile})
    session = cluster.connect()
    session.default_fetch_size = 5000
    table = cluster.metadata.keyspaces[args.keyspace].tables[args.table]
    key = ", ".join(c.name for c in table.partition_key)
    selector = key if args.stream else "count(*)"
    query = session.prepare(f"SELECT {selector} FROM {args.keyspace}.{args.table} "
                            f"WHERE token({key}) > ? AND token({key}) <= ?")
    tokens = sorted(t.value for t in cluster.metadata.token_map.ring)
    ranges = [(tokens[i - 1], tokens[i]) for i in range(1, len(tokens))]
    ranges += [(tokens[-1], MAX_TOKEN), (MIN_TOKEN, tokens[0])]

    began, cpu_start = time.monotonic(), cpu_seconds()
    semaphore = threading.Semaphore(args.concurrency)
    lock = threading.Lock()
    done = threading.Event()
    state = {"rows": 0, "pending": len(ranges), "error": None}

    def finish():
        with lock:
            state["pending"] -= 1
            if state["pending"] == 0:
                done.set()
        semaphore.release()

    def on_error(error):
        state["error"] = error
        finish()

    def run_range(r):
        future = session.execute_async(query, r)

        def on_rows(rows):
            if not args.stream:
                with lock:
                    state["rows"] += rows[0].count
                finish()
                return
            with lock:
                state["rows"] += len(rows)
            if future.has_more_pages:
                future.start_fetching_next_page()
            else:
                finish()

        future.add_callbacks(on_rows, on_error)

    for r in ranges:
        semaphore.acquire()
        run_range(r)
    done.wait()
    seconds, cpu = time.monotonic() - began, cpu_seconds() - cpu_start
    cluster.shutdown()
    if state["error"] is not None:
        raise SystemExit(f"count failed: {state['error']}")
    print(json.dumps({"rows": state["rows"], "seconds": seconds, "cpu_seconds": cpu,
                      "ranges": len(ranges)}))


if __name__ == "__main__":
    main()
