# SPDX-License-Identifier: Apache-2.0
"""`cqlbulk unload` and `cqlbulk load` end to end, on cqlsim and on a real Apache Cassandra.

The table with every CQL type (all_types.py) unloaded to CSV and to JSON and loaded into an
identical table gives the same rows, compared with the DataStax Python driver; every
compression codec round-trips (and the codec's own tool reads the file); Python's csv and json
modules read the files and find the driver's values in their text forms; `--url -` writes
standard output; `--columns`, a custom `--query` with :start/:end and one without;
`--max-records-per-file` rolls files over; `--include-writetime` / `--include-ttl` give the
driver's writetime() and ttl(); a counter table round-trips; `load --ttl` sets a TTL; the run's
log directory and summary hold what the spec says.

    python3 tests/e2e/unload_load_test.py --cluster sim|cassandra [--build BUILD_DIR] [-k NAME]
"""
import base64
import bz2
import csv
import datetime
import gzip
import io
import json
import lzma
import math
import os
import re
import struct
import sys
import subprocess
import tempfile
import time
import unittest
from decimal import Decimal

from cassandra.concurrent import execute_concurrent_with_args

import all_types
import harness

BLOCK = 35
KS = "unload_load"
SMALL_ROWS = 2000
CODECS = {"none": "", "gzip": ".gz", "zstd": ".zst", "lz4": ".lz4", "snappy": ".sz",
          "bzip2": ".bz2", "xz": ".xz"}


# ---------------------------------------------------------------------------------------------
# Text forms of the spec, computed from the driver's values.

def iso_timestamp(millis):
    """ISO-8601 UTC as Java's Instant prints milliseconds: no fraction when they are 0."""
    when = all_types.EPOCH + datetime.timedelta(milliseconds=millis)
    text = f"{when.year:04d}-{when:%m-%dT%H:%M:%S}"
    if when.microsecond:
        text += f".{when.microsecond // 1000:03d}"
    return text + "Z"


def date_text(days):
    day = all_types.EPOCH.date() + datetime.timedelta(days=days)
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def time_text(nanos):
    seconds, fraction = divmod(nanos, 10**9)
    text = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if fraction:
        digits = f"{fraction:09d}"
        while digits.endswith("000"):
            digits = digits[:-3]
        text += "." + digits
    return text


