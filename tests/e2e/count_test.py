# SPDX-License-Identifier: Apache-2.0
"""`cqlbulk count` end to end, on cqlsim and on a real Apache Cassandra: exact for single and
composite partition keys, with and without clustering columns, empty tables, RF 1 and 3 and
NetworkTopologyStrategy; exact with RF 3 when a node stops in the middle; a clear failure
with RF 1 and a node down."""
import json
import os
import subprocess
import tempfile
import time
import unittest

from cassandra.concurrent import execute_concurrent_with_args

import harness
from harness import run_cqlbulk

# table name -> (CREATE TABLE columns, INSERT, rows generator)
TABLES = {
    "single": ("(k int PRIMARY KEY, v text)", "INSERT INTO {t} (k, v) VALUES (?, ?)",
               lambda n: [(i, f"value {i}") for i in range(n)]),
    "composite": ("(a int, b text, v int, PRIMARY KEY ((a, b)))",
                  "INSERT INTO {t} (a, b, v) VALUES (?, ?, ?)",
                  lambda n: [(i % 97, f"b{i}", i) for i in range(n)]),
    "clustered": ("(p int, c int, v text, PRIMARY KEY (p, c)) WITH CLUSTERING ORDER BY (c DESC)",
                  "INSERT INTO {t} (p, c, v) VALUES (?, ?, ?)",
                  lambda n: [(i % 61, i, "x") for i in range(n)]),
    "empty": ("(k int PRIMARY KEY)", None, lambda n: []),
}
ROWS = 2000


def count(cluster, keyspace, table, *flags):
    return run_cqlbulk("count", "-h", cluster.contact, "--port", str(cluster.port), "-k", keyspace,
                       "-t", table, *flags)


class CountTest(unittest.TestCase):
    cluster = None

    @classmethod
    def setUpClass(cls):
        cls.cluster = harness.cluster_under_test(block=30)
        cls.session = cls.cluster.connect()
        cls.keyspaces = cls.cluster.create_keyspaces(cls.session, "count", nts_replicas=3)
        for ks in cls.keyspaces:
            for name, (columns, insert, rows) in TABLES.items():
                cls.session.execute(f"CREATE TABLE {ks}.{name} {columns}")
                if insert:
                    prepared = cls.session.prepare(insert.format(t=f"{ks}.{name}"))
                    execute_concurrent_with_args(cls.session, prepared, rows(ROWS),
                                                 concurrency=64, raise_on_first_error=True)

    @classmethod
    def tearDownClass(cls):
        for ks in cls.keyspaces:
            cls.session.execute(f"DROP KEYSPACE IF EXISTS {ks}")
        cls.cluster.close()

    def expected(self, table):
        return len(TABLES[table][2](ROWS))

    def test_every_table_and_replication_is_counted_exactly(self):
        for ks in self.keyspaces:
            for table in TABLES:
                with self.subTest(keyspace=ks, table=table):
                    out = count(self.cluster, ks, table)
                    self.assertEqual(out.returncode, 0, out.stderr)
                    self.assertEqual(int(out.stdout.split()[0]), self.expected(table))
                    # The driver's own count(*) of the whole table agrees.
                    driver = self.session.execute(f"SELECT count(*) FROM {ks}.{table}").one()[0]
                    self.assertEqual(driver, self.expected(table))

    def test_splits_and_methods_do_not_change_the_total(self):
        for flags in (("--splits", "1"), ("--splits", "7"), ("--splits", "1000"),
                      ("--method", "stream"), ("--method", "count", "--concurrency", "1")):
            with self.subTest(flags=flags):
                out = count(self.cluster, "count_rf3", "clustered", *flags)
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertEqual(int(out.stdout.split()[0]), self.expected("clustered"))

    def test_per_range_counts_add_up_to_the_total(self):
        with tempfile.TemporaryDirectory() as tmp:
            summary = os.path.join(tmp, "summary.json")
            out = count(self.cluster, "count_nts", "composite", "--stats", "global,hosts,ranges",
                        "--summary-json", summary)
            self.assertEqual(out.returncode, 0, out.stderr)
            with open(summary) as f:
                doc = json.load(f)
        self.assertEqual(doc["rows"], self.expected("composite"))
        self.assertEqual(sum(r["rows"] for r in doc["ranges_detail"]), doc["rows"])
        self.assertEqual(sum(doc["hosts"].values()), doc["rows"])
        self.assertLessEqual(set(doc["hosts"]), {f"{h}:{self.cluster.port}"
                                                 for h in self.cluster.hosts})

    def test_a_single_replica_read_says_so_and_all_does_not(self):
        one = count(self.cluster, "count_rf3", "single")
        self.assertEqual(one.returncode, 0, one.stderr)
        self.assertIn("LOCAL_ONE reads one replica of 3", one.stderr)
        self.assertIn("--consistency ALL", one.stderr)
        every = count(self.cluster, "count_rf3", "single", "--consistency", "ALL")
        self.assertEqual(every.returncode, 0, every.stderr)
        self.assertEqual(int(every.stdout.split()[0]), self.expected("single"))
        self.assertNotIn("reads one replica", every.stderr)
        rf1 = count(self.cluster, "count_rf1", "single")
        self.assertNotIn("reads one replica", rf1.stderr)  # the only replica: nothing to say

    def test_rf3_stays_exact_when_a_node_stops_in_the_middle(self):
        node = self.cluster.num_nodes
        args = [harness.binary("cqlbulk"), "count", "-h", self.cluster.contact, "--port",
                str(self.cluster.port), "-k", "count_rf3", "-t", "clustered", "--splits", "6000",
                "--concurrency", "2", "--summary-json", os.devnull]
        self.cluster.slow_down(1)  # 6000 ranges two at a time: several seconds on either kind
        started = time.monotonic()
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(0.5)
            still_running = proc.poll() is None  # when the node is sent its signal
            stopped_at = time.monotonic() - started
            self.cluster.stop_node(node)
            stdout, stderr = proc.communicate(timeout=600)
        finally:
            if proc.poll() is None:
                proc.kill()
            self.cluster.slow_down(0)
            self.cluster.start_node(node)
        self.assertTrue(still_running, f"the count ended before node {node} stopped "
                                       f"({stopped_at:.2f} s): make it longer")
        self.assertEqual(proc.returncode, 0, stderr)
        self.assertEqual(int(stdout.split()[0]), self.expected("clustered"), stderr)

    def test_rf1_with_a_node_down_fails_and_names_the_ranges(self):
        node = self.cluster.num_nodes
        self.cluster.stop_node(node)
        try:
            out = count(self.cluster, "count_rf1", "single", "--splits", "64")
        finally:
            self.cluster.start_node(node)
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertEqual(out.stdout, "")  # never a partial total
        self.assertRegex(out.stderr, r"could not be read: \(-?\d+, -?\d+\]")


if __name__ == "__main__":
    harness.main()
