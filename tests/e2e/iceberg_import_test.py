# SPDX-License-Identifier: Apache-2.0
"""`cqlbulk load --format iceberg` end to end, on cqlsim and on a real Apache Cassandra.

PyIceberg (the referees' venv, scripts/install-referees.sh; iceberg_import_referee.py) writes a
table partitioned by identity(region) and month(ts) in a SQLite catalog: four appends, a column
renamed between the second and third and one added before the fourth, then a copy-on-write
delete (an overwrite snapshot whose manifests hold DELETED and EXISTING entries). cqlbulk loads
it into Cassandra, and the rows the Python driver reads back equal PyIceberg's scan: at the
current snapshot, at an older one by --snapshot-id and by --as-of, and with --filter (PyIceberg's
scan with the same row_filter; cqlbulk's summary shows the files it pruned). A table with a
position delete file (added by hand) loads without the rows it deletes, as PyIceberg's scan
reads it; one with an equality delete file stops with the clear error and writes nothing. The
Iceberg forms cqlbulk's export writes (long nanoseconds, decimal and varint and inet as text,
decimal(38, 0), the duration struct, timestamp without zone) load back into their CQL types; an
interrupted load resumes the snapshot it read.

    python3 tests/e2e/iceberg_import_test.py --cluster sim|cassandra [--build BUILD_DIR] [-k NAME]
"""
import datetime
import decimal
import ipaddress
import json
import os
import signal
import subprocess
import tempfile
import time
import unittest

import harness

BLOCK = 52
KS = "iceimport"
PYTHON = os.path.join(os.environ.get("CQLBULK_CACHE", os.path.expanduser("~/.cache/cqlbulk")),
                      "referees", "venv", "bin", "python")
REFEREE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "iceberg_import_referee.py")
EPOCH = datetime.datetime(1970, 1, 1)
# The delete tables keep the first schema: `comment`, no `score`.
MAPPING = "id,region,ts,day,qty,price,t,note=comment,uid"
COLUMNS = ["id", "region", "ts", "day", "qty", "price", "t", "note", "uid", "score"]
FILTERS = [
    "region = 'eu' AND qty >= 50",
    "ts < '2024-02-01T00:00:00+00:00'",
    "note IS NULL OR qty < 5",
    "qty NOT IN (1, 2, 3) AND region = 'us'",
    "qty IN (1, 20, 70, 99) AND NOT region = 'us'",
    "day >= '2024-01-15' AND price < 500.50",
    "region != 'eu' AND score > 100",
    "(region = 'apac' OR region IS NULL) AND id >= 700",
]


def canonical(column, value):
    """The referee's canonical form of a value the Python driver read."""
    if value is None:
        return None
    if column == "ts":
        delta = value - EPOCH
        return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
    if column == "day":
        return str(value)
    if column == "t":
        return value.nanosecond_time
    if column in ("price", "uid"):
        return str(value)
    return value


def keyed(rows):
    return {r["id"]: r for r in rows}


