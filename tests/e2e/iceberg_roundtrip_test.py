# SPDX-License-Identifier: Apache-2.0
"""Cassandra -> Iceberg -> Cassandra, end to end, on cqlsim and on a real Apache Cassandra.

store.orders is a realistic table: a composite partition key, two clustering columns, text,
timestamp, decimal (scales from -3 to 12), date, uuid, boolean, double, inet, blob, a set, a
list, a map and a UDT; nulls in every regular column, empty strings in text, in a list and as
a map key, a timestamp before the epoch. The DataStax Python driver writes 20,000 rows;
`cqlbulk unload --format iceberg --partition-by 'day(created_at)'` exports them to a fresh
warehouse; `cqlbulk load --format iceberg` loads that table into store.orders_restored (the same
DDL); the driver reads both tables, and every column of every row is equal (sorted lists of
tuples, decimals with their scale). `cqlbulk count` of both tables is the row count, and so is
the total-records of the Iceberg snapshot as PyIceberg (the referee venv) reads it, whose spec
is day(created_at) with one partition per day of the rows. examples/import_from_iceberg does
the same load through the library's API. all_types.py's table of every CQL type and its counter
table make the same round trip and compare cell by cell.

    python3 tests/e2e/iceberg_roundtrip_test.py --cluster sim|cassandra [--build BUILD_DIR]
"""
import datetime
import json
import os
import random
import shutil
import subprocess
import tempfile
import unittest
import uuid
from decimal import Decimal

from cassandra.concurrent import execute_concurrent_with_args

import all_types
import harness

BLOCK = 58
KS = "store"
ROWS = 20_000
FIRST_DAY = datetime.datetime(2024, 5, 1)
DAYS = 30
REFEREE_PYTHON = os.environ.get(
    "CQLBULK_REFEREE_PYTHON",
    os.path.join(os.path.expanduser("~"), ".cache", "cqlbulk", "referees", "venv", "bin",
                 "python"))
COLUMNS = ["customer_id", "region", "created_at", "order_id", "order_date", "total",
           "order_uuid", "status", "note", "paid", "weight_kg", "client_ip", "receipt", "tags",
           "items", "quantities", "ship_to"]
DDL = ("CREATE TABLE {ks}.{table} (customer_id int, region text, created_at timestamp, "
       "order_id bigint, order_date date, total decimal, order_uuid uuid, status text, "
       "note text, paid boolean, weight_kg double, client_ip inet, receipt blob, "
       "tags set<text>, items list<text>, quantities map<text, int>, "
       "ship_to frozen<address>, "
       "PRIMARY KEY ((customer_id, region), created_at, order_id))")
DECIMALS = [Decimal("0"), Decimal("0.00"), Decimal("-1.5"), Decimal("1E+3"),
            Decimal("12345678901234567890.123456789012"), Decimal("-0.000000000001"),
            Decimal("99999999999999999999999999999999999999")]


def order_rows():
    """The rows of store.orders (deterministic), as the driver binds them."""
    rng = random.Random(58)
    rows = []
    for i in range(ROWS):
        if i == 1:
            created = datetime.datetime(1969, 12, 31, 23, 59, 59, 999000)  # before the epoch
        else:
            created = FIRST_DAY + datetime.timedelta(
                milliseconds=rng.randrange(DAYS * 86_400_000))
        if i < len(DECIMALS):
            total = DECIMALS[i]
        elif i % 13 == 5:
            total = None
        else:
            total = Decimal(rng.randrange(-10_000, 10_000_000)).scaleb(-rng.randrange(0, 4))
        n = i % 5
        rows.append((
            rng.randrange(500),
            rng.choice(["eu", "us", "apac", "latam", ""]),
            created,
            i,
            None if i % 17 == 3 else (created + datetime.timedelta(days=rng.randrange(3))).date(),
            total,
            None if i % 19 == 4 else uuid.UUID(int=rng.getrandbits(128), version=4),
            "" if i % 23 == 0 else rng.choice(["new", "paid", "shipped", "cancelled", None]),
            "" if i % 7 == 0 else (None if i % 7 == 1 else f"order {i} ✓ \"gift\", wrap\nit"),
            None if i % 29 == 2 else bool(rng.getrandbits(1)),
            None if i % 31 == 6 else rng.choice([rng.uniform(0, 50), 0.0, -0.0, 1e-300]),
            None if i % 37 == 1 else rng.choice([f"10.{i % 256}.{i // 256 % 256}.7",
                                                 f"2001:db8::{i:x}"]),
            None if i % 41 == 8 else (b"" if i % 41 == 9 else rng.randbytes(rng.randrange(1, 40))),
            {f"tag{j}" for j in range(n)} | ({""} if n == 4 else set()) or None,
            [f"sku-{rng.randrange(1000)}" for _ in range(n)] + ([""] if n == 3 else []) or None,
            {("" if j == 0 and n == 2 else f"sku-{j}"): rng.randrange(-5, 100)
             for j in range(n)} or None,
            None if i % 6 == 0 else (f"{i} Main St", None if i % 6 == 1 else "Lyon",
                                     "" if i % 6 == 2 else f"{69000 + i % 100}"),
        ))
    return rows