def duration_text(months, days, nanos):
    """Cassandra's Duration.toString() (0 months, 0 days, 0 ns is left to the round trip)."""
    sign = "-" if months < 0 or days < 0 or nanos < 0 else ""
    months, days, nanos = abs(months), abs(days), abs(nanos)
    parts = [(months // 12, "y"), (months % 12, "mo"), (days, "d")]
    for unit, size in (("h", 3600 * 10**9), ("m", 60 * 10**9), ("s", 10**9), ("ms", 10**6),
                       ("us", 10**3), ("ns", 1)):
        parts.append((nanos // size, unit))
        nanos %= size
    return sign + "".join(f"{n}{unit}" for n, unit in parts if n)


def float_of(text):
    """A float from its text (CSV cell or JSON value): NaN and the infinities by name."""
    return float(text)


def same_float(a, b):
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


def read_compressed(path):
    """The bytes of a file of any codec, decompressed by Python or the codec's own tool."""
    if path.endswith(".gz"):
        return gzip.open(path).read()
    if path.endswith(".bz2"):
        return bz2.open(path).read()
    if path.endswith(".xz"):
        return lzma.open(path).read()
    if path.endswith(".zst"):
        return subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
    if path.endswith(".lz4"):
        return subprocess.run(["lz4", "-dc", path], check=True, capture_output=True).stdout
    if path.endswith((".sz", ".snappy")):  # python3-snappy's framing format, through the
        # formats tests' filter (it mends the package's CRC-32C on Python 3.11)
        tool = os.path.join(harness.ROOT, "tests", "unit", "formats", "io", "snappy_tool.py")
        with open(path, "rb") as f:
            return subprocess.run([sys.executable, tool, "-d"], stdin=f, check=True,
                                  capture_output=True).stdout
    with open(path, "rb") as f:
        return f.read()


def data_files(folder, ext):
    """The names of an unload's files in `folder`, checked: output-NNNNNN.EXT, numbered from 1
    without a gap (one file per worker, or more with --max-records-per-file)."""
    names = sorted(os.listdir(folder))
    expected = [f"output-{i:06d}.{ext}" for i in range(1, len(names) + 1)]
    if names != expected:
        raise AssertionError(f"files of {folder}: {names}, expected {expected}")
    return names


def csv_records(text):
    """(header, [dict]) of CSV text, read by Python's csv module (RFC 4180 quoting)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = list(reader)
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


class UnloadLoadTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.cluster = harness.cluster_under_test(block=BLOCK)
        cls.session = cls.cluster.connect()
        cls.session.execute(f"DROP KEYSPACE IF EXISTS {KS}")
        cls.session.execute(f"CREATE KEYSPACE {KS} WITH replication = "
                            "{'class': 'SimpleStrategy', 'replication_factor': 1}")
        cls.tmp = tempfile.TemporaryDirectory(prefix="unload-load-test-")
        cls.runs = 0
        all_types.create(cls.session, KS, "every")
        cls.rows = all_types.rows(300)
        all_types.insert(cls.session, KS, "every", cls.rows)
        cls.create_small("small")
        insert = cls.session.prepare(f"INSERT INTO {KS}.small (pk, ck, v) VALUES (?, ?, ?)")
        execute_concurrent_with_args(cls.session, insert, cls.small_rows(), concurrency=64,
                                     raise_on_first_error=True)
        all_types.create_counters(cls.session, KS, "counts")
        all_types.insert_counters(cls.session, KS, "counts", all_types.counter_rows())

    @classmethod
    def tearDownClass(cls):
        cls.session.execute(f"DROP KEYSPACE IF EXISTS {KS}")
        cls.cluster.close()
        cls.tmp.cleanup()

    @classmethod
    def create_small(cls, name):
        cls.session.execute(f"DROP TABLE IF EXISTS {KS}.{name}")
        cls.session.execute(f"CREATE TABLE {KS}.{name} (pk int, ck int, v text, "
                            "PRIMARY KEY (pk, ck))")

    @staticmethod
    def small_rows():
        return [(i % 97, i, f"value {i}, \"quoted\" é😀") for i in range(SMALL_ROWS)]

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def cqlbulk(self, operation, table, *flags, keyspace=KS, expect=0, log_dir=True, **kwargs):
        """Runs cqlbulk OPERATION on the cluster, in the temporary directory, with a log
        directory of its own (unless log_dir=False); asserts its exit code."""
        type(self).runs += 1
        args = [operation, "-h", self.cluster.contact, "--port", str(self.cluster.port),
                "-k", keyspace, "-t", table, *flags]
        if log_dir:
            args += ["--log-dir", self.path(f"logs/{operation}-{self.runs}")]
        # Bytes, decoded here: text mode would turn the \r\n inside CSV fields into \n.
        raw = subprocess.run([harness.binary("cqlbulk"), *args], capture_output=True,
                             timeout=600, cwd=self.tmp.name, **kwargs)
        out = subprocess.CompletedProcess(raw.args, raw.returncode,
                                          raw.stdout.decode("utf-8", errors="replace"),
                                          raw.stderr.decode("utf-8", errors="replace"))
        if expect is not None:
            self.assertEqual(out.returncode, expect,
                             f"cqlbulk {' '.join(args)}\nexit {out.returncode}\nstdout: "
                             f"{out.stdout[-2000:]}\nstderr: {out.stderr[-4000:]}")
        return out

    def unload(self, table, *flags, **kwargs):
        return self.cqlbulk("unload", table, *flags, **kwargs)

    def load(self, table, *flags, **kwargs):
        return self.cqlbulk("load", table, *flags, **kwargs)

    def driver_rows(self, table, columns="*"):
        return list(self.session.execute(f"SELECT {columns} FROM {KS}.{table}"))

    # ---- round trips of every type ----------------------------------------------------------

    def round_trip_every_type(self, fmt):
        out_dir = self.path(f"every-{fmt}")
        summary = self.path(f"every-{fmt}-unload.json")
        self.unload("every", "--format", fmt, "--url", out_dir, "--summary-json", summary)
        files = data_files(out_dir, fmt)
        with open(summary) as f:
            doc = json.load(f)
        self.assertEqual(doc["rows"], len(self.rows), doc)
        self.assertEqual(doc["errors"], 0, doc)
        self.assertGreaterEqual(doc["ranges"], 1, doc)
        self.assertIn("duration_seconds", doc)
        self.assertEqual(sorted(os.path.basename(f) for f in doc["files"]), files, doc)
        copy = f"every_{fmt}"
        all_types.create(self.session, KS, copy)
        summary = self.path(f"every-{fmt}-load.json")
        self.load(copy, "--format", fmt, "--url", out_dir, "--summary-json", summary)
        with open(summary) as f:
            doc = json.load(f)
        self.assertEqual((doc["rows"], doc["errors"]), (len(self.rows), 0), doc)
        all_types.assert_tables_equal(self.session, KS, "every", KS, copy)

    def test_every_type_round_trips_through_csv(self):
        self.round_trip_every_type("csv")

    def test_every_type_round_trips_through_json(self):
        self.round_trip_every_type("json")

    def test_every_type_round_trips_through_parquet(self):
        self.round_trip_every_type("parquet")
        # pyarrow (the referees' venv, when installed) reads every row of the files.
        python = os.path.join(os.environ.get("CQLBULK_CACHE", os.path.expanduser("~/.cache/cqlbulk")),
                              "referees", "venv", "bin", "python")
        if not os.path.exists(python):
            self.skipTest("no referees (scripts/install-referees.sh): pyarrow's check skipped")
        out_dir = self.path("every-parquet")
        script = ("import sys, pyarrow.parquet as pq\n"
                  "n = 0\n"
                  "for f in sys.argv[1:]:\n"
                  "    t = pq.read_table(f)\n"
                  "    ids = [fl.metadata.get(b'PARQUET:field_id') for fl in t.schema]\n"
                  "    assert all(ids), ids\n"
                  "    n += t.num_rows\n"
                  "print(n)\n")
        files = [os.path.join(out_dir, f) for f in data_files(out_dir, "parquet")]
        check = subprocess.run([python, "-c", script] + files, capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertEqual(int(check.stdout), len(self.rows))

    def test_load_reads_parquet_that_pyarrow_writes(self):
        # Another writer's file: int64 and int16 for the int columns (narrowed when they fit),
        # dictionary-encoded and DELTA strings, zstd, page v2, several row groups; one row whose
        # key does not fit an int goes to the error file, the others load.
        python = os.path.join(os.environ.get("CQLBULK_CACHE", os.path.expanduser("~/.cache/cqlbulk")),
                              "referees", "venv", "bin", "python")
        if not os.path.exists(python):
            self.skipTest("no referees (scripts/install-referees.sh)")
        rows = self.small_rows()
        path = self.path("pyarrow.parquet")
        script = ("import json, sys, pyarrow as pa, pyarrow.parquet as pq\n"
                  "rows = json.loads(sys.argv[2])\n"
                  "t = pa.table({'pk': pa.array([r[0] for r in rows] + [2**40], pa.int64()),\n"
                  "              'ck': pa.array([r[1] for r in rows] + [1], pa.int16()),\n"
                  "              'v': pa.array([r[2] for r in rows] + ['too big'], pa.string())})\n"
                  "pq.write_table(t, sys.argv[1], compression='zstd', data_page_version='2.0',\n"
                  "               row_group_size=50, use_dictionary=['pk'],\n"
                  "               column_encoding={'v': 'DELTA_BYTE_ARRAY'})\n")
        made = subprocess.run([python, "-c", script, path, json.dumps(rows)], capture_output=True,
                              text=True)
        self.assertEqual(made.returncode, 0, made.stderr)
        self.create_small("small_from_pyarrow")
        log_dir = self.path("logs-pyarrow-load")
        out = self.cqlbulk("load", "small_from_pyarrow", "--format", "parquet", "--url", path,
                           "--log-dir", log_dir, expect=1, log_dir=False)
        all_types.assert_tables_equal(self.session, KS, "small", KS, "small_from_pyarrow",
                                      columns=["v"])
        with open(os.path.join(log_dir, "load-errors.log")) as f:
            errors = f.read()
        self.assertIn("1099511627776 does not fit int32", errors)
        self.assertIn(f"record: {len(rows) + 1}", errors)

    def test_parquet_codecs_round_trip(self):
        for codec in ("none", "zstd", "gzip", "lz4", "brotli"):
            with self.subTest(codec=codec):
                out_dir = self.path(f"small-parquet-{codec}")
                self.unload("small", "--format", "parquet", "--url", out_dir, "--compression",
                            codec, "--max-records-per-file", "7")
                self.assertGreater(len(data_files(out_dir, "parquet")), 1)
                copy = f"small_parquet_{codec}"
                self.create_small(copy)
                self.load(copy, "--format", "parquet", "--url", out_dir)
                all_types.assert_tables_equal(self.session, KS, "small", KS, copy, columns=["v"])

    def test_parquet_unload_writes_large_ranges_straight_into_files(self):
        # A Parquet worker holds a range's rows until the range is read whole, up to its share
        # of 32 MiB (32 KiB each with --concurrency 1024); a larger range goes straight into a
        # file of its own as it is read. Every row is in the files once.
        self.create_small("wide")
        rows = [(i % 13, i, f"{i:06d}" + "w" * 200) for i in range(6000)]
        insert = self.session.prepare(f"INSERT INTO {KS}.wide (pk, ck, v) VALUES (?, ?, ?)")
        execute_concurrent_with_args(self.session, insert, rows, concurrency=64,
                                     raise_on_first_error=True)
        out_dir, log_dir = self.path("wide-parquet"), self.path("logs-wide-parquet")
        self.unload("wide", "--format", "parquet", "--url", out_dir, "--concurrency", "1024",
                    "--log-dir", log_dir, log_dir=False)
        with open(os.path.join(log_dir, "operation.log")) as f:
            self.assertIn("bytes of rows goes straight into", f.read())
        data_files(out_dir, "parquet")
        self.create_small("wide_copy")
        out = self.load("wide_copy", "--format", "parquet", "--url", out_dir)
        self.assertIn(f"loaded {len(rows)} rows", out.stdout + out.stderr)  # none twice
        all_types.assert_tables_equal(self.session, KS, "wide", KS, "wide_copy", columns=["v"])

    def test_parquet_unload_cuts_ranges_between_partitions(self):
        # 1 KiB of held rows a worker, pages of 5 rows: a range is cut between two pages of
        # different partitions (tokens from the partition key's values, as the server's), the
        # rows before the cut written while the rest is read. Every row is in the files once.
        out_dir, summary = self.path("small-parquet-cut"), self.path("small-parquet-cut.json")
        self.unload("small", "--format", "parquet", "--url", out_dir, "--splits", "1",
                    "--page-size", "5", "--held-rows-memory", "8192",
                    "--summary-json", summary)
        with open(summary) as f:
            doc = json.load(f)
        self.assertEqual(doc["rows"], SMALL_ROWS, doc)
        self.assertGreater(doc["ranges_cut"], 5, doc)
        self.create_small("small_cut")
        out = self.load("small_cut", "--format", "parquet", "--url", out_dir)
        self.assertIn(f"loaded {SMALL_ROWS} rows", out.stdout + out.stderr)  # none twice
        all_types.assert_tables_equal(self.session, KS, "small", KS, "small_cut", columns=["v"])

    def round_trip_codec(self, codec, ext, load_flags=()):
        out_dir = self.path(f"small-{codec}")
        self.unload("small", "--format", "csv", "--url", out_dir, "--compression", codec)
        records = []
        for name in data_files(out_dir, "csv" + ext):
            path = os.path.join(out_dir, name)
            tool = {"gzip": ["gzip", "-t"], "zstd": ["zstd", "-qt"], "lz4": ["lz4", "-t"],
                    "bzip2": ["bzip2", "-t"], "xz": ["xz", "-t"]}.get(codec)
            if tool:  # the codec's own tool accepts the file
                check = subprocess.run(tool + [path], capture_output=True, text=True)
                self.assertEqual(check.returncode, 0, f"{tool} {path}: {check.stderr}")
            header, more = csv_records(read_compressed(path).decode())
            self.assertEqual(header, ["pk", "ck", "v"])
            records += more
        self.assertEqual(sorted((int(r["pk"]), int(r["ck"]), r["v"]) for r in records),
                         sorted(self.small_rows()))
        copy = f"small_{codec}"
        self.create_small(copy)
        self.load(copy, "--format", "csv", "--url", out_dir, *load_flags)
        all_types.assert_tables_equal(self.session, KS, "small", KS, copy, columns=["v"])

    def test_every_compression_codec_round_trips(self):
        for codec, ext in CODECS.items():
            if codec == "snappy":
                continue  # below
            with self.subTest(codec=codec):
                # The codec comes from the file name by default; given explicitly for some.
                self.round_trip_codec(codec, ext, ("--compression", codec)
                                      if codec in ("zstd", "xz") else ())

    def test_snappy_round_trips_with_the_sz_extension(self):
        """The spec names snappy files .sz; the load finds the codec from that name."""
        self.round_trip_codec("snappy", CODECS["snappy"])

    # ---- what other readers see in the files ------------------------------------------------

    def test_python_csv_module_reads_the_driver_values(self):
        out_dir = self.path("every-csv-python")
        self.unload("every", "--format", "csv", "--url", out_dir)
        records = []
        for name in data_files(out_dir, "csv"):
            with open(os.path.join(out_dir, name), encoding="utf-8", newline="") as f:
                header, more = csv_records(f.read())
            self.assertEqual(header[:2], ["pk", "ck"])  # SELECT * order: keys first
            self.assertEqual(sorted(header), sorted(all_types.ALL_COLUMNS))
            records += more
        cells = {(int(r["pk"]), r["ck"]): r for r in records}
        self.assertEqual(len(cells), len(self.rows))
        checked = 0
        for row in self.driver_rows("every"):
            with self.subTest(pk=row.pk, ck=row.ck):
                cell = cells[(row.pk, row.ck)]
                self.check_text_cells(row, cell)
                checked += 1
        self.assertEqual(checked, len(self.rows))

    def check_text_cells(self, row, cell):
        """The CSV text of a row's cells against the driver's values (null: empty cell)."""
        def expect(column, text):
            self.assertEqual(cell[column], text, f"column {column}")

        for column in ("c_text", "c_varchar", "c_ascii", "s_static"):
            expect(column, getattr(row, column) or "")
        for column in ("c_int", "c_bigint", "c_smallint", "c_tinyint", "c_varint"):
            value = getattr(row, column)
            expect(column, "" if value is None else str(value))
        if row.c_boolean is not None:
            expect("c_boolean", "true" if row.c_boolean else "false")
        if row.c_timestamp is not None:
            expect("c_timestamp", iso_timestamp(all_types.normalize(row.c_timestamp)[1]))
        if row.c_date is not None:
            expect("c_date", date_text(row.c_date.days_from_epoch))
        if row.c_time is not None:
            expect("c_time", time_text(row.c_time.nanosecond_time))
        expect("c_uuid", "" if row.c_uuid is None else str(row.c_uuid))
        expect("c_timeuuid", "" if row.c_timeuuid is None else str(row.c_timeuuid))
        if row.c_blob is not None:
            expect("c_blob", base64.b64encode(row.c_blob).decode())
        if row.c_inet is not None:
            expect("c_inet", row.c_inet)
        if row.c_decimal is not None:
            expect("c_decimal", str(row.c_decimal))  # Python's str is BigDecimal.toString
        if row.c_duration is not None and (row.c_duration.months or row.c_duration.days
                                           or row.c_duration.nanoseconds):
            d = row.c_duration
            expect("c_duration", duration_text(d.months, d.days, d.nanoseconds))
        for column in ("c_double", "c_float"):
            value = getattr(row, column)
            if value is None:
                expect(column, "")
            else:
                read = float_of(cell[column])
                if column == "c_float":  # the shortest text of the float32, read as one
                    read = struct.unpack("<f", struct.pack("<f", read))[0]
                self.assertTrue(same_float(read, value),
                                f"column {column}: {cell[column]!r} is not {value!r}")
        if row.c_list is not None:
            self.assertEqual(json.loads(cell["c_list"]), list(row.c_list))
        if row.c_map is not None:
            self.assertEqual(json.loads(cell["c_map"]), dict(row.c_map))
        if row.c_fmap is not None:  # map keys as JSON strings
            self.assertEqual(json.loads(cell["c_fmap"]), {str(k): v for k, v in row.c_fmap.items()})
        if row.c_set is not None:
            self.assertEqual(sorted(json.loads(cell["c_set"])), sorted(row.c_set))
        if row.c_tuple is not None:  # a tuple is a JSON array
            values = json.loads(cell["c_tuple"])
            self.assertEqual(values[:2], list(row.c_tuple[:2]))
        if row.c_udt is not None:  # a UDT is a JSON object
            value = json.loads(cell["c_udt"])
            self.assertEqual(set(value), {"name", "score", "tags", "born", "scores"})
            self.assertEqual(value["name"], row.c_udt.name)

    def test_python_json_module_reads_the_driver_values(self):
        out_dir = self.path("every-json-python")
        self.unload("every", "--format", "json", "--url", out_dir)
        objects = {}
        for name in data_files(out_dir, "json"):
            with open(os.path.join(out_dir, name), encoding="utf-8", newline="") as f:
                lines = f.read().split("\n")
            self.assertEqual(lines[-1], "", f"{name} does not end with \\n")
            for line in lines[:-1]:
                # One object per line. "-0" as a Decimal, so that its sign stays.
                obj = json.loads(line, parse_float=Decimal,
                                 parse_int=lambda t: Decimal(t) if t == "-0" else int(t))
                objects[(obj["pk"], obj["ck"])] = obj
        self.assertEqual(len(objects), len(self.rows))
        for row in self.driver_rows("every"):
            with self.subTest(pk=row.pk, ck=row.ck):
                obj = objects[(row.pk, row.ck)]
                self.assertEqual(set(obj), set(all_types.ALL_COLUMNS))
                for column in ("c_text", "c_varchar", "c_ascii", "c_int", "c_bigint", "c_smallint",
                               "c_tinyint", "c_varint", "c_boolean", "s_static"):
                    self.assertEqual(obj[column], getattr(row, column), column)
                    if getattr(row, column) is not None and column.endswith("int"):
                        self.assertIsInstance(obj[column], int, column)  # a number, not a string
                ts = row.c_timestamp
                self.assertEqual(obj["c_timestamp"],
                                 None if ts is None else iso_timestamp(all_types.normalize(ts)[1]))
                self.assertEqual(obj["c_uuid"], None if row.c_uuid is None else str(row.c_uuid))
                self.assertEqual(obj["c_blob"], None if row.c_blob is None
                                 else base64.b64encode(row.c_blob).decode())
                if row.c_decimal is not None:
                    self.assertEqual(Decimal(obj["c_decimal"]), row.c_decimal)
                if row.c_double is not None:
                    self.assertTrue(same_float(float(obj["c_double"]), row.c_double),
                                    f"c_double {obj['c_double']!r} is not {row.c_double!r}")
                self.assertEqual(obj["c_list"], None if row.c_list is None else list(row.c_list))
                if row.c_fmap is not None:
                    self.assertEqual(obj["c_fmap"], {str(k): v for k, v in row.c_fmap.items()})
                if row.c_udt is not None:
                    self.assertEqual(obj["c_udt"]["name"], row.c_udt.name)
                    self.assertEqual(obj["c_udt"]["born"], None if row.c_udt.born is None
                                     else date_text(row.c_udt.born.days_from_epoch))

    def test_null_and_empty_string_differ_in_csv(self):
        """Row 1 of partition 0 is all null, row 2 holds empty strings and an empty blob."""
        out = self.unload("every", "--format", "csv", "--url", "-", "--query",
                          f"SELECT ck, c_text, c_blob, c_int FROM {KS}.every WHERE pk = 0")
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0], "ck,c_text,c_blob,c_int")
        self.assertIn("1-é,,,", lines)
        self.assertIn('2-😀,"","",0', lines)
        self.assertEqual(len(csv_records(out.stdout)[1]), all_types.ROWS_PER_PARTITION, out.stdout)

    # ---- output to stdout, selections, rollover ---------------------------------------------

    def test_url_dash_writes_standard_output(self):
        for fmt in ("csv", "json"):
            with self.subTest(format=fmt):
                out = self.unload("small", "--format", fmt, "--url", "-")
                if fmt == "csv":
                    header, records = csv_records(out.stdout)
                    self.assertEqual(header, ["pk", "ck", "v"])
                    got = [(int(r["pk"]), int(r["ck"]), r["v"]) for r in records]
                else:
                    got = [(o["pk"], o["ck"], o["v"]) for o in map(json.loads,
                                                                  out.stdout.splitlines())]
                self.assertEqual(sorted(got), sorted(self.small_rows()))
                self.assertNotIn("output-000001", " ".join(os.listdir(self.tmp.name)))

    def test_columns_select_and_order_the_output(self):
        out = self.unload("every", "--format", "csv", "--url", "-", "--columns",
                          "c_int,pk,ck,c_text")
        header, records = csv_records(out.stdout)
        self.assertEqual(header, ["c_int", "pk", "ck", "c_text"])
        want = sorted((r["pk"], r["ck"], "" if r["c_int"] is None else str(r["c_int"]),
                       r["c_text"] or "") for r in self.rows)
        self.assertEqual(sorted((int(r["pk"]), r["ck"], r["c_int"], r["c_text"])
                                for r in records), want)

    def test_custom_query_over_token_ranges_reads_every_row_once(self):
        query = (f"SELECT pk, ck, v FROM {KS}.small "
                 "WHERE token(pk) > :start AND token(pk) <= :end")
        for splits in ("1", "7", "300"):
            with self.subTest(splits=splits):
                summary = self.path(f"query-{splits}.json")
                out = self.unload("small", "--format", "csv", "--url", "-", "--query", query,
                                  "--splits", splits, "--summary-json", summary)
                _, records = csv_records(out.stdout)
                got = [(int(r["pk"]), int(r["ck"]), r["v"]) for r in records]
                self.assertEqual(len(got), SMALL_ROWS)  # none twice
                self.assertEqual(sorted(got), sorted(self.small_rows()))
                with open(summary) as f:
                    doc = json.load(f)
                self.assertEqual(doc["rows"], SMALL_ROWS)
                self.assertGreaterEqual(doc["ranges"], 1)

    def test_custom_query_with_a_filter(self):
        query = (f"SELECT pk, ck FROM {KS}.small WHERE token(pk) > :start AND token(pk) <= :end "
                 "AND ck < 100 ALLOW FILTERING")
        out = self.unload("small", "--format", "json", "--url", "-", "--query", query)
        got = sorted((o["pk"], o["ck"]) for o in map(json.loads, out.stdout.splitlines()))
        self.assertEqual(got, sorted((pk, ck) for pk, ck, _ in self.small_rows() if ck < 100))

    def test_max_records_per_file_rolls_over(self):
        out_dir = self.path("rollover")
        summary = self.path("rollover.json")
        self.unload("small", "--format", "csv", "--url", out_dir, "--max-records-per-file", "300",
                    "--concurrency", "1", "--summary-json", summary)
        files = sorted(os.listdir(out_dir))
        self.assertEqual(files, [f"output-{i:06d}.csv" for i in range(1, 8)])
        counts = []
        got = []
        for name in files:
            with open(os.path.join(out_dir, name), encoding="utf-8", newline="") as f:
                header, records = csv_records(f.read())
            self.assertEqual(header, ["pk", "ck", "v"], name)  # every file has its header
            counts.append(len(records))
            got += [(int(r["pk"]), int(r["ck"]), r["v"]) for r in records]
        self.assertEqual(counts, [300] * 6 + [200])
        self.assertEqual(sorted(got), sorted(self.small_rows()))
        with open(summary) as f:
            doc = json.load(f)
        self.assertEqual(len(doc["files"]), 7, doc)
        # Several workers: each file still holds at most 300 records, and none is lost.
        out_dir = self.path("rollover-4")
        self.unload("small", "--format", "json", "--url", out_dir, "--max-records-per-file", "300",
                    "--concurrency", "4", "--compression", "gzip")
        total = 0
        for name in sorted(os.listdir(out_dir)):
            self.assertRegex(name, r"^output-\d{6}\.json\.gz$")
            lines = gzip.open(os.path.join(out_dir, name)).read().decode().splitlines()
            self.assertLessEqual(len(lines), 300, name)
            total += len(lines)
        self.assertEqual(total, SMALL_ROWS)

    def test_header_false_maps_fields_in_table_order(self):
        out = self.unload("small", "--format", "csv", "--url", "-", "--header", "false")
        _, records = csv_records("pk,ck,v\n" + out.stdout)
        self.assertEqual(sorted((int(r["pk"]), int(r["ck"]), r["v"]) for r in records),
                         sorted(self.small_rows()))
        source = self.path("headerless.csv")
        with open(source, "w", encoding="utf-8", newline="") as f:
            f.write(out.stdout)
        self.create_small("headerless")
        self.load("headerless", "--format", "csv", "--url", source, "--header", "false",
                  "--mapping", "pk=0,ck=1,v=2")
        all_types.assert_tables_equal(self.session, KS, "small", KS, "headerless", columns=["v"])

    # ---- writetime and ttl ------------------------------------------------------------------

    def test_include_writetime_and_ttl_match_the_driver(self):
        self.session.execute(f"DROP TABLE IF EXISTS {KS}.wt")
        self.session.execute(f"CREATE TABLE {KS}.wt (pk int, ck int, a text, b int, l list<int>, "
                             "PRIMARY KEY (pk, ck))")
        for i in range(50):
            ttl = f" AND TTL {86400 + i}" if i % 3 else ""
            self.session.execute(f"INSERT INTO {KS}.wt (pk, ck, a, b, l) VALUES (%s, %s, %s, %s, "
                                 f"[1, 2]) USING TIMESTAMP {1_600_000_000_000_000 + i * 1000}{ttl}",
                                 (i % 7, i, f"a{i}", None if i % 5 == 0 else i))
        self.session.execute(f"UPDATE {KS}.wt USING TIMESTAMP 1700000000000001 SET b = 5 "
                             "WHERE pk = 1 AND ck = 1")  # b newer than a
        for fmt in ("csv", "json"):
            with self.subTest(format=fmt):
                out = self.unload("wt", "--format", fmt, "--url", "-", "--include-writetime",
                                  "--include-ttl")
                if fmt == "csv":
                    header, records = csv_records(out.stdout)
                    for column in ("writetime_a", "writetime_b", "ttl_a", "ttl_b"):
                        self.assertIn(column, header)
                    self.assertNotIn("writetime_pk", header)
                    self.assertNotIn("writetime_ck", header)
                    number = lambda text: None if text == "" else int(text)  # noqa: E731
                else:
                    records = [json.loads(line) for line in out.stdout.splitlines()]
                    number = lambda value: value  # noqa: E731
                got = {(int(r["pk"]), int(r["ck"])): r for r in records}
                driver = self.session.execute(f"SELECT pk, ck, writetime(a), writetime(b), ttl(a), "
                                              f"ttl(b) FROM {KS}.wt")
                rows = 0
                for pk, ck, wa, wb, ta, tb in driver:
                    r = got[(pk, ck)]
                    self.assertEqual(number(r["writetime_a"]), wa, (pk, ck))
                    self.assertEqual(number(r["writetime_b"]), wb, (pk, ck))
                    for mine, theirs in ((number(r["ttl_a"]), ta), (number(r["ttl_b"]), tb)):
                        if theirs is None:
                            self.assertIsNone(mine, (pk, ck))
                        else:  # read a few seconds apart
                            self.assertLessEqual(abs(mine - theirs), 10, (pk, ck, mine, theirs))
                    rows += 1
                self.assertEqual(rows, 50)
                self.assertEqual(len(got), 50)

    def test_load_with_ttl_sets_a_ttl(self):
        self.create_small("with_ttl")
        source = self.path("ttl.csv")
        with open(source, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["pk", "ck", "v"])
            writer.writerows((i % 11, i, f"v{i}") for i in range(100))
        self.load("with_ttl", "--format", "csv", "--url", source, "--ttl", "3600")
        ttls = [r[0] for r in self.session.execute(f"SELECT ttl(v) FROM {KS}.with_ttl")]
        self.assertEqual(len(ttls), 100)
        self.assertTrue(all(t is not None and 0 < t <= 3600 for t in ttls), ttls[:10])

    def write_source(self, name, text):
        path = self.path(name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path

    def test_ttl_and_writetime_columns_and_mapping(self):
        self.session.execute(f"CREATE TABLE {KS}.tw (pk int, ck int, v text, w int, "
                             "PRIMARY KEY (pk, ck))")
        self.session.execute(f"INSERT INTO {KS}.tw (pk, ck, v, w) VALUES (1, 1, 'old', 7) "
                             "USING TIMESTAMP 1000")
        future = 4_000_000_000_000_000  # microseconds: year 2096, newer than any write here
        source = self.write_source("tw.csv", "a,b,c,my_ttl,my_wt\n"
                                   f"1,1,new,1000,{future}\n1,2,\"x, y\",2000,{future + 1}\n")
        self.load("tw", "--format", "csv", "--url", source, "--mapping", "pk=a,ck=b,v=c",
                  "--ttl-column", "my_ttl", "--writetime-column", "my_wt")
        rows = {(r.pk, r.ck): r for r in self.session.execute(
            f"SELECT pk, ck, v, w, ttl(v), writetime(v) FROM {KS}.tw")}
        self.assertEqual(set(rows), {(1, 1), (1, 2)})
        self.assertEqual((rows[1, 1].v, rows[1, 2].v), ("new", "x, y"))
        self.assertEqual(rows[1, 1].w, 7)  # not in the mapping: left as it was (unset)
        self.assertEqual((rows[1, 1].writetime_v, rows[1, 2].writetime_v), (future, future + 1))
        self.assertTrue(990 <= rows[1, 1].ttl_v <= 1000 and 1990 <= rows[1, 2].ttl_v <= 2000,
                        (rows[1, 1].ttl_v, rows[1, 2].ttl_v))

    def test_empty_ttl_or_writetime_field_means_none(self):  # as null: the server refuses it
        self.create_small("tw_null")
        source = self.write_source("tw_null.csv", "pk,ck,v,t,w\n1,1,a,,1600000000000000\n"
                                   "1,2,b,100,\n1,3,c,,\n")
        self.load("tw_null", "--format", "csv", "--url", source, "--mapping", "pk=pk,ck=ck,v=v",
                  "--ttl-column", "t", "--writetime-column", "w")
        rows = {r.ck: r for r in self.session.execute(
            f"SELECT ck, ttl(v), writetime(v) FROM {KS}.tw_null")}
        self.assertEqual(sorted(rows), [1, 2, 3])
        self.assertIsNone(rows[1].ttl_v)  # no TTL
        self.assertEqual(rows[1].writetime_v, 1600000000000000)
        self.assertGreater(rows[2].writetime_v, 1600000000000000)  # now

    def test_custom_text_options_round_trip_every_type(self):
        options = ["--delimiter", ";", "--quote", "'", "--escape", "\\", "--null-string",
                   "<null>", "--binary", "hex", "--timestamp-format", "%Y-%m-%d %H:%M:%S.%f%Ez",
                   "--time-zone", "+05:30"]
        out_dir = self.path("every-options")
        self.unload("every", "--format", "csv", "--url", out_dir, *options)
        text = ""
        for name in data_files(out_dir, "csv"):
            with open(os.path.join(out_dir, name), encoding="utf-8", newline="") as f:
                text += f.read()
        self.assertIn("<null>", text)
        self.assertRegex(text, r";0x[0-9a-f]+;")  # a blob in hex
        self.assertRegex(text, r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+05:30")
        self.assertNotRegex(text, r"\d\d:\d\d:\d\d(\.\d{3})?Z")
        all_types.create(self.session, KS, "every_options")
        self.load("every_options", "--format", "csv", "--url", out_dir, *options)
        all_types.assert_tables_equal(self.session, KS, "every", KS, "every_options")

    def test_load_from_standard_input_and_a_glob(self):
        out_dir = self.path("small-for-stdin")
        self.unload("small", "--format", "json", "--url", out_dir, "--max-records-per-file", "500",
                    "--concurrency", "1")
        names = data_files(out_dir, "json")
        self.assertEqual(len(names), 4)
        self.create_small("from_stdin")
        with open(os.path.join(out_dir, names[0]), "rb") as f:
            self.load("from_stdin", "--format", "json", "--url", "-", stdin=f)
        self.assertEqual(self.session.execute(f"SELECT count(*) FROM {KS}.from_stdin").one()[0],
                         500)
        self.load("from_stdin", "--format", "json", "--url",
                  os.path.join(out_dir, "output-00000[234].json"))
        all_types.assert_tables_equal(self.session, KS, "small", KS, "from_stdin", columns=["v"])

    def test_quoted_identifiers_round_trip(self):
        for name in ("MixedCase", "MixedCopy"):
            self.session.execute(f'CREATE TABLE {KS}."{name}" ("Key" int, "select" text, '
                                 '"With Space" int, PRIMARY KEY ("Key", "select"))')
        insert = self.session.prepare(f'INSERT INTO {KS}."MixedCase" ("Key", "select", '
                                      '"With Space") VALUES (?, ?, ?)')
        execute_concurrent_with_args(self.session, insert, [(i, f"s{i}", i * 2) for i in range(50)],
                                     raise_on_first_error=True)
        out = self.unload("MixedCase", "--format", "csv", "--url", "-")
        self.assertEqual(out.stdout.splitlines()[0], "Key,select,With Space")
        source = self.write_source("mixed.csv", out.stdout)
        self.load("MixedCopy", "--format", "csv", "--url", source)
        got = sorted(tuple(r) for r in self.session.execute(
            f'SELECT "Key", "select", "With Space" FROM {KS}."MixedCopy"'))
        self.assertEqual(got, [(i, f"s{i}", i * 2) for i in range(50)])

    def test_writetime_and_ttl_survive_a_round_trip(self):
        """unload --include-writetime --include-ttl, then load --writetime-column
        --ttl-column: a migration that keeps each row's write time and remaining TTL."""
        for name in ("wsrc", "wdst"):
            self.session.execute(f"CREATE TABLE {KS}.{name} (pk int, ck int, v text, "
                                 "PRIMARY KEY (pk, ck))")
        for i in range(60):
            ttl = f" AND TTL {100000 + i}" if i % 4 else ""
            self.session.execute(f"INSERT INTO {KS}.wsrc (pk, ck, v) VALUES (%s, %s, %s) "
                                 f"USING TIMESTAMP {1_500_000_000_000_000 + i}{ttl}",
                                 (i % 7, i, f"v{i}"))
        out_dir = self.path("wsrc")
        self.unload("wsrc", "--format", "csv", "--url", out_dir, "--include-writetime",
                    "--include-ttl")
        self.load("wdst", "--format", "csv", "--url", out_dir, "--writetime-column",
                  "writetime_v", "--ttl-column", "ttl_v", "--consistency", "ALL")
        query = "SELECT pk, ck, v, writetime(v), ttl(v) FROM {KS}.{t}"
        src = {(r.pk, r.ck): r for r in self.session.execute(query.format(KS=KS, t="wsrc"))}
        dst = {(r.pk, r.ck): r for r in self.session.execute(query.format(KS=KS, t="wdst"))}
        self.assertEqual(set(src), set(dst))
        for key, a in src.items():
            b = dst[key]
            self.assertEqual((b.v, b.writetime_v), (a.v, a.writetime_v), key)
            if a.ttl_v is None:
                self.assertIsNone(b.ttl_v, key)
            else:
                self.assertLessEqual(abs(a.ttl_v - b.ttl_v), 10, key)

    def test_every_batch_mode_loads_the_same_table(self):
        out_dir = self.path("every-batch-modes")
        self.unload("every", "--format", "json", "--url", out_dir)
        for mode, extra in (("partition", ("--max-batch-statements", "2")), ("replica", ()),
                            ("disabled", ("--concurrency", "4"))):
            with self.subTest(mode=mode):
                copy = f"every_batch_{mode}"
                all_types.create(self.session, KS, copy)
                self.load(copy, "--format", "json", "--url", out_dir, "--batch-mode", mode, *extra)
                all_types.assert_tables_equal(self.session, KS, "every", KS, copy)

    def test_partition_with_only_static_values_round_trips(self):
        """A partition with static values and no row unloads as a row whose clustering columns
        are null; loading it back must write the static columns alone."""
        for name in ("statics", "statics_copy"):
            self.session.execute(f"CREATE TABLE {KS}.{name} (pk int, ck int, s text static, "
                                 "v text, PRIMARY KEY (pk, ck))")
        self.session.execute(f"INSERT INTO {KS}.statics (pk, s) VALUES (1, 'only static')")
        self.session.execute(f"INSERT INTO {KS}.statics (pk, ck, s, v) VALUES (2, 1, 'two', 'v')")
        out_dir = self.path("statics")
        self.unload("statics", "--format", "csv", "--url", out_dir)
        self.load("statics_copy", "--format", "csv", "--url", out_dir)
        query = "SELECT pk, ck, s, v FROM {KS}.{t}"
        self.assertEqual(sorted(self.session.execute(query.format(KS=KS, t="statics_copy"))),
                         sorted(self.session.execute(query.format(KS=KS, t="statics"))))

    def test_rate_limits_slow_the_run_down(self):
        """Lower bounds only (a slow machine is slower still): 2,000 rows at 1,000 rows/s take
        at least 1.5 s to unload and to load; the small table's ~80 KB at 40 KB/s at least 1 s
        to unload."""
        def timed(run, *args, **kwargs):
            began = time.monotonic()
            run(*args, **kwargs)
            return time.monotonic() - began

        out_dir = self.path("rate-bytes")
        self.assertGreaterEqual(timed(self.unload, "small", "--format", "csv", "--url", out_dir,
                                      "--max-bytes-per-second", "40000"), 1.0)
        self.assertGreaterEqual(timed(self.unload, "small", "--format", "csv", "--url", "-",
                                      "--max-rows-per-second", "1000"), 1.5)
        self.create_small("rate_rows")
        self.assertGreaterEqual(timed(self.load, "rate_rows", "--format", "csv", "--url", out_dir,
                                      "--max-rows-per-second", "1000"), 1.5)
        all_types.assert_tables_equal(self.session, KS, "small", KS, "rate_rows", columns=["v"])

    def test_load_max_bytes_per_second_limits_the_first_mib_too(self):
        """A 1.3 MB file at 300 KB/s takes at least 2.5 s to load (3.4 s allowing a burst of a
        second's worth of bytes)."""
        source = self.write_source("rate.csv", "pk,ck,v\n" + "".join(
            f"{i % 89},{i},value {i} with some padding to make the line longer\n"
            for i in range(22000)))
        self.assertGreater(os.path.getsize(source), 1_300_000)
        self.create_small("rate_bytes")
        summary = self.path("rate-bytes.json")
        began = time.monotonic()
        self.load("rate_bytes", "--format", "csv", "--url", source, "--max-bytes-per-second",
                  "300000", "--summary-json", summary)
        seconds = time.monotonic() - began
        with open(summary) as f:
            doc = json.load(f)
        self.assertEqual(doc["bytes"], os.path.getsize(source))  # what it counts it limits
        self.assertGreaterEqual(seconds, 2.5)

    def test_vectors_round_trip(self):
        """vector<...> (Cassandra 5.0): the Python driver at hand cannot decode it, so the
        two tables are compared through what cqlbulk unloads of them, and json reads that."""
        for name in ("vec", "vec_copy"):
            self.session.execute(f"CREATE TABLE {KS}.{name} (k int PRIMARY KEY, "
                                 "e vector<float, 3>, t vector<text, 2>, n vector<bigint, 2>)")
        self.session.execute(f"INSERT INTO {KS}.vec (k, e, t, n) VALUES (1, [1.5, -0.0, "
                             "3.4028235e38], ['a', 'é,\"'], [9223372036854775807, -1])")
        self.session.execute(f"INSERT INTO {KS}.vec (k, e) VALUES (2, [0.1, 0.2, 0.3])")
        try:
            self.check_vectors()
        finally:  # DSBulk 1.10 (Java driver 4.14) cannot parse vector<...>: with such a
            # column anywhere in the cluster it sees no schema at all (dsbulk_interop_test)
            for name in ("vec", "vec_copy"):
                self.session.execute(f"DROP TABLE IF EXISTS {KS}.{name}")

    def check_vectors(self):
        for fmt in ("csv", "json"):
            with self.subTest(format=fmt):
                text = self.unload("vec", "--format", fmt, "--url", "-").stdout
                source = self.write_source(f"vec.{fmt}", text)
                self.session.execute(f"TRUNCATE {KS}.vec_copy")
                self.load("vec_copy", "--format", fmt, "--url", source)
                again = self.unload("vec_copy", "--format", fmt, "--url", "-").stdout
                self.assertEqual(sorted(again.splitlines()), sorted(text.splitlines()))
                if fmt == "json":
                    rows = {o["k"]: o for o in map(json.loads, text.splitlines())}
                    self.assertEqual(rows[1]["t"], ["a", 'é,"'])
                    self.assertEqual(rows[1]["n"], [2**63 - 1, -1])
                    self.assertEqual(rows[2]["e"], [0.1, 0.2, 0.3])
                    self.assertIsNone(rows[2]["t"])

    # ---- counters ---------------------------------------------------------------------------

    def test_counter_table_round_trips(self):
        for fmt in ("csv", "json"):
            with self.subTest(format=fmt):
                out_dir = self.path(f"counts-{fmt}")
                self.unload("counts", "--format", fmt, "--url", out_dir)
                copy = f"counts_{fmt}"
                all_types.create_counters(self.session, KS, copy)
                self.load(copy, "--format", fmt, "--url", out_dir)
                all_types.assert_tables_equal(self.session, KS, "counts", KS, copy,
                                              columns=all_types.COUNTER_COLUMNS)

    # ---- the run's log directory ------------------------------------------------------------

    def test_default_log_directory_and_its_files(self):
        out_dir = self.path("logs-default")
        out = self.unload("small", "--format", "csv", "--url", out_dir, log_dir=False)
        m = re.search(r"log directory: (\S+)", out.stderr)
        self.assertIsNotNone(m, out.stderr)
        path = os.path.join(self.tmp.name, m.group(1))
        self.assertRegex(os.path.relpath(path, self.tmp.name),
                         r"^logs/unload_\d{8}-\d{6}(-\d+)?$")
        for name in ("operation.log", "summary.json", "checkpoint.json"):
            self.assertTrue(os.path.isfile(os.path.join(path, name)), f"{name} in {path}: "
                            f"{os.listdir(path)}")
        with open(os.path.join(path, "summary.json")) as f:
            doc = json.load(f)
        self.assertEqual(doc["rows"], SMALL_ROWS)
        # A second run in the same second gets a folder of its own.
        out2 = self.load("small", "--format", "csv", "--url", out_dir, log_dir=False)
        m2 = re.search(r"log directory: (\S+)", out2.stderr)
        self.assertIsNotNone(m2, out2.stderr)
        self.assertRegex(m2.group(1), r"logs/load_\d{8}-\d{6}(-\d+)?/?$")
        self.assertNotEqual(os.path.abspath(m.group(1)), os.path.abspath(m2.group(1)))

    def test_usage_errors_exit_2(self):
        for flags in (("--format", "xml", "--url", "-"),
                      ("--format", "csv", "--url", "-", "--compression", "rar"),
                      ("--format", "csv", "--url", "-", "--no-such-flag")):
            with self.subTest(flags=flags):
                out = self.unload("small", *flags, expect=None)
                self.assertEqual(out.returncode, 2, out.stderr)
                self.assertEqual(out.stdout, "")

    def test_unknown_table_is_fatal(self):
        out = self.unload("no_such_table", "--format", "csv", "--url", "-", expect=None)
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertIn("no_such_table", out.stderr)


if __name__ == "__main__":
    harness.main()
