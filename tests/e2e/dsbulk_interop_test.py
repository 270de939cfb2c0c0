# SPDX-License-Identifier: Apache-2.0
"""cqlbulk and DataStax Bulk Loader (DSBulk 1.10.0) read each other's files, on cqlsim and on a
real Apache Cassandra: what `cqlbulk unload` writes (CSV and JSON, cqlbulk's defaults) DSBulk
loads into an identical table, and what `dsbulk unload` writes (CSV and JSON, DSBulk's
defaults) `cqlbulk load` loads into an identical table; the DataStax Python driver compares the
tables with the source, row for row, over the table with every CQL type (all_types.py).

What DSBulk cannot round-trip by itself is left out narrowly (all_types.dsbulk_compatible
says what and why): -0.0 where DSBulk loads, zero durations and null frozen collections where
DSBulk unloads. The one DSBulk option set for cqlbulk's CSV is its escape character: cqlbulk
writes RFC 4180 (a quote inside quotes doubled) where DSBulk's default escape is a backslash;
for DSBulk's CSV, cqlbulk is told `--escape '\\'` in turn.

DSBulk comes from bench/install_peers.sh (into ${CQLBULK_CACHE:-~/.cache/cqlbulk}); the
test command installs it. Without it (or with CQLBULK_DSBULK naming a launcher that is not
there) the tests are skipped, loudly.

    python3 tests/e2e/dsbulk_interop_test.py --cluster sim|cassandra [--build BUILD_DIR]
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

import all_types
import harness

BLOCK = 38
KS = "dsbulk_interop"


def dsbulk_launcher():
    """The DSBulk launcher: $CQLBULK_DSBULK, else where bench/install_peers.sh puts it."""
    if os.environ.get("CQLBULK_DSBULK"):
        return os.environ["CQLBULK_DSBULK"]
    with open(os.path.join(harness.ROOT, "bench", "peers", "pom.xml")) as f:
        version = re.search(r"<dsbulk.version>(.*)</dsbulk.version>", f.read()).group(1)
    cache = os.environ.get("CQLBULK_CACHE", os.path.expanduser("~/.cache/cqlbulk"))
    return os.path.join(cache, f"dsbulk-{version}", "bin", "dsbulk")


class DsbulkInteropTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.dsbulk = dsbulk_launcher()
        if not os.access(cls.dsbulk, os.X_OK):
            message = (f"DSBulk is not installed ({cls.dsbulk} missing): run "
                       "`bash bench/install_peers.sh`; the DSBulk interop tests are SKIPPED")
            print("\n" + "!" * 78 + f"\n{message}\n" + "!" * 78, file=sys.stderr, flush=True)
            raise unittest.SkipTest(message)
        cls.cluster = harness.cluster_under_test(block=BLOCK)
        cls.session = cls.cluster.connect()
        cls.session.execute(f"DROP KEYSPACE IF EXISTS {KS}")
        cls.session.execute(f"CREATE KEYSPACE {KS} WITH replication = "
                            "{'class': 'SimpleStrategy', 'replication_factor': 1}")
        cls.tmp = tempfile.TemporaryDirectory(prefix="dsbulk-interop-test-")
        cls.runs = 0
        rows = all_types.rows(300)
        # cqlbulk unloads, DSBulk loads: without what DSBulk cannot load.
        all_types.create(cls.session, KS, "to_dsbulk")
        all_types.insert(cls.session, KS, "to_dsbulk",
                         all_types.dsbulk_compatible(rows, dsbulk_unloads=False))
        # DSBulk unloads, cqlbulk loads: without what DSBulk cannot unload.
        all_types.create(cls.session, KS, "from_dsbulk")
        all_types.insert(cls.session, KS, "from_dsbulk",
                         all_types.dsbulk_compatible(rows, dsbulk_loads=False))

    @classmethod
    def tearDownClass(cls):
        cls.session.execute(f"DROP KEYSPACE IF EXISTS {KS}")
        cls.cluster.close()
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def run_checked(self, args, what):
        out = subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=self.tmp.name)
        self.assertEqual(out.returncode, 0, f"{what}: {' '.join(args)}\nexit {out.returncode}\n"
                                            f"stdout: {out.stdout[-4000:]}\nstderr: "
                                            f"{out.stderr[-4000:]}")
        return out

    def run_dsbulk(self, operation, table, *flags):
        """dsbulk OPERATION; its logs in the temporary directory. A load must reject nothing
        (DSBulk exits 0 only then); its error files are shown when it does."""
        logs = self.path(f"dsbulk-logs-{operation}-{table}")
        args = [self.dsbulk, operation, "-h", self.cluster.contact, "-port",
                str(self.cluster.port), "-k", KS, "-t", table, "--log.directory", logs, *flags]
        out = subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=self.tmp.name)
        if out.returncode != 0:
            details = ""
            if "Could not parse type name" in out.stderr:
                details = ("NOTE: DSBulk 1.10 (Java driver 4.14) cannot parse a type of some "
                           "table in the cluster (a vector<...> column?) and then sees no schema "
                           "at all; drop that table.\n")
            for root, _, files in os.walk(logs):
                for name in files:
                    if name.endswith("-errors.log"):
                        with open(os.path.join(root, name), errors="replace") as f:
                            details += f"--- {name}\n{f.read()[:6000]}\n"
            self.fail(f"dsbulk {operation}: {' '.join(args)}\nexit {out.returncode}\nstdout: "
                      f"{out.stdout[-3000:]}\nstderr: {out.stderr[-3000:]}\n{details}")
        return out

    def run_cqlbulk(self, operation, table, *flags):
        type(self).runs += 1
        return self.run_checked(
            [harness.binary("cqlbulk"), operation, "-h", self.cluster.contact, "--port",
             str(self.cluster.port), "-k", KS, "-t", table,
             "--log-dir", self.path(f"cqlbulk-logs-{self.runs}-{operation}-{table}"), *flags],
            f"cqlbulk {operation}")

    def cqlbulk_to_dsbulk(self, fmt, dsbulk_flags):
        folder = self.path(f"cqlbulk-{fmt}")
        self.run_cqlbulk("unload", "to_dsbulk", "--format", fmt, "--url", folder)
        copy = f"dsbulk_loaded_{fmt}"
        all_types.create(self.session, KS, copy)
        self.run_dsbulk("load", copy, "-c", fmt, "-url", folder, *dsbulk_flags)
        all_types.assert_tables_equal(self.session, KS, "to_dsbulk", KS, copy)

    def dsbulk_to_cqlbulk(self, fmt, cqlbulk_flags):
        folder = self.path(f"dsbulk-{fmt}")
        self.run_dsbulk("unload", "from_dsbulk", "-c", fmt, "-url", folder)
        copy = f"cqlbulk_loaded_{fmt}"
        all_types.create(self.session, KS, copy)
        self.run_cqlbulk("load", copy, "--format", fmt, "--url", folder, *cqlbulk_flags)
        all_types.assert_tables_equal(self.session, KS, "from_dsbulk", KS, copy)

    def test_dsbulk_loads_cqlbulk_csv(self):
        # HOCON: the string "\"", a double quote: RFC 4180's escape, as cqlbulk writes.
        self.cqlbulk_to_dsbulk("csv", ["--connector.csv.escape", '"\\""'])

    def test_dsbulk_loads_cqlbulk_json(self):
        self.cqlbulk_to_dsbulk("json", [])

    def test_cqlbulk_loads_dsbulk_csv(self):
        self.dsbulk_to_cqlbulk("csv", ["--escape", "\\"])  # DSBulk's default escape

    def test_cqlbulk_loads_dsbulk_json(self):
        self.dsbulk_to_cqlbulk("json", [])


if __name__ == "__main__":
    harness.main()