def canonical(value):
    """A value the driver read, as a plain, comparable Python value (decimals keep their
    scale, collections their elements in order, UDTs their fields)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return ("decimal", str(value))
    if isinstance(value, float):
        return ("double", value.hex())  # -0.0 differs from 0.0
    if isinstance(value, (bytes, str, bool, int, datetime.datetime)):
        return value
    if isinstance(value, (uuid.UUID, datetime.date)) or type(value).__name__ == "Date":
        return str(value)
    if hasattr(value, "items"):
        return tuple((canonical(k), canonical(v)) for k, v in value.items())
    return tuple(canonical(v) for v in value)  # set, list, UDT


class IcebergRoundTripTest(unittest.TestCase):
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls.cluster = harness.cluster_under_test(BLOCK)
        cls.tmp = tempfile.mkdtemp(prefix="iceberg_roundtrip_")
        cls.session = cls.cluster.connect()
        s = cls.session
        s.execute(f"DROP KEYSPACE IF EXISTS {KS}")
        s.execute(f"CREATE KEYSPACE {KS} WITH replication = "
                  "{'class': 'SimpleStrategy', 'replication_factor': 1}")
        s.execute(f"CREATE TYPE {KS}.address (street text, city text, zip text)")
        s.execute(DDL.format(ks=KS, table="orders"))
        insert = s.prepare(f"INSERT INTO {KS}.orders ({', '.join(COLUMNS)}) "
                           f"VALUES ({', '.join('?' * len(COLUMNS))})")
        results = execute_concurrent_with_args(s, insert, order_rows(), concurrency=64,
                                               raise_on_first_error=True)
        assert all(ok for ok, _ in results)
        cls.warehouse = os.path.join(cls.tmp, "warehouse")
        cls.catalog = f"sqlite:///{cls.warehouse}/catalog.db"
        cls.exported = None

    @classmethod
    def tearDownClass(cls):
        cls.session.execute(f"DROP KEYSPACE IF EXISTS {KS}")
        cls.cluster.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def cqlbulk(self, command, *args):
        out = harness.run_cqlbulk(command, "--hosts", self.cluster.contact, "--port",
                                  str(self.cluster.port), *args)
        self.assertEqual(out.returncode, 0, f"cqlbulk {command} {' '.join(args)}:\n"
                                            f"{out.stderr[-4000:]}")
        return out

    def count(self, table):
        out = self.cqlbulk("count", "-k", KS, "-t", table)
        return int(out.stdout.split()[0])

    def rows(self, table):
        """Every row of `table` as the driver reads it: a sorted list of tuples."""
        result = self.session.execute(f"SELECT * FROM {KS}.{table}")
        self.assertEqual(sorted(result.column_names), sorted(COLUMNS))
        return sorted((tuple(canonical(getattr(r, c)) for c in COLUMNS) for r in result),
                      key=repr)

    def export(self):
        """The warehouse's table lake.orders, exported once; the unload's summary."""
        if type(self).exported is None:
            summary = os.path.join(self.tmp, "unload.json")
            self.cqlbulk("unload", "-k", KS, "-t", "orders", "--format", "iceberg",
                         "--warehouse", self.warehouse, "--iceberg-table", "lake.orders",
                         "--partition-by", "day(created_at)", "--log-dir",
                         os.path.join(self.tmp, "unload-log"), "--summary-json", summary)
            with open(summary) as f:
                type(self).exported = json.load(f)
        return type(self).exported

    def fresh_table(self, name):
        self.session.execute(f"DROP TABLE IF EXISTS {KS}.{name}")
        self.session.execute(DDL.format(ks=KS, table=name))

    def snapshot_report(self):
        """What PyIceberg reads of lake.orders: the current snapshot's summary, the spec, the
        partitions."""
        script = (
            "import json, sys\n"
            "from pyiceberg.catalog.sql import SqlCatalog\n"
            "c = SqlCatalog('default', uri=sys.argv[1], warehouse='file://' + sys.argv[2])\n"
            "t = c.load_table('lake.orders')\n"
            "s = t.current_snapshot()\n"
            "spec = [(f.name, str(f.transform), t.schema().find_column_name(f.source_id))\n"
            "        for f in t.spec().fields]\n"
            "print(json.dumps({'snapshot_id': s.snapshot_id,\n"
            "                  'total_records': s.summary['total-records'],\n"
            "                  'spec': spec, 'partitions': len(t.inspect.partitions())}))\n")
        out = subprocess.run([REFEREE_PYTHON, "-c", script, self.catalog, self.warehouse],
                             capture_output=True, text=True, timeout=600)
        self.assertEqual(out.returncode, 0, out.stderr[-3000:])
        return json.loads(out.stdout)

    def test_1_round_trip_keeps_every_row_and_column(self):
        expected = self.rows("orders")
        self.assertEqual(len(expected), ROWS)
        self.assertEqual(self.count("orders"), ROWS)

        summary = self.export()
        self.assertEqual(summary["rows"], ROWS)
        self.assertTrue(summary["iceberg"]["created"])

        self.fresh_table("orders_restored")
        load_summary = os.path.join(self.tmp, "load.json")
        self.cqlbulk("load", "-k", KS, "-t", "orders_restored", "--format", "iceberg",
                     "--warehouse", self.warehouse, "--iceberg-table", "lake.orders",
                     "--log-dir", os.path.join(self.tmp, "load-log"),
                     "--summary-json", load_summary)
        with open(load_summary) as f:
            loaded = json.load(f)
        self.assertEqual((loaded["rows"], loaded["errors"]), (ROWS, 0), loaded)
        self.assertEqual(loaded["iceberg"]["snapshot_id"], summary["iceberg"]["snapshot_id"])

        restored = self.rows("orders_restored")
        self.assertEqual(len(restored), len(expected))
        for want, got in zip(expected, restored):
            self.assertEqual(got, want)
        self.assertEqual(self.count("orders_restored"), self.count("orders"))

        if not os.path.exists(REFEREE_PYTHON):
            self.skipTest("no referee venv (scripts/install-referees.sh): PyIceberg not run")
        report = self.snapshot_report()
        self.assertEqual(report["snapshot_id"], summary["iceberg"]["snapshot_id"])
        self.assertEqual(int(report["total_records"]), ROWS)
        self.assertEqual(report["spec"], [["created_at_day", "day", "created_at"]])
        days = {r[COLUMNS.index("created_at")].date() for r in expected}
        self.assertEqual(report["partitions"], len(days))

    def test_3_every_cql_type_round_trips(self):
        """all_types.py's table of every CQL type (edge values, nested collections, a static
        column, UDTs frozen and not, durations) and its counter table, through Iceberg and back:
        the driver reads the same rows in both, cell by cell."""
        all_types.create(self.session, KS, "every")
        every = all_types.rows(300)
        all_types.insert(self.session, KS, "every", every)
        all_types.create_counters(self.session, KS, "counts")
        counters = all_types.counter_rows()
        all_types.insert_counters(self.session, KS, "counts", counters)
        for table, partition_by, create, n in (
                ("every", "bucket(4,pk),truncate(1,ck)", all_types.create, len(every)),
                ("counts", "pk", all_types.create_counters, len(counters))):
            with self.subTest(table=table):
                self.cqlbulk("unload", "-k", KS, "-t", table, "--format", "iceberg",
                             "--warehouse", self.warehouse, "--iceberg-table", f"lake.{table}",
                             "--partition-by", partition_by,
                             "--log-dir", os.path.join(self.tmp, f"unload-{table}"))
                create(self.session, KS, f"{table}_restored")
                summary = os.path.join(self.tmp, f"load-{table}.json")
                self.cqlbulk("load", "-k", KS, "-t", f"{table}_restored", "--format", "iceberg",
                             "--warehouse", self.warehouse, "--iceberg-table", f"lake.{table}",
                             "--log-dir", os.path.join(self.tmp, f"load-{table}"),
                             "--summary-json", summary)
                with open(summary) as f:
                    loaded = json.load(f)
                self.assertEqual((loaded["rows"], loaded["errors"]), (n, 0), loaded)
                columns = all_types.COUNTER_COLUMNS if table == "counts" else None
                self.assertEqual(all_types.assert_tables_equal(
                    self.session, KS, table, KS, f"{table}_restored", columns=columns), n)

    def test_2_example_import_from_iceberg(self):
        summary = self.export()
        self.fresh_table("orders_example")
        out = subprocess.run([harness.binary("import_from_iceberg"), self.cluster.contact,
                              self.warehouse, "lake.orders", f"{KS}.orders_example",
                              str(self.cluster.port)],
                             capture_output=True, text=True, timeout=600)
        self.assertEqual(out.returncode, 0, out.stderr[-3000:])
        self.assertIn(f"loaded {ROWS} rows of lake.orders (snapshot "
                      f"{summary['iceberg']['snapshot_id']}) into {KS}.orders_example",
                      out.stdout)
        self.assertEqual(self.rows("orders_example"), self.rows("orders"))


if __name__ == "__main__":
    harness.main()
