# SPDX-License-Identifier: Apache-2.0
"""Interrupted `cqlbulk unload` and `cqlbulk load` resumed with `--resume LOGDIR`, on cqlsim and
on a real Apache Cassandra: the result is exactly what an uninterrupted run gives.

200,000 rows (examples/fill's `events` table: 4,000 partitions of 1 to 50 rows) are unloaded
once without interruption (the reference). Then a slowed-down run (`--concurrency 1
--max-rows-per-second`) is killed in the middle (SIGKILL: no chance to clean up; and SIGINT:
exit code 4) and resumed: the files then hold the reference's rows, none missing, none twice.
A load killed in the middle and resumed gives the same table as the source. With RF 3, a node
stopped in the middle of an unload loses and duplicates nothing; with RF 1 and a node down the
unload fails (exit 3) naming the ranges, and once the node is back --resume completes it exactly.

    python3 tests/e2e/resume_test.py --cluster sim|cassandra [--build BUILD_DIR]
"""
import collections
import gzip
import json
import os
import signal
import subprocess
import tempfile
import time
import unittest

import all_types
import harness

BLOCK = 37
KS1, KS3 = "resume_rf1", "resume_rf3"
ROWS = 200_000
RATE = 25_000      # rows per second of the slowed-down runs: 8 s for the table
KILL_AFTER = 2.5   # seconds
HEADER = "sensor,seq,note,reading"  # SELECT * order: keys, then the rest by name
KEY = ("sensor", "seq")


def read_rows(folder):
    """Every data line of every CSV file in `folder` (headers dropped), as a Counter; .gz
    files through Python's gzip, .zst through the zstd tool (both must read them whole)."""
    rows = collections.Counter()
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".gz"):
            data = gzip.open(path).read()
        elif name.endswith(".zst"):
            data = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
        else:
            with open(path, "rb") as f:
                data = f.read()
        for line in data.decode().split("\n"):
            if line and line != HEADER:
                rows[line] += 1
    return rows


def describe(expected, actual):
    missing = expected - actual
    extra = actual - expected
    return (f"{sum(actual.values())} rows, {sum(expected.values())} expected; "
            f"{sum(missing.values())} missing (e.g. {list(missing)[:3]}), "
            f"{sum(extra.values())} extra or repeated (e.g. {list(extra)[:3]})")


class ResumeTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.cluster = harness.cluster_under_test(block=BLOCK)
        cls.session = cls.cluster.connect()
        cls.tmp = tempfile.TemporaryDirectory(prefix="resume-test-")
        for ks, rf in ((KS1, 1), (KS3, 3)):
            cls.session.execute(f"DROP KEYSPACE IF EXISTS {ks}")
            cls.session.execute(f"CREATE KEYSPACE {ks} WITH replication = "
                                f"{{'class': 'SimpleStrategy', 'replication_factor': {rf}}}")
            fill = subprocess.run([harness.binary("fill"), cls.cluster.contact, str(ROWS), "64",
                                   ks], capture_output=True, text=True, timeout=900)
            if fill.returncode != 0:
                raise RuntimeError(f"fill {ks}: {fill.stdout}{fill.stderr}")
        for ks in (KS1, KS3):
            harness.wait_for_rows(cls.session, f"SELECT count(*) FROM {ks}.events", ROWS,
                                  timeout=120)
        cls.reference = None

    @classmethod
    def tearDownClass(cls):
        for ks in (KS1, KS3):
            cls.session.execute(f"DROP KEYSPACE IF EXISTS {ks}", timeout=120)
        cls.cluster.close()
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def args(self, operation, keyspace, table, *flags):
        return [harness.binary("cqlbulk"), operation, "-h", self.cluster.contact, "--port",
                str(self.cluster.port), "-k", keyspace, "-t", table, *flags]

    def run_ok(self, args):
        out = subprocess.run(args, capture_output=True, text=True, timeout=900, cwd=self.tmp.name)
        self.assertEqual(out.returncode, 0, f"{' '.join(args)}\nexit {out.returncode}\n"
                                            f"stdout: {out.stdout[-2000:]}\nstderr: "
                                            f"{out.stderr[-4000:]}")
        return out

    def reference_rows(self):
        if self.reference is None:
            folder = self.path("reference")
            self.run_ok(self.args("unload", KS1, "events", "--format", "csv", "--url", folder,
                                  "--log-dir", self.path("logs/reference")))
            type(self).reference = read_rows(folder)
            self.assertEqual(sum(self.reference.values()), ROWS)
            self.assertEqual(len(self.reference), ROWS)
        return self.reference

    def interrupt(self, args, sig, log_dir, after=KILL_AFTER):
        """Starts args, sends `sig` after `after` seconds (once the log directory exists);
        returns (exit code, stderr). Fails if the run ended before the signal."""
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=self.tmp.name)
        try:
            deadline = time.monotonic() + 60
            while not os.path.exists(log_dir) and time.monotonic() < deadline \
                    and proc.poll() is None:
                time.sleep(0.05)
            time.sleep(after)
            running = proc.poll() is None
            if running:
                proc.send_signal(sig)
            _, stderr = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertTrue(running, f"{' '.join(args)} ended before it was interrupted (exit "
                                 f"{proc.returncode}): make it slower\n{stderr[-2000:]}")
        return proc.returncode, stderr

    def check_unload_resumes(self, sig, name, compression="none"):
        reference = self.reference_rows()
        folder, log_dir = self.path(f"unload-{name}"), self.path(f"logs/unload-{name}")
        flags = ["--format", "csv", "--url", folder, "--compression", compression,
                 "--concurrency", "1", "--max-rows-per-second", str(RATE)]
        code, stderr = self.interrupt(self.args("unload", KS1, "events", *flags, "--log-dir",
                                                log_dir), sig, log_dir)
        if sig == signal.SIGINT:
            self.assertEqual(code, 4, stderr)
        else:
            self.assertEqual(code, -signal.SIGKILL)
        self.assertTrue(os.path.isfile(os.path.join(log_dir, "checkpoint.json")),
                        os.listdir(log_dir))
        if compression == "none":  # a killed compressed file may end in the middle of a frame
            before = sum(read_rows(folder).values()) if os.path.isdir(folder) else 0
            self.assertLess(before, ROWS, "the interrupted run had written every row")
        summary = self.path(f"unload-{name}.json")
        self.run_ok(self.args("unload", KS1, "events", *flags[:-4], "--resume", log_dir,
                              "--summary-json", summary))
        got = read_rows(folder)
        self.assertEqual(got, reference, describe(reference, got))
        with open(summary) as f:
            doc = json.load(f)
        self.assertEqual(doc["rows"], ROWS, f"the resumed run's summary: {doc}")

    def test_unload_killed_then_resumed_gives_every_row_once(self):
        self.check_unload_resumes(signal.SIGKILL, "kill")

    def test_unload_killed_then_resumed_with_compression(self):
        for codec in ("gzip", "zstd"):
            with self.subTest(codec=codec):
                self.check_unload_resumes(signal.SIGKILL, f"kill-{codec}", codec)

    def test_unload_interrupted_then_resumed_gives_every_row_once(self):
        self.check_unload_resumes(signal.SIGINT, "int")

    def test_parquet_unload_killed_then_resumed_gives_every_row_once(self):
        # Parquet files are complete only with their footer: the resumed run removes the file
        # the killed one was writing and reads its ranges again.
        self.reference_rows()
        folder, log_dir = self.path("unload-parquet"), self.path("logs/unload-parquet")
        flags = ["--format", "parquet", "--url", folder, "--max-records-per-file", "400",
                 "--concurrency", "1", "--max-rows-per-second", str(RATE)]
        code, stderr = self.interrupt(self.args("unload", KS1, "events", *flags, "--log-dir",
                                                log_dir), signal.SIGKILL, log_dir)
        self.assertEqual(code, -signal.SIGKILL, stderr)
        summary = self.path("unload-parquet.json")
        self.run_ok(self.args("unload", KS1, "events", *flags[:-4], "--resume", log_dir,
                              "--summary-json", summary))
        with open(summary) as f:
            self.assertEqual(json.load(f)["rows"], ROWS)
        # Every row once: a load reads exactly ROWS records from the files, and they are the
        # table's rows.
        self.session.execute(f"CREATE TABLE {KS1}.from_parquet (sensor int, seq int, "
                             "reading double, note text, PRIMARY KEY (sensor, seq))")
        summary = self.path("load-parquet.json")
        self.run_ok(self.args("load", KS1, "from_parquet", "--format", "parquet", "--url", folder,
                              "--summary-json", summary))
        with open(summary) as f:
            doc = json.load(f)
        self.assertEqual((doc["rows"], doc["errors"]), (ROWS, 0), doc)
        all_types.assert_tables_equal(self.session, KS1, "events", KS1, "from_parquet",
                                      columns=["reading", "note"], key=KEY)

    def check_load_resumes(self, source, table, name):
        self.session.execute(f"CREATE TABLE {KS1}.{table} (sensor int, seq int, reading double, "
                             "note text, PRIMARY KEY (sensor, seq))")
        log_dir = self.path(f"logs/load-{name}")
        flags = ["--format", "csv", "--url", source, "--concurrency", "1",
                 "--max-rows-per-second", str(RATE)]
        code, stderr = self.interrupt(self.args("load", KS1, table, *flags, "--log-dir", log_dir),
                                      signal.SIGKILL, log_dir)
        self.assertEqual(code, -signal.SIGKILL)
        partial = self.session.execute(f"SELECT count(*) FROM {KS1}.{table}",
                                       timeout=120).one()[0]
        self.assertLess(partial, ROWS, "the interrupted load had written every row")
        summary = self.path(f"load-{name}.json")
        self.run_ok(self.args("load", KS1, table, *flags[:-4], "--resume", log_dir,
                              "--summary-json", summary))
        all_types.assert_tables_equal(self.session, KS1, "events", KS1, table,
                                      columns=["reading", "note"], key=KEY)
        with open(summary) as f:
            doc = json.load(f)
        self.assertEqual((doc["rows"], doc["errors"]), (ROWS, 0), doc)

    def test_load_killed_then_resumed_gives_the_same_table(self):
        self.reference_rows()
        self.check_load_resumes(self.path("reference"), "copy", "kill")

    def test_load_of_gzip_files_killed_then_resumed_gives_the_same_table(self):
        self.reference_rows()
        folder = self.path("reference-gz")
        os.makedirs(folder)
        for name in os.listdir(self.path("reference")):
            with open(os.path.join(self.path("reference"), name), "rb") as f:
                data = f.read()
            with open(os.path.join(folder, name + ".gz"), "wb") as f:
                f.write(gzip.compress(data, compresslevel=1))
        self.check_load_resumes(folder, "copy_gz", "kill-gz")

    def test_resume_refuses_other_text_options(self):
        """A resumed run must write (or read) its files as the run it continues did: resuming
        with another --delimiter, --null-string or --header is a usage error (exit 2)."""
        reference = self.reference_rows()
        folder, log_dir = self.path("unload-options"), self.path("logs/unload-options")
        flags = ["--format", "csv", "--url", folder]
        slow = ["--concurrency", "1", "--max-rows-per-second", str(RATE)]
        self.interrupt(self.args("unload", KS1, "events", *flags, *slow, "--log-dir", log_dir),
                       signal.SIGKILL, log_dir)
        for other in (["--delimiter", ";"], ["--null-string", "NULL"], ["--header", "false"]):
            out = subprocess.run(self.args("unload", KS1, "events", *flags, *other, "--resume",
                                           log_dir), capture_output=True, text=True,
                                 timeout=900, cwd=self.tmp.name)
            self.assertEqual(out.returncode, 2, f"{other}: {out.stderr}")
        self.run_ok(self.args("unload", KS1, "events", *flags, "--resume", log_dir))
        got = read_rows(folder)
        self.assertEqual(got, reference, describe(reference, got))

    def test_rf3_unload_with_a_node_stopped_in_the_middle(self):
        reference = self.reference_rows()
        node = self.cluster.num_nodes
        folder = self.path("rf3")
        args = self.args("unload", KS3, "events", "--format", "csv", "--url", folder,
                         "--concurrency", "2", "--splits", "600", "--max-rows-per-second",
                         str(RATE), "--log-dir", self.path("logs/rf3"))
        self.cluster.slow_down(1)
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=self.tmp.name)
        try:
            time.sleep(1.5)
            still_running = proc.poll() is None
            self.cluster.stop_node(node)
            stdout, stderr = proc.communicate(timeout=900)
        finally:
            if proc.poll() is None:
                proc.kill()
            self.cluster.slow_down(0)
            self.cluster.start_node(node)
        self.assertTrue(still_running, "the unload ended before the node stopped: make it longer")
        self.assertEqual(proc.returncode, 0, stderr)
        got = read_rows(folder)
        self.assertEqual(got, reference, describe(reference, got))


    def test_rf1_unload_with_a_node_down_fails_then_resumes_exactly(self):
        reference = self.reference_rows()
        node = self.cluster.num_nodes
        folder, log_dir = self.path("rf1-down"), self.path("logs/rf1-down")
        args = self.args("unload", KS1, "events", "--format", "csv", "--url", folder)
        self.cluster.stop_node(node)
        try:
            out = subprocess.run(args + ["--log-dir", log_dir], capture_output=True, text=True,
                                 timeout=900, cwd=self.tmp.name)
        finally:
            self.cluster.start_node(node)
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertRegex(out.stderr, r"could not be read: \(-?\d+, -?\d+\]")
        self.assertIn(f"--resume {log_dir}", out.stderr)
        self.assertLess(sum(read_rows(folder).values()), ROWS)
        self.run_ok(args + ["--resume", log_dir])
        got = read_rows(folder)
        self.assertEqual(got, reference, describe(reference, got))

    def test_load_interrupted_then_resumed_gives_the_same_table(self):
        self.reference_rows()
        self.session.execute(f"CREATE TABLE {KS1}.copy_int (sensor int, seq int, reading double, "
                             "note text, PRIMARY KEY (sensor, seq))")
        log_dir = self.path("logs/load-int")
        flags = ["--format", "csv", "--url", self.path("reference"), "--concurrency", "1",
                 "--max-rows-per-second", str(RATE)]
        code, stderr = self.interrupt(self.args("load", KS1, "copy_int", *flags, "--log-dir",
                                                log_dir), signal.SIGINT, log_dir)
        self.assertEqual(code, 4, stderr)
        self.assertIn(f"--resume {log_dir}", stderr)
        self.run_ok(self.args("load", KS1, "copy_int", *flags[:-4], "--resume", log_dir))
        all_types.assert_tables_equal(self.session, KS1, "events", KS1, "copy_int",
                                      columns=["reading", "note"], key=KEY)

if __name__ == "__main__":
    harness.main()
