# SPDX-License-Identifier: Apache-2.0
"""`cqlbulk unload --format iceberg` end to end, on cqlsim and on a real Apache Cassandra.

store.orders (composite partition key, clustering columns, a date column), 100,000 rows loaded
with `cqlbulk load`, exported to an Iceberg table partitioned by day(order_date). Independent
readers judge the table (iceberg_referee.py in the referee venv): PyIceberg's SqlCatalog lists
the namespace and table, loads it, and its scan equals the rows the DataStax Python driver reads;
the schema, spec and identifier fields are as mapped; inspect snapshots/files/partitions/manifests
show our metrics (checked against pyarrow's reading of each file); a filtered scan plans fewer
files; DuckDB and pyarrow read every data file; fastavro reads every manifest and manifest list
and finds every field id; icebird (npm) reads the rows. Two concurrent exports appending to one
table both commit (SQLite, and PostgreSQL from tests/testing/postgres_server.py); an export
killed with SIGKILL leaves the table as it was, and --resume commits once with every row (a
second --resume finds the snapshot and commits nothing); --mode overwrite replaces the rows;
--mode create refuses an existing table; a table appearing with another schema mid-export is
refused at the commit (table unchanged, files listed); lists, maps, sets, tuples and UDTs are
routed to bucket partitions whole; few open files evict and reopen without losing a row.

    python3 tests/e2e/iceberg_export_test.py --cluster sim|cassandra [--build BUILD_DIR] [-k NAME]
"""
import csv
import datetime
import json
import os
import re
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

import harness

BLOCK = 44
KS = "store"
ROWS = 100_000
DAYS = 40
FIRST_DAY = datetime.date(2024, 3, 1)
REFEREES = os.environ.get("CQLBULK_REFEREES",
                          os.path.join(os.path.expanduser("~"), ".cache", "cqlbulk", "referees"))
REFEREE_PYTHON = os.environ.get("CQLBULK_REFEREE_PYTHON",
                                os.path.join(REFEREES, "venv", "bin", "python"))
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "testing"))
from postgres_server import PostgresServer  # noqa: E402

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def order_rows():
    """The rows of store.orders, deterministic."""
    rng = random.Random(11)
    rows = []
    for i in range(ROWS):
        customer = rng.randrange(2000)
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
        created = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc)
        created += datetime.timedelta(milliseconds=rng.randrange(86_400_000))
        rows.append({
            "customer_id": customer,
            "region": rng.choice(["eu", "us", "apac", "latam"]),
            "order_date": day.isoformat(),
            "order_id": i,
            "status": rng.choice(["new", "paid", "shipped", "cancelled"]),
            "amount": round(rng.uniform(1, 1000), 2),
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.") +
                          f"{created.microsecond // 1000:03d}Z",
            "note": "" if i % 7 == 0 else f"order {i} ✓",
        })
    return rows


def key(customer_id, region, order_date, order_id, status, amount, created_ms, note):
    return (customer_id, region, order_date, order_id, status, amount, created_ms, note)


def driver_rows(session, table="orders"):
    out = []
    for r in session.execute(f"SELECT * FROM store.{table}"):
        created = r.created_at.replace(tzinfo=datetime.timezone.utc)
        out.append(key(r.customer_id, r.region, str(r.order_date), r.order_id, r.status,
                       r.amount, round((created - EPOCH).total_seconds() * 1000), r.note))
    return sorted(out, key=repr)


def iceberg_rows(path):
    with open(path) as f:
        rows = json.load(f)
    out = []
    for r in rows:
        created = datetime.datetime.fromisoformat(r["created_at"])
        out.append(key(r["customer_id"], r["region"], r["order_date"], r["order_id"],
                       r["status"], r["amount"], round((created - EPOCH).total_seconds() * 1000),
                       r["note"]))
    return sorted(out, key=repr)


class IcebergExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = harness.cluster_under_test(BLOCK)
        cls.tmp = tempfile.mkdtemp(prefix="iceberg_export_")
        cls.session = cls.cluster.connect()
        s = cls.session
        s.execute(f"DROP KEYSPACE IF EXISTS {KS}")
        s.execute(f"CREATE KEYSPACE {KS} WITH replication = "
                  "{'class': 'SimpleStrategy', 'replication_factor': 1}")
        s.execute(f"CREATE TABLE {KS}.orders (customer_id int, region text, order_date date, "
                  "order_id bigint, status text, amount double, created_at timestamp, note text, "
                  "PRIMARY KEY ((customer_id, region), order_date, order_id))")
        path = os.path.join(cls.tmp, "orders.csv")
        rows = order_rows()
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            for r in rows:
                r = dict(r)
                if r["note"] == "":
                    r["note"] = None
                w.writerow(r)
        out = cls.cqlbulk("load", "-k", KS, "-t", "orders", "--url", path,
                          "--log-dir", os.path.join(cls.tmp, "load-log"))
        assert out.returncode == 0, out.stderr
        out = cls.cqlbulk("count", "-k", KS, "-t", "orders")
        assert out.returncode == 0, out.stderr
        cls.count = int(out.stdout.split()[0]) if out.stdout.split() else -1
        cls.expected = driver_rows(s)
        cls.warehouse = os.path.join(cls.tmp, "warehouse")
        cls.catalog = f"sqlite:///{cls.warehouse}/catalog.db"

    @classmethod
    def tearDownClass(cls):
        cls.cluster.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def cqlbulk(cls, command, *args, **kwargs):
        return harness.run_cqlbulk(command, "--hosts", cls.cluster.contact, "--port",
                                   str(cls.cluster.port), *args, **kwargs)

    def export(self, table, *args, log_dir=None, source="orders", **kwargs):
        log_dir = log_dir or tempfile.mkdtemp(prefix="log_", dir=self.tmp)
        out = self.cqlbulk("unload", "-k", KS, "-t", source, "--format", "iceberg",
                           "--warehouse", self.warehouse, "--iceberg-table", table,
                           "--log-dir", log_dir, *args, **kwargs)
        return out, log_dir

    def pyiceberg(self, script):
        """Runs `script` in the referees' Python with `c`, a SqlCatalog of the warehouse, and
        returns the JSON it prints."""
        opened = ("import json\nfrom pyiceberg.catalog.sql import SqlCatalog\n"
                  f"c = SqlCatalog('default', uri='{self.catalog}', "
                  f"warehouse='file://{self.warehouse}')\n")
        got = subprocess.run([REFEREE_PYTHON, "-c", opened + script], capture_output=True,
                             text=True)
        self.assertEqual(got.returncode, 0, got.stderr[-3000:])
        return json.loads(got.stdout)

    def summary(self, log_dir):
        with open(os.path.join(log_dir, "summary.json")) as f:
            return json.load(f)

    def referee(self, table, catalog=None, filter_day=None):
        rows_out = os.path.join(self.tmp, f"rows-{table}.json")
        args = [REFEREE_PYTHON, os.path.join(HERE, "iceberg_referee.py"), catalog or self.catalog,
                "default", table, rows_out]
        if filter_day:
            args.append(filter_day)
        out = subprocess.run(args, capture_output=True, text=True, timeout=600)
        self.assertEqual(out.returncode, 0, out.stderr[-4000:])
        return json.loads(out.stdout), rows_out

    def test_1_export_is_a_table_every_reader_reads(self):
        self.assertEqual(self.count, ROWS)
        out, log_dir = self.export("lake.orders", "--partition-by", "day(order_date)")
        self.assertEqual(out.returncode, 0, out.stderr)
        summary = self.summary(log_dir)
        self.assertEqual(summary["rows"], self.count)
        self.assertEqual(summary["iceberg"]["rows"], self.count)
        self.assertTrue(summary["iceberg"]["created"])
        self.assertIn(f"snapshot {summary['iceberg']['snapshot_id']}", out.stderr)

        day = (FIRST_DAY + datetime.timedelta(days=3)).isoformat()
        report, rows_out = self.referee("lake.orders", filter_day=day)
        self.assertEqual(report["namespaces"], ["lake"])
        self.assertEqual(report["tables"], ["lake.orders"])
        self.assertEqual(report["scan_rows"], self.count)
        self.assertEqual(iceberg_rows(rows_out), self.expected)

        # Schema as mapped: key columns required and identifier fields, in CQL's order.
        schema = {f["name"]: f for f in report["schema"]}
        self.assertEqual([f["name"] for f in report["schema"]],
                         ["customer_id", "region", "order_date", "order_id", "amount",
                          "created_at", "note", "status"])
        types = {n: f["type"] for n, f in schema.items()}
        self.assertEqual(types, {"customer_id": "int", "region": "string", "order_date": "date",
                                 "order_id": "long", "amount": "double",
                                 "created_at": "timestamptz", "note": "string",
                                 "status": "string"})
        key_ids = sorted(schema[n]["id"] for n in ("customer_id", "region", "order_date",
                                                   "order_id"))
        self.assertEqual(report["identifier_field_ids"], key_ids)
        for n, f in schema.items():
            self.assertEqual(f["required"], schema[n]["id"] in key_ids, n)
        self.assertEqual(report["spec"], [{"source_id": schema["order_date"]["id"],
                                           "field_id": 1000, "name": "order_date_day",
                                           "transform": "day"}])

        # One snapshot, its summary; files, partitions and manifests with our metrics.
        self.assertEqual(len(report["snapshots"]), 1)
        snap = report["snapshots"][0]
        self.assertEqual(snap["snapshot_id"], summary["iceberg"]["snapshot_id"])
        self.assertEqual(snap["operation"], "append")
        self.assertEqual(int(snap["summary"]["total-records"]), self.count)
        self.assertEqual(int(snap["summary"]["added-data-files"]), len(report["files"]))
        self.assertIn("cqlbulk.run-id", snap["summary"])
        days = {r[2] for r in self.expected}
        self.assertEqual(len(report["partitions"]), len(days))
        self.assertEqual(int(snap["summary"]["changed-partition-count"]), len(days))
        # A file per partition: every range holds rows of every day, and each day's rows go
        # to its one file (one epoch).
        self.assertEqual(len(report["files"]), len(days))
        self.assertEqual(sum(p["record_count"] for p in report["partitions"]), self.count)
        self.assertEqual({d["codec"] for d in report["data_files"]}, {"SNAPPY"})
        by_path = {d["path"]: d for d in report["data_files"]}
        self.assertEqual(len(by_path), len(report["files"]))
        for f in report["files"]:
            d = by_path[f["file_path"]]
            self.assertEqual(f["record_count"], d["pyarrow_rows"])
            self.assertEqual(f["record_count"], d["duckdb_rows"])
            self.assertEqual(f["file_size_in_bytes"], os.path.getsize(f["file_path"]))
            metrics = f["readable_metrics"]["order_date"]
            self.assertEqual(metrics["lower_bound"], d["min_order_date"])
            self.assertEqual(metrics["upper_bound"], d["max_order_date"])
            self.assertEqual(d["min_order_date"], d["max_order_date"])  # one day per file
            self.assertIn(f"order_date_day={d['min_order_date']}", f["file_path"])
            self.assertEqual(f["value_counts"][str(schema["order_id"]["id"])],
                             f["record_count"])
            self.assertEqual(sorted(d["field_ids"]),
                             sorted(str(x["id"]) for x in report["schema"]))
        nulls = sum(f["null_value_counts"][str(schema["note"]["id"])] for f in report["files"])
        self.assertEqual(nulls, sum(1 for r in self.expected if r[7] is None))
        self.assertEqual(len(report["manifests"]), 1)
        self.assertEqual(report["manifests"][0]["added_data_files_count"], len(report["files"]))
        for a in report["avro"]:
            self.assertEqual(a["missing_field_ids"], [], a["path"])
        self.assertEqual(report["avro"][1]["records"], len(report["files"]))

        # A filtered scan is pruned to the day's files.
        self.assertLess(report["planned_filtered"], report["planned_all"])
        self.assertEqual(report["planned_filtered"], 1)
        self.assertEqual(report["filtered_rows"], sum(1 for r in self.expected if r[2] == day))

        # icebird (npm) reads the table.
        node_modules = os.path.join(REFEREES, "node_modules")
        location = os.path.join(self.warehouse, "lake.db", "orders")
        metadata = os.path.basename(summary["iceberg"]["metadata_location"])
        out = subprocess.run(["node", os.path.join(HERE, "icebird_read.mjs"), node_modules,
                              location, metadata], capture_output=True, text=True, timeout=600)
        self.assertEqual(out.returncode, 0, out.stderr[-3000:])
        icebird = json.loads(out.stdout)
        self.assertEqual(icebird["rows"], self.count)
        first = icebird["first"]
        self.assertTrue((first["customer_id"], first["region"], first["order_id"]) in
                        {(r[0], r[1], r[3]) for r in self.expected}, f"icebird's row {first}")

        # And back: loaded into store.orders_restored, the table is store.orders row for row.
        self.session.execute(f"DROP TABLE IF EXISTS {KS}.orders_restored")
        self.session.execute(
            f"CREATE TABLE {KS}.orders_restored (customer_id int, region text, "
            "order_date date, order_id bigint, status text, amount double, "
            "created_at timestamp, note text, "
            "PRIMARY KEY ((customer_id, region), order_date, order_id))")
        out = self.cqlbulk("load", "-k", KS, "-t", "orders_restored", "--format", "iceberg",
                           "--warehouse", self.warehouse, "--iceberg-table", "lake.orders",
                           "--log-dir", tempfile.mkdtemp(prefix="log_", dir=self.tmp))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(driver_rows(self.session, "orders_restored"), self.expected)
        out = self.cqlbulk("count", "-k", KS, "-t", "orders_restored")
        self.assertEqual(int(out.stdout.split()[0]), self.count)

    def test_2_concurrent_appends_both_commit(self):
        """Two exports append to one table at once; the catalog is held locked for writes (not
        reads) until both have read the table and wait to commit, so that they race: one
        commits, the other loses the compare-and-swap and commits again on the new base."""
        with PostgresServer() as pg:
            for catalog in (None, pg.uri):
                name = "lake.concurrent_pg" if catalog else "lake.concurrent"
                extra = ["--catalog", catalog] if catalog else []
                out, first_log = self.export(name, "--partition-by", "day(order_date)", *extra)
                self.assertEqual(out.returncode, 0, out.stderr)
                release = self.lock_catalog_writes(catalog)
                logs = [tempfile.mkdtemp(prefix="log_", dir=self.tmp) for _ in range(2)]
                procs = [subprocess.Popen(
                    [harness.binary("cqlbulk"), "unload", "--hosts", self.cluster.contact,
                     "--port", str(self.cluster.port), "-k", KS, "-t", "orders",
                     "--format", "iceberg", "--warehouse", self.warehouse,
                     "--iceberg-table", name, "--log-dir", log, *extra],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for log in logs]
                try:
                    # Both have written every file and checkpointed: they wait on the lock.
                    deadline = time.time() + 300
                    while time.time() < deadline and not all(self.all_done(log) for log in logs):
                        self.assertTrue(all(p.poll() is None for p in procs),
                                        [p.stderr.read() for p in procs if p.poll() is not None])
                        time.sleep(0.1)
                    time.sleep(1)
                finally:
                    release()
                outs = [p.communicate(timeout=600) for p in procs]
                for p, (_, err) in zip(procs, outs):
                    self.assertEqual(p.returncode, 0, err)
                ids = {self.summary(log)["iceberg"]["snapshot_id"] for log in logs}
                attempts = sorted(self.summary(log)["iceberg"]["commit_attempts"] for log in logs)
                self.assertEqual(len(ids), 2)
                self.assertEqual(attempts, [1, 2], "the exports did not race")
                if catalog:
                    uri = pg.uri.replace("postgresql://", "postgresql+psycopg2://", 1)
                    report, rows_out = self.referee(name, catalog=uri)
                else:
                    report, rows_out = self.referee(name)
                first_id = self.summary(first_log)["iceberg"]["snapshot_id"]
                self.assertEqual({s["snapshot_id"] for s in report["snapshots"]}, ids | {first_id})
                self.assertEqual(report["scan_rows"], 3 * self.count)
                current = [s for s in report["snapshots"]
                           if s["snapshot_id"] == report["current_snapshot_id"]][0]
                self.assertEqual(int(current["summary"]["total-records"]), 3 * self.count)
                self.assertIn(current["parent_id"], ids)
                self.assertEqual(iceberg_rows(rows_out), sorted(self.expected * 3, key=repr))

    def all_done(self, log_dir):
        try:
            with open(os.path.join(log_dir, "checkpoint.json")) as f:
                doc = json.load(f)
            return "0" not in doc["done"] and len(doc["iceberg"]["manifests"]) > 0
        except (OSError, ValueError, KeyError):
            return False

    def lock_catalog_writes(self, catalog):
        """Holds the catalog's database locked against writes, readers still served; the
        function that releases it."""
        if catalog is None:
            conn = sqlite3.connect(os.path.join(self.warehouse, "catalog.db"),
                                   isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")

            def release():
                conn.execute("ROLLBACK")
                conn.close()
            return release
        psql = subprocess.Popen(["/usr/lib/postgresql/15/bin/psql", catalog, "-q", "-t", "-A",
                                 "-v", "ON_ERROR_STOP=1"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        psql.stdin.write("BEGIN;\nLOCK TABLE iceberg_tables IN EXCLUSIVE MODE;\n"
                         "SELECT 'locked';\n")
        psql.stdin.flush()
        self.assertEqual(psql.stdout.readline().strip(), "locked")

        def release():
            psql.stdin.write("ROLLBACK;\n")
            psql.stdin.close()
            psql.wait(timeout=60)
            psql.stdout.close()
        return release

    def test_3_killed_export_leaves_the_table_and_resumes_exactly_once(self):
        table = "lake.killed"
        out, _ = self.export(table, "--partition-by", "day(order_date)")
        self.assertEqual(out.returncode, 0, out.stderr)
        before, _ = self.referee(table)
        log_dir = tempfile.mkdtemp(prefix="log_", dir=self.tmp)
        cmd = [harness.binary("cqlbulk"), "unload", "--hosts", self.cluster.contact, "--port",
               str(self.cluster.port), "-k", KS, "-t", "orders", "--format", "iceberg",
               "--warehouse", self.warehouse, "--iceberg-table", table, "--log-dir", log_dir,
               "--checkpoint-bytes", "100000", "--concurrency", "2", "--splits", "64",
               "--max-rows-per-second", "20000"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        checkpoint = os.path.join(log_dir, "checkpoint.json")
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with open(checkpoint) as f:
                    doc = json.load(f)
                if len(doc["iceberg"]["manifests"]) > 0 and "1" in doc["done"] and "0" in doc["done"]:
                    break
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        with open(checkpoint) as f:
            doc = json.load(f)
        self.assertIn("0", doc["done"], "the export ended before it could be killed")
        self.assertIn("1", doc["done"], "the export was killed before its first checkpoint")
        self.assertGreater(len(doc["iceberg"]["manifests"]), 0)

        after, _ = self.referee(table)
        self.assertEqual(after["current_snapshot_id"], before["current_snapshot_id"])
        self.assertEqual(after["scan_rows"], before["scan_rows"])
        self.assertEqual(len(after["snapshots"]), len(before["snapshots"]))

        wrong = self.cqlbulk("unload", "-k", KS, "-t", "orders", "--format", "iceberg",
                             "--warehouse", self.warehouse, "--iceberg-table", "lake.other",
                             "--resume", log_dir)
        self.assertNotEqual(wrong.returncode, 0)
        self.assertIn("resume with the same options", wrong.stderr)
        out = self.cqlbulk("unload", "-k", KS, "-t", "orders", "--format", "iceberg",
                           "--warehouse", self.warehouse, "--iceberg-table", table,
                           "--resume", log_dir)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("by the resumed run", out.stderr)
        resumed, rows_out = self.referee(table)
        self.assertEqual(len(resumed["snapshots"]), len(before["snapshots"]) + 1)
        self.assertEqual(resumed["scan_rows"], before["scan_rows"] + self.count)
        new = [s for s in resumed["snapshots"]
               if s["snapshot_id"] == resumed["current_snapshot_id"]][0]
        self.assertEqual(int(new["summary"]["added-records"]), self.count)
        self.assertEqual(new["parent_id"], before["current_snapshot_id"])
        self.assertEqual(new["summary"]["cqlbulk.run-id"], doc["iceberg"]["run_id"])
        # Every row of the resumed export once: the table holds the first export's rows and its.
        self.assertEqual(iceberg_rows(rows_out), sorted(self.expected * 2, key=repr))
        # The files of the killed run not in its checkpoint are gone; the table's are all there.
        data_dir = os.path.join(self.warehouse, "lake.db", "killed", "data")
        on_disk = {os.path.join(d, f) for d, _, fs in os.walk(data_dir) for f in fs
                   if f.startswith(doc["iceberg"]["run_id"])}
        self.assertEqual(on_disk, {f["file_path"] for f in resumed["files"]
                                   if doc["iceberg"]["run_id"] in f["file_path"]})
        # So are its manifests: the run's manifests on disk are the snapshot's, an epoch each.
        metadata_dir = os.path.join(self.warehouse, "lake.db", "killed", "metadata")
        manifests = {os.path.join(metadata_dir, f) for f in os.listdir(metadata_dir)
                     if f.startswith(doc["iceberg"]["run_id"] + "-m")}
        self.assertEqual(manifests, {m["path"].removeprefix("file://")
                                     for m in resumed["manifests"]
                                     if doc["iceberg"]["run_id"] in m["path"]})
        self.assertGreater(len(manifests), 1)

        again = self.cqlbulk("unload", "-k", KS, "-t", "orders", "--format", "iceberg",
                             "--warehouse", self.warehouse, "--iceberg-table", table,
                             "--resume", log_dir)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("committed by the interrupted run", again.stderr)
        final, _ = self.referee(table)
        self.assertEqual(len(final["snapshots"]), len(resumed["snapshots"]))

    def test_4_overwrite_replaces_and_create_refuses(self):
        table = "lake.overwritten"
        for _ in range(2):
            out, _ = self.export(table, "--partition-by", "day(order_date)")
            self.assertEqual(out.returncode, 0, out.stderr)
        out, log_dir = self.export(table, "--mode", "overwrite")
        self.assertEqual(out.returncode, 0, out.stderr)
        report, rows_out = self.referee(table)
        self.assertEqual(report["scan_rows"], self.count)
        self.assertEqual(iceberg_rows(rows_out), self.expected)
        current = [s for s in report["snapshots"]
                   if s["snapshot_id"] == report["current_snapshot_id"]][0]
        self.assertEqual(current["operation"], "overwrite")
        self.assertEqual(int(current["summary"]["total-records"]), self.count)
        self.assertEqual(int(current["summary"]["deleted-records"]), 2 * self.count)
        self.assertEqual(len(report["snapshots"]), 3)

        out, _ = self.export(table, "--mode", "create")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("already exists", out.stderr)
        out, _ = self.export(table, "--partition-by", "bucket(4,customer_id)")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("--partition-by", out.stderr)

    def test_6_rows_set_aside_on_disk_still_make_one_file_a_partition(self):
        # 64 KiB for the rows waiting for their partition's file: nearly all of them are set
        # aside on disk (in the log directory) and each day's file is written whole at the
        # end, one row group, however many ranges and records its rows came in.
        out, log_dir = self.export("lake.spilled", "--partition-by", "day(order_date)",
                                   "--partition-memory", "65536", "--splits", "1",
                                   "--compression", "zstd")
        self.assertEqual(out.returncode, 0, out.stderr)
        report, rows_out = self.referee("lake.spilled")
        self.assertEqual(iceberg_rows(rows_out), self.expected)
        days = {r[2] for r in self.expected}
        self.assertEqual(len(report["partitions"]), len(days))
        self.assertEqual(len(report["files"]), len(days))
        for d in report["data_files"]:
            self.assertEqual(d["min_order_date"], d["max_order_date"])
            self.assertEqual(d["row_groups"], 1, d)
        self.assertEqual(sum(p["record_count"] for p in report["partitions"]), self.count)
        self.assertEqual({d["codec"] for d in report["data_files"]}, {"ZSTD"})
        # What was set aside is gone once written.
        self.assertFalse(os.path.exists(os.path.join(log_dir, "iceberg-spill")) and
                         os.listdir(os.path.join(log_dir, "iceberg-spill")))

    def test_7_failed_commit_leaves_the_table_and_lists_the_files(self):
        """The table appears, with another schema, while the export runs: the commit refuses
        it, the table stays as the other writer made it, the data files are listed."""
        table = "lake.contested"
        log_dir = tempfile.mkdtemp(prefix="log_", dir=self.tmp)
        proc = subprocess.Popen(
            [harness.binary("cqlbulk"), "unload", "--hosts", self.cluster.contact, "--port",
             str(self.cluster.port), "-k", KS, "-t", "orders", "--format", "iceberg",
             "--warehouse", self.warehouse, "--iceberg-table", table, "--log-dir", log_dir,
             "--max-rows-per-second", "25000"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        create = ("from pyiceberg.catalog.sql import SqlCatalog\n"
                  "from pyiceberg.schema import Schema\n"
                  "from pyiceberg.types import NestedField, StringType\n"
                  f"c = SqlCatalog('default', uri='{self.catalog}', "
                  f"warehouse='file://{self.warehouse}')\n"
                  "c.create_namespace_if_not_exists('lake')\n"
                  f"c.create_table('{table}', Schema(NestedField(1, 'customer_id', "
                  "StringType(), required=False)))\n")
        made = subprocess.run([REFEREE_PYTHON, "-c", create], capture_output=True, text=True)
        self.assertEqual(made.returncode, 0, made.stderr)
        _, err = proc.communicate(timeout=600)
        self.assertNotEqual(proc.returncode, 0, "the export should have refused the table")
        self.assertIn("the table is unchanged", err)
        self.assertIn("customer_id", err)
        with open(os.path.join(log_dir, "operation.log")) as f:
            listed = [line.rsplit(": ", 1)[1].strip() for line in f if "not committed" in line
                      and "kept for --resume" in line]
        on_disk = [os.path.join(d, f) for d, _, fs in
                   os.walk(os.path.join(self.warehouse, "lake.db", "contested", "data"))
                   for f in fs]
        # and the manifests the export wrote as its epochs ended (run id, "-m", a number)
        metadata = os.path.join(self.warehouse, "lake.db", "contested", "metadata")
        on_disk += [os.path.join(metadata, f) for f in os.listdir(metadata)
                    if re.fullmatch(r"[0-9a-f-]{36}-m[0-9]+\.avro", f)]
        self.assertGreater(len(listed), 0)
        self.assertEqual(sorted(listed), sorted(on_disk))
        check = subprocess.run([REFEREE_PYTHON, "-c", create.split("c.create_namespace")[0] +
                                f"t = c.load_table('{table}')\n"
                                "print(t.current_snapshot(), len(t.scan().to_arrow()))\n"],
                               capture_output=True, text=True)
        self.assertEqual(check.stdout.strip(), "None 0", check.stderr)

    def test_8_collections_tuples_and_udts_are_routed_whole(self):
        """Rows with nested values, spread over bucket partitions (each row copied into its
        partition's file): PyIceberg reads back exactly what the driver reads."""
        s = self.session
        s.execute(f"CREATE TYPE IF NOT EXISTS {KS}.address (street text, zip int)")
        s.execute(f"DROP TABLE IF EXISTS {KS}.nested")
        s.execute(f"CREATE TABLE {KS}.nested (k int PRIMARY KEY, l list<text>, m map<text, int>, "
                  "st set<int>, t frozen<tuple<int, text>>, a frozen<address>)")
        insert = s.prepare(f"INSERT INTO {KS}.nested (k, l, m, st, t, a) VALUES (?, ?, ?, ?, ?, ?)")
        for k in range(600):
            n = k % 4
            s.execute(insert, (k, [f"x{k}-{i}" for i in range(n)] or None,
                               {f"k{i}": k * i for i in range(n)} or None,
                               set(range(k % 3)) or None,
                               (k, f"t{k}") if k % 5 else None,
                               (f"s{k}", k) if k % 6 else None))
        expected = []
        for r in s.execute(f"SELECT * FROM {KS}.nested"):
            a = r.a
            expected.append((r.k, list(r.l or []), sorted((r.m or {}).items()),
                             sorted(r.st or []), list(r.t) if r.t else None,
                             [a.street, a.zip] if a else None))
        out, _ = self.export("lake.nested", "--partition-by", "bucket(4,k)", source="nested")
        self.assertEqual(out.returncode, 0, out.stderr)
        read = ("t = c.load_table('lake.nested')\n"
                "print(json.dumps({'files': len(t.inspect.files()), "
                "'rows': t.scan().to_arrow().to_pylist()}))\n")
        doc = self.pyiceberg(read)
        self.assertGreaterEqual(doc["files"], 4)

        def as_expected(doc_rows):
            rows = []
            for r in doc_rows:
                m = r["m"] or []
                m = sorted((e[0], e[1]) for e in m) if isinstance(m, list) else sorted(m.items())
                t = r["t"]
                a = r["a"]
                rows.append((r["k"], list(r["l"] or []), m, sorted(r["st"] or []),
                             [t["_1"], t["_2"]] if t else None,
                             [a["street"], a["zip"]] if a else None))
            return sorted(rows, key=repr)
        self.assertEqual(as_expected(doc["rows"]), sorted(expected, key=repr))

        # Appended to a table PyIceberg made with a column more and the columns in another
        # order: its nested fields have other ids, which the files must carry.
        make = ("from pyiceberg.schema import Schema\n"
                "from pyiceberg.types import NestedField, StringType\n"
                "ours = c.load_table('lake.nested').schema()\n"
                "f = {x.name: x for x in ours.fields}\n"
                "t = c.create_table('lake.nested_other', schema=Schema(\n"
                "    NestedField(1000, 'note', StringType()),\n"
                "    *[f[n] for n in ('a', 't', 'm', 'st', 'l', 'k')]))\n"
                "print(json.dumps([[ours.find_field(n).field_id, t.schema().find_field(n).field_id]"
                " for n in ('a.street', 't._2', 'm.value', 'st.element', 'l.element')]))\n")
        for ours, theirs in self.pyiceberg(make):
            self.assertNotEqual(ours, theirs)
        out, _ = self.export("lake.nested_other", "--mode", "append", source="nested")
        self.assertEqual(out.returncode, 0, out.stderr)
        doc = self.pyiceberg(read.replace("lake.nested'", "lake.nested_other'"))
        self.assertEqual(as_expected(doc["rows"]), sorted(expected, key=repr))
        self.assertTrue(all(r["note"] is None for r in doc["rows"]))

        # Partitioned by a UDT's field: each file holds the rows of its partition value, null
        # where the UDT or its field is null.
        out, _ = self.export("lake.nested_by_zip", "--partition-by", "truncate(100,a.zip)",
                             source="nested")
        self.assertEqual(out.returncode, 0, out.stderr)
        files = ("import pyarrow.parquet as pq\n"
                 "t = c.load_table('lake.nested_by_zip')\n"
                 "spec = t.spec()\n"
                 "out = {'spec': [[f.name, str(f.transform), t.schema().find_column_name(f.source_id)]"
                 " for f in spec.fields], 'files': []}\n"
                 "for f in t.inspect.files().to_pylist():\n"
                 "    rows = pq.read_table(f['file_path'].removeprefix('file://')).to_pylist()\n"
                 "    out['files'].append([list(f['partition'].values()),\n"
                 "        [[r['k'], r['a']['zip'] if r['a'] else None] for r in rows]])\n"
                 "out['rows'] = t.scan().to_arrow().to_pylist()\n"
                 "print(json.dumps(out))\n")
        doc = self.pyiceberg(files)
        self.assertEqual(doc["spec"], [["a.zip_trunc", "truncate[100]", "a.zip"]])
        self.assertEqual(as_expected(doc["rows"]), sorted(expected, key=repr))
        seen = set()
        for partition, rows in doc["files"]:
            for k, zip_ in rows:
                self.assertEqual(partition, [None if zip_ is None else zip_ - zip_ % 100], k)
                seen.add(k)
        self.assertEqual(seen, {r[0] for r in expected})
        self.assertGreaterEqual(len(doc["files"]), 7)  # 0, 100, ..., 500 and null

    def test_9_ranges_past_the_held_memory_are_cut_between_partitions(self):
        # Pages of 100 rows and 8 KiB of held rows a worker: ranges (one per natural range
        # here) are cut between partitions as they are read, their first parts written while
        # the rest is read. The tokens of the cuts come from the composite partition key's
        # values: a token computed wrong would lose or repeat rows.
        out, log_dir = self.export("lake.cut", "--partition-by", "day(order_date)",
                                   "--splits", "1", "--page-size", "100",
                                   "--held-rows-memory", "65536")
        self.assertEqual(out.returncode, 0, out.stderr)
        summary = self.summary(log_dir)
        self.assertGreater(summary["ranges_cut"], 50, summary)
        self.assertGreater(summary["ranges"], summary["ranges_cut"], summary)
        self.assertEqual(summary["rows"], self.count)
        _, rows_out = self.referee("lake.cut")
        self.assertEqual(iceberg_rows(rows_out), self.expected)

    def test_5_example_export_to_iceberg(self):
        warehouse = os.path.join(self.tmp, "example_warehouse")
        out = subprocess.run([harness.binary("export_to_iceberg"), self.cluster.contact,
                              warehouse, "lake.example", str(self.cluster.port)],
                             capture_output=True, text=True, timeout=600)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn(f"exported {self.count} rows", out.stdout)
        report, _ = self.referee("lake.example", catalog=f"sqlite:///{warehouse}/catalog.db")
        self.assertEqual(report["scan_rows"], self.count)
        self.assertIn(f"snapshot {report['current_snapshot_id']}", out.stdout)
        self.assertEqual(report["spec"][0]["transform"], "day")


if __name__ == "__main__":
    harness.main()