@unittest.skipUnless(os.path.exists(PYTHON), "no referees (scripts/install-referees.sh)")
class IcebergImportTest(unittest.TestCase):
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="iceberg-import-test-")
        cls.warehouse = os.path.join(cls.tmp.name, "warehouse")
        built = subprocess.run([PYTHON, REFEREE, "build", cls.warehouse], capture_output=True,
                               text=True, timeout=600)
        if built.returncode != 0:
            raise RuntimeError(f"the referee could not build the tables: {built.stderr[-3000:]}")
        cls.built = json.loads(built.stdout)
        cls.cluster = harness.cluster_under_test(block=BLOCK)
        cls.session = cls.cluster.connect()
        cls.session.execute(f"DROP KEYSPACE IF EXISTS {KS}")
        cls.session.execute(f"CREATE KEYSPACE {KS} WITH replication = "
                            "{'class': 'SimpleStrategy', 'replication_factor': 1}")
        cls.runs = 0

    @classmethod
    def tearDownClass(cls):
        cls.session.execute(f"DROP KEYSPACE IF EXISTS {KS}")
        cls.cluster.close()
        cls.tmp.cleanup()

    def referee_scan(self, table, snapshot_id=None, row_filter=None):
        args = [PYTHON, REFEREE, "scan", self.warehouse, table]
        if snapshot_id is not None:
            args += ["--snapshot-id", str(snapshot_id)]
        if row_filter:
            args += ["--filter", row_filter]
        out = subprocess.run(args, capture_output=True, text=True, timeout=600)
        self.assertEqual(out.returncode, 0, out.stderr[-3000:])
        return json.loads(out.stdout)

    def create(self, name):
        self.session.execute(f"DROP TABLE IF EXISTS {KS}.{name}")
        self.session.execute(
            f"CREATE TABLE {KS}.{name} (id bigint PRIMARY KEY, region text, ts timestamp, "
            "day date, qty int, price decimal, t time, note text, uid uuid, score double)")

    def load(self, name, *flags, expect=0, iceberg_table="ns.events"):
        type(self).runs += 1
        summary = os.path.join(self.tmp.name, f"summary-{self.runs}.json")
        args = [harness.binary("cqlbulk"), "load", "-h", self.cluster.contact, "--port",
                str(self.cluster.port), "-k", KS, "-t", name, "--format", "iceberg",
                "--warehouse", self.warehouse, "--iceberg-table", iceberg_table,
                "--log-dir", os.path.join(self.tmp.name, f"logs-{self.runs}"),
                "--summary-json", summary, *flags]
        out = subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=self.tmp.name)
        what = f"{' '.join(args)}\nexit {out.returncode}\nstderr: {out.stderr[-4000:]}"
        if expect is None:
            self.assertNotEqual(out.returncode, 0, what)
        else:
            self.assertEqual(out.returncode, expect, what)
        doc = None
        if os.path.exists(summary):
            with open(summary) as f:
                doc = json.load(f)
        return out, doc

    def driver_rows(self, name):
        rows = self.session.execute(f"SELECT {', '.join(COLUMNS)} FROM {KS}.{name}")
        return [{c: canonical(c, getattr(r, c)) for c in COLUMNS} for r in rows]

    def assert_same_rows(self, name, expected):
        got = keyed(self.driver_rows(name))
        want = keyed({c: r.get(c) for c in COLUMNS} for r in expected)
        self.assertEqual(sorted(got), sorted(want), "the rows' ids")
        for key in sorted(want):
            self.assertEqual(got[key], want[key], f"row {key}")

    # ---------------------------------------------------------------------------------------

    def test_current_snapshot(self):
        self.create("cur")
        out, doc = self.load("cur")
        want = self.referee_scan("ns.events")["rows"]
        self.assertGreater(len(want), 1000)
        self.assertEqual(doc["rows"], len(want), doc)
        self.assertEqual(doc["errors"], 0, doc)
        self.assertEqual(doc["iceberg"]["snapshot_id"], self.built["snapshots"][-1]["id"], doc)
        self.assertEqual(self.built["snapshots"][-1]["operation"], "overwrite")
        self.assertIn("Iceberg table ns.events, snapshot", out.stderr)
        # The renamed column (comment -> note) is read by its id from the old files, the added
        # one (score) is null in the files written before it.
        self.assertTrue(any(r["note"] is not None and r["id"] < 600 for r in want))
        self.assertTrue(any(r["score"] is None and r["id"] < 900 for r in want))
        self.assert_same_rows("cur", want)

    def test_older_snapshot_by_id(self):
        second = self.built["snapshots"][1]["id"]
        self.create("by_id")
        _, doc = self.load("by_id", "--snapshot-id", str(second))
        want = self.referee_scan("ns.events", snapshot_id=second)["rows"]
        self.assertEqual(len(want), 600)
        self.assertEqual(doc["iceberg"]["snapshot_id"], second, doc)
        self.assert_same_rows("by_id", want)

    def test_older_snapshot_as_of(self):
        third = self.built["snapshots"][2]
        when = datetime.datetime.fromtimestamp(third["timestamp_ms"] / 1000,
                                               tz=datetime.timezone.utc)
        want = self.referee_scan("ns.events", snapshot_id=third["id"])["rows"]
        self.assertEqual(len(want), 900)
        for name, as_of in (("as_of_ms", str(third["timestamp_ms"])),
                            ("as_of_iso", when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z")):
            self.create(name)
            _, doc = self.load(name, "--as-of", as_of)
            self.assertEqual(doc["iceberg"]["snapshot_id"], third["id"], (as_of, doc))
            self.assert_same_rows(name, want)
        # Before the first snapshot there is nothing to read: a clear error.
        out, _ = self.load("as_of_ms", "--as-of", str(self.built["snapshots"][0]["timestamp_ms"] - 1),
                           expect=None)
        self.assertIn("no snapshot", out.stderr)

    def test_filters_equal_pyiceberg(self):
        pruned_any = False
        for i, row_filter in enumerate(FILTERS):
            with self.subTest(row_filter=row_filter):
                name = f"filtered_{i}"
                self.create(name)
                _, doc = self.load(name, "--filter", row_filter)
                referee = self.referee_scan("ns.events", row_filter=row_filter)
                self.assertEqual(doc["errors"], 0, doc)
                self.assertEqual(doc["rows"], len(referee["rows"]), (row_filter, doc))
                self.assert_same_rows(name, referee["rows"])
                pruned_any |= doc["iceberg"]["files_pruned"] > 0
                # Files we plan: never fewer than the files PyIceberg finds a matching row in.
                ours = set(doc["files"])
                self.assertLessEqual(len(ours), doc["iceberg"]["data_files"])
        self.assertTrue(pruned_any, "a partition filter prunes files")

    def test_bad_filter_is_a_clear_error(self):
        self.create("bad")
        out, _ = self.load("bad", "--filter", "region = 'eu' AND nope > 3", expect=None)
        self.assertIn("at position 19", out.stderr)
        self.assertIn("nope", out.stderr)
        out, _ = self.load("bad", "--filter", "day > 'yesterday'", expect=None)
        self.assertIn("'yyyy-mm-dd'", out.stderr)
        out, _ = self.load("bad", iceberg_table="ns.nope", expect=None)
        self.assertIn("ns.nope does not exist", out.stderr)
        out, _ = self.load("bad", "--snapshot-id", "12345", expect=None)
        self.assertIn("has no snapshot 12345", out.stderr)
        # A warehouse without a catalog is an error, and none is made there.
        missing = os.path.join(self.tmp.name, "no-warehouse")
        out, _ = self.load("bad", "--warehouse", missing, expect=None)
        self.assertIn("no Iceberg catalog at", out.stderr)
        self.assertFalse(os.path.exists(missing))
        self.assertEqual(self.driver_rows("bad"), [])

    def test_resume_reads_the_same_snapshot(self):
        # A load interrupted (SIGINT) halfway; the table then gets a new snapshot; --resume
        # finishes the snapshot the first run read, not the new one.
        self.create("resumed")
        snapshot = self.built["growing"]["snapshot"]
        log_dir = os.path.join(self.tmp.name, "logs-resume")
        args = [harness.binary("cqlbulk"), "load", "-h", self.cluster.contact, "--port",
                str(self.cluster.port), "-k", KS, "-t", "resumed", "--format", "iceberg",
                "--warehouse", self.warehouse, "--iceberg-table", "ns.growing",
                "--mapping", MAPPING, "--max-rows-per-second", "500", "--log-dir", log_dir]
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while not os.path.exists(log_dir) and time.monotonic() < deadline \
                    and proc.poll() is None:
                time.sleep(0.05)
            time.sleep(1.5)
            running = proc.poll() is None
            if running:
                proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertTrue(running, f"the load ended before it was interrupted: {stderr[-2000:]}")
        self.assertEqual(proc.returncode, 4, stderr[-2000:])
        self.assertLess(len(self.driver_rows("resumed")), 2000)
        appended = subprocess.run([PYTHON, REFEREE, "append", self.warehouse, "ns.growing",
                                   "--start", "2000", "--count", "100"], capture_output=True,
                                  text=True, timeout=300)
        self.assertEqual(appended.returncode, 0, appended.stderr[-2000:])
        _, doc = self.load("resumed", "--mapping", MAPPING, "--resume", log_dir,
                           iceberg_table="ns.growing")
        self.assertEqual(doc["iceberg"]["snapshot_id"], snapshot, doc)
        want = self.deletes_scan(table="ns.growing", snapshot_id=snapshot)
        self.assertEqual(len(want), 2000)
        self.assert_same_rows("resumed", want)
        # Asking a resumed run for another snapshot is refused.
        out, _ = self.load("resumed", "--mapping", MAPPING, "--resume", log_dir,
                           "--snapshot-id", "1", iceberg_table="ns.growing", expect=None)
        self.assertIn("it read snapshot", out.stderr)

    def test_export_forms_convert_back_to_cql_types(self):
        # The Iceberg forms cqlbulk's export writes (iceberg/README.md, "Iceberg types"), as
        # PyIceberg wrote them from iceberg_import_conversions.json: long nanoseconds -> time,
        # string -> decimal / varint / inet, decimal(38, 0) -> varint, struct{months, days,
        # nanoseconds} -> duration, timestamp (no zone) -> timestamp, int -> smallint.
        self.session.execute(f"DROP TABLE IF EXISTS {KS}.conv")
        self.session.execute(f"CREATE TABLE {KS}.conv (id bigint PRIMARY KEY, t time, d decimal, "
                             "v varint, ip inet, v2 varint, dur duration, ts timestamp, "
                             "small smallint)")
        _, doc = self.load("conv", "--mapping", "id,t=t_nanos,d=dec_text,v=vint_text,ip,"
                           "v2=vint_dec,dur,ts=ts_plain,small", iceberg_table="ns.conversions")
        with open(os.path.join(os.path.dirname(REFEREE), "iceberg_import_conversions.json")) as f:
            values = {v["id"]: v for v in json.load(f)}
        self.assertEqual((doc["rows"], doc["errors"]), (len(values), 0), doc)
        got = {r.id: r for r in self.session.execute(f"SELECT * FROM {KS}.conv")}
        self.assertEqual(sorted(got), sorted(values))
        for key, v in values.items():
            r = got[key]
            with self.subTest(id=key):
                if v["t_nanos"] is None:
                    self.assertEqual((r.t, r.d, r.v, r.ip, r.v2, r.dur, r.ts, r.small),
                                     (None,) * 8)
                    continue
                self.assertEqual(r.t.nanosecond_time, v["t_nanos"])
                want = decimal.Decimal(v["decimal"])
                self.assertEqual((r.d, r.d.as_tuple()), (want, want.as_tuple()))
                self.assertEqual(r.v, int(v["varint"]))
                self.assertEqual(r.v2, int(v["varint"]))
                self.assertEqual(ipaddress.ip_address(r.ip), ipaddress.ip_address(v["inet"]))
                self.assertEqual((r.dur.months, r.dur.days, r.dur.nanoseconds),
                                 tuple(v["duration"]))
                self.assertEqual(r.ts, EPOCH + datetime.timedelta(microseconds=v["timestamp_us"]))
                self.assertEqual(r.small, v["smallint"])

    def test_files_without_field_ids_are_read_by_the_name_mapping(self):
        self.assertTrue(self.built["added"]["name_mapping"])
        for name, flags, row_filter in (("added_all", (), None),
                                        ("added_some", ("--filter", "qty >= 50"), "qty >= 50")):
            self.create(name)
            _, doc = self.load(name, "--mapping", "id,region,qty,note", *flags,
                               iceberg_table="ns.added")
            want = self.referee_scan("ns.added", row_filter=row_filter)["rows"]
            self.assertEqual(doc["rows"], len(want), doc)
            self.assertGreater(len(want), 50)
            self.assert_same_rows(name, want)

    def deletes_scan(self, **kwargs):
        """PyIceberg's rows of a table that keeps the first schema (`comment`, no `score`)."""
        rows = self.referee_scan(**kwargs)["rows"]
        for r in rows:
            r["note"] = r.pop("comment")
        return rows

    def test_position_deletes_are_applied(self):
        self.create("pos_deleted")
        built = self.built["with_deletes"]
        _, doc = self.load("pos_deleted", "--mapping", MAPPING, iceberg_table="ns.with_deletes")
        want = self.deletes_scan(table="ns.with_deletes")
        self.assertEqual(len(want), 97)  # PyIceberg applies the 3 deletes too
        self.assertEqual(built["rows"], 97)
        self.assertEqual(doc["iceberg"]["snapshot_id"], built["snapshot"], doc)
        self.assertEqual(doc["iceberg"]["position_delete_files"], 1, doc)
        self.assert_same_rows("pos_deleted", want)
        # The snapshot before the delete has every row.
        self.create("pos_before")
        self.load("pos_before", "--mapping", MAPPING, "--snapshot-id", str(built["before"]),
                  iceberg_table="ns.with_deletes")
        self.assert_same_rows("pos_before", self.deletes_scan(table="ns.with_deletes",
                                                              snapshot_id=built["before"]))
        self.assertEqual(len(self.driver_rows("pos_before")), 100)

    def test_equality_deletes_stop_and_write_nothing(self):
        self.create("eq_deleted")
        snapshot = self.built["with_equality_deletes"]["snapshot"]
        out, _ = self.load("eq_deleted", "--mapping", MAPPING,
                           iceberg_table="ns.with_equality_deletes", expect=None)
        self.assertIn("ns.with_equality_deletes", out.stderr)
        self.assertIn(str(snapshot), out.stderr)
        self.assertIn("1 equality delete file", out.stderr)
        self.assertEqual(self.driver_rows("eq_deleted"), [])


if __name__ == "__main__":
    harness.main()
