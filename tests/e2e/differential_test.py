# SPDX-License-Identifier: Apache-2.0
"""Differential test: cqlsim against a real Apache Cassandra, the same statements on both.

    python3 tests/e2e/differential_test.py --cluster cassandra --build BUILD_DIR

Needs both clusters at once: the real one (`scripts/cassandra.sh start`) and a cqlsim this file
starts on 127.0.34.1..3. With `--cluster sim` there is nothing to compare with and it skips.

From a seed (printed; CQLBULK_DIFF_SEED overrides it, CQLBULK_DIFF_SEED=random picks one) it
generates random tables (1-3 partition key columns, 0-3 clustering columns ASC/DESC, static
and regular columns over every CQL type: scalars, list/set/map frozen or not, tuples, a UDT,
frozen collections in keys, counters in their own table) and random rows with edge values
(min/max integers, NaN/Infinity/-0.0, empty strings and blobs, unicode, nulls, dates and
timestamps far from 1970; sets and maps of every scalar type in random order, a set sometimes
with a repeated element, so the servers sort and de-duplicate them), written through prepared
statements and through CQL literals, some with USING TTL and USING TIMESTAMP, followed by
updates, collection operations and deletes.
Then it compares, on protocol v4 and v5, the answers of the same queries: values and column
metadata (keyspace, table, name, CQL type), full scans in token order, token(), clustering
slices and ORDER BY, LIMIT and PER PARTITION LIMIT, DISTINCT, count(*), writetime() and ttl()
(ttl with a few seconds' tolerance), token ranges, paging with small pages (the concatenation),
IN, prepared statements' bind and result metadata, lightweight transactions, counters,
system_schema, and the error classes of invalid and unsupported statements.

Every difference is a finding: the statement, what Cassandra answered, what cqlsim answered.
Known differences cqlsim does not simulate are in KNOWN_DIFFERENCES with a reason each (and in
the README); a test fails on any other finding.
"""
import datetime
import decimal
import os
import random
import re
import struct
import sys
import time
import unittest
import uuid
from decimal import Decimal

from cassandra import ConsistencyLevel
from cassandra import util as cutil
from cassandra.cluster import ResponseFuture
from cassandra.query import SimpleStatement, UNSET_VALUE

import harness

SIM_BLOCK = 34
KS = "cqlbulk_diff"
DEFAULT_SEED = 20240605
PROTOCOLS = (4, 5)
TTL_TOLERANCE = 5            # seconds between the two clusters' ttl() of the same cell
NOW_TOLERANCE_US = 600 * 10**6  # writetime() of server-timestamped writes: both near now
BASE_TS = 1_600_000_000_000_000  # explicit USING TIMESTAMP values grow from here

# ---------------------------------------------------------------------------------------------
# Known differences: what cqlsim does not simulate. A finding matches an entry when its
# category, its statement and the kind of both answers ("rows", "void" or the driver's error
# class) match the regular expressions. Anything else that differs fails the test.


class Known:
    def __init__(self, category, statement, cassandra, cqlsim, reason, when=None):
        self.category, self.reason = category, reason
        self.statement = re.compile(statement, re.S | re.I)
        self.cassandra, self.cqlsim = re.compile(cassandra), re.compile(cqlsim)
        self.when = when  # None, or a further test of the finding
        self.seen = 0

    def matches(self, finding):
        return (re.fullmatch(self.category, finding.category) is not None
                and self.statement.search(finding.statement) is not None
                and self.cassandra.fullmatch(finding.cass.kind) is not None
                and self.cqlsim.fullmatch(finding.sim.kind) is not None
                and (self.when is None or self.when(finding)))


MULTICELL_COLUMNS = set()  # (table, column) of the test's non-frozen collections and UDTs


def first_difference_in_multicell_column(finding):
    """Whether a finding's first differing value is in a non-frozen list, set, map or UDT column
    of the test's tables (result metadata does not say whether a type is frozen)."""
    m = re.match(r"first difference at row \d+, column (.*?): Cassandra ", finding.detail or "")
    table = re.search(rf"\bFROM {KS}\.(\w+)", finding.statement)
    if m is None or table is None:
        return False
    column = m.group(1)
    alias = re.search(r"(\w+) AS " + re.escape(f'"{column}"' if not column.isidentifier()
                                                 else column) + r"(?!\w)", finding.statement)
    return (table.group(1), alias.group(1) if alias else column) in MULTICELL_COLUMNS


KNOWN_DIFFERENCES = [
    Known("error", r"^ALTER TABLE", "void", "InvalidRequest",
          "cqlsim has no ALTER TABLE: InvalidRequest where Cassandra changes the table"),
    Known("error", r"^CREATE (CUSTOM )?INDEX", "void", "InvalidRequest",
          "cqlsim has no secondary indexes: InvalidRequest where Cassandra creates one"),
    Known("error", r"^CREATE MATERIALIZED VIEW", "void", "InvalidRequest",
          "cqlsim has no materialized views"),
    Known("error", r"^CREATE (OR REPLACE )?(FUNCTION|AGGREGATE)", "void", "InvalidRequest",
          "cqlsim has no user-defined functions or aggregates"),
    Known("error", r"\bGROUP BY\b", "rows", "InvalidRequest",
          "cqlsim does not support GROUP BY: InvalidRequest where Cassandra answers"),
    Known("error", r"^SELECT JSON\b", "rows", "InvalidRequest",
          "cqlsim does not support SELECT JSON"),
    Known("error", r"^INSERT INTO \S+ JSON\b", "void", "InvalidRequest",
          "cqlsim does not support INSERT JSON"),
    Known("error", r"^SELECT .*\b(sum|max|min|avg)\(", "rows", "InvalidRequest",
          "cqlsim's only aggregate is count(*)/count(1): sum, max, min, avg are InvalidRequest"),
    Known("error", r"^SELECT .*\bcount\((?!\*|1\))\w+\)", "rows", "InvalidRequest",
          "cqlsim's only aggregate is count(*)/count(1): count(column) is InvalidRequest"),
    Known("error", r"^SELECT .*\b(toJson|blobAsBigint|bigintAsBlob|uuid|now|toDate|toTimestamp|"
          r"toUnixTimestamp|dateOf|unixTimestampOf|minTimeuuid|maxTimeuuid|cast)\(",
          "rows", "InvalidRequest",
          "cqlsim's selectors are columns, token(), writetime(), ttl() and count(); other "
          "native functions are InvalidRequest"),
    Known("writetime, collection", r".", "rows|DriverException", "InvalidRequest",
          "cqlsim answers writetime() and ttl() of a non-frozen collection or UDT as Cassandra "
          "4.0 does (InvalidRequest); Cassandra 5.0 answers a list, one per element or field "
          "(the Python driver 3.25 cannot decode it when an element has no TTL)"),
    Known("prepare, writetime of collection", r".", "prepared", "InvalidRequest",
          "as above, when preparing writetime()/ttl() of a non-frozen collection"),
    Known("token range", r"\) = token\(", "rows", "InvalidRequest",
          "cqlsim does not evaluate token() of literal values (WHERE token(k) = token(1))"),
    Known("error", r"^SELECT token\(v\) FROM", "rows", "InvalidRequest",
          "Cassandra 5.0 accepts token() of any columns whose types are the partition key's; "
          "cqlsim only of the partition key columns"),
    Known(r".*", r"^SELECT ", "rows", "rows",
          "cqlsim keeps one write time and one expiry per non-frozen collection or UDT, not one "
          "per element or field: an element or field written with its own TTL (m[k] = v USING "
          "TTL 2, m = m + {...} USING TTL 2, u.x = 1 USING TTL 2) gives the whole value that "
          "TTL, and it vanishes with it",
          when=first_difference_in_multicell_column),
    Known("tombstone", r".", ".*", ".*",
          "cqlsim keeps no tombstones: a delete removes data outright, so a later write with an "
          "older timestamp than the delete comes back, and a delete with an older timestamp "
          "than the data still removes it"),
]

# ---------------------------------------------------------------------------------------------
# Findings and how answers are captured.

_orig_set_result = ResponseFuture._set_result


def _set_result_keeping_metadata(self, host, connection, pool, response):
    # The driver keeps column names and types of a result but not the keyspace and table of
    # each column; keep the whole column metadata of the last page on the future.
    self._diff_column_metadata = getattr(response, "column_metadata", None)
    return _orig_set_result(self, host, connection, pool, response)


ResponseFuture._set_result = _set_result_keeping_metadata


def cql_type_name(t):
    return t.cql_parameterized_type()


class Outcome:
    """What one cluster answered: rows with their column metadata, void, or an error."""

    def __init__(self, kind, columns=None, rows=None, error=None):
        self.kind = kind            # "rows", "void" or the driver's exception class name
        self.columns = columns      # [(keyspace, table, name, cql type)]
        self.rows = rows            # [tuple of values]
        self.error = error

    def brief(self, limit=900):
        if self.kind == "rows":
            text = f"{len(self.rows)} rows, columns {self.columns}: {self.rows!r}"
        elif self.kind == "void":
            text = "void (success)"
        elif self.kind == "prepared":
            text = f"prepared: {self.columns}"
        else:
            text = f"{self.kind}: {self.error}"
        return text if len(text) <= limit else text[:limit] + " ..."


TRANSIENT = ("NoHostAvailable", "OperationTimedOut", "ReadTimeout", "WriteTimeout",
             "Unavailable", "ConnectionShutdown")


def execute(session, statement, params=None, fetch_size=None):
    """The outcome of a statement; transient failures (a loaded machine) are tried again."""
    for attempt in range(4):
        outcome = execute_once(session, statement, params, fetch_size)
        if outcome.kind not in TRANSIENT:
            break
        time.sleep(1 + 2 * attempt)
    return outcome


def execute_once(session, statement, params=None, fetch_size=None):
    try:
        if isinstance(statement, str):
            statement = SimpleStatement(statement, fetch_size=fetch_size)
        elif fetch_size is not None:
            statement.fetch_size = fetch_size
        rs = session.execute(statement, params, timeout=60)
        rows = list(rs)  # every page
        if rs.column_names is None:
            return Outcome("void")
        meta = getattr(rs.response_future, "_diff_column_metadata", None)
        if not meta and getattr(statement, "prepared_statement", None) is not None:
            meta = statement.prepared_statement.result_metadata
        columns = [(m[0], m[1], m[2], cql_type_name(m[3])) for m in meta or []]
        if not columns:
            columns = [(None, None, n, cql_type_name(t))
                       for n, t in zip(rs.column_names, rs.column_types)]
        return Outcome("rows", columns, [tuple(r) for r in rows])
    except Exception as e:  # noqa: BLE001 - every error is an answer to compare
        return Outcome(type(e).__name__, error=str(e).replace("\n", " ")[:400])


class Finding:
    def __init__(self, category, statement, protocol, what, cass, sim, detail=""):
        self.category, self.statement, self.protocol = category, statement, protocol
        self.what, self.cass, self.sim, self.detail = what, cass, sim, detail
        self.known = None

    def __str__(self):
        text = (f"[{self.category}] {self.what} (protocol v{self.protocol})\n"
                f"    statement: {self.statement}\n")
        if self.detail:
            text += f"    {self.detail}\n"
        text += (f"    Cassandra: {self.cass.brief()}\n"
                 f"    cqlsim:    {self.sim.brief()}")
        if self.known:
            text += f"\n    known difference: {self.known.reason}"
        return text


# ---------------------------------------------------------------------------------------------
# Comparing values.

def norm(v):
    """A value as a comparable structure: NaN equals NaN, -0.0 differs from 0.0, 1.0 from 1.00,
    order of lists and maps kept."""
    if v is None:
        return None
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, int):
        return ("int", v)
    if isinstance(v, float):
        return ("float", repr(v))
    if isinstance(v, Decimal):
        return ("decimal", str(v))
    if isinstance(v, (bytes, bytearray, memoryview)):
        return ("blob", bytes(v).hex())
    if isinstance(v, str):
        return ("str", v)
    if isinstance(v, uuid.UUID):
        return ("uuid", str(v))
    if isinstance(v, datetime.datetime):
        return ("timestamp", v.isoformat())
    if isinstance(v, datetime.date):
        return ("date", (v - datetime.date(1970, 1, 1)).days)
    if isinstance(v, cutil.Date):
        return ("date", v.days_from_epoch)
    if isinstance(v, cutil.Time):
        return ("time", v.nanosecond_time)
    if isinstance(v, datetime.time):
        return ("time", repr(v))
    if isinstance(v, cutil.Duration):
        return ("duration", v.months, v.days, v.nanoseconds)
    if isinstance(v, (cutil.SortedSet, set, frozenset)):
        return ("set", tuple(sorted((norm(x) for x in v), key=repr)))
    if hasattr(v, "items"):
        return ("map", tuple((norm(k), norm(x)) for k, x in v.items()))
    if isinstance(v, tuple) and hasattr(v, "_fields"):
        return ("udt", tuple(v._fields), tuple(norm(x) for x in v))
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, tuple(norm(x) for x in v))
    return ("other", repr(v))


def clustering_key(v):
    """Equality as Cassandra's comparators see it (decimal 1.0 equals 1.00)."""
    if isinstance(v, Decimal):
        return ("decimal", v.normalize() if v != 0 else Decimal(0))
    if isinstance(v, (set, frozenset)):
        return ("set", tuple(sorted(repr(clustering_key(x)) for x in v)))
    if isinstance(v, dict):
        return ("map", tuple(sorted((repr(clustering_key(k)), repr(clustering_key(x)))
                                    for k, x in v.items())))
    if isinstance(v, (list, tuple)):
        return ("seq", tuple(clustering_key(x) for x in v))
    return norm(v)


def cells_equal(name, a, b):
    if name.startswith("ttl(") and isinstance(a, int) and isinstance(b, int):
        return abs(a - b) <= TTL_TOLERANCE
    if name.startswith("writetime") and isinstance(a, int) and isinstance(b, int):
        now = int(time.time() * 1e6)
        if a != b and abs(a - now) < NOW_TOLERANCE_US and abs(b - now) < NOW_TOLERANCE_US:
            return True  # both written at the servers' own time
    return norm(a) == norm(b)


def rows_difference(names, cass_rows, sim_rows):
    """None when equal, else a sentence about the first difference."""
    for i, (a, b) in enumerate(zip(cass_rows, sim_rows)):
        for j, name in enumerate(names):
            if not cells_equal(name, a[j], b[j]):
                return (f"first difference at row {i}, column {name}: Cassandra {a[j]!r}, "
                        f"cqlsim {b[j]!r}; Cassandra row {a!r}, cqlsim row {b!r}")
    if len(cass_rows) != len(sim_rows):
        extra = cass_rows[len(sim_rows):] or sim_rows[len(cass_rows):]
        return (f"Cassandra {len(cass_rows)} rows, cqlsim {len(sim_rows)} rows; first extra "
                f"row of {'Cassandra' if len(cass_rows) > len(sim_rows) else 'cqlsim'}: "
                f"{extra[0]!r}")
    return None


# ---------------------------------------------------------------------------------------------
# CQL types and random values.

SCALARS = ["ascii", "bigint", "blob", "boolean", "date", "decimal", "double", "float", "inet",
           "int", "smallint", "text", "time", "timestamp", "timeuuid", "tinyint", "uuid",
           "varint", "varchar"]
UDT_NAME = "diff_udt"
UDT_FIELDS = [("x", "int"), ("label", "text"), ("tags", "frozen<set<text>>"),
              ("at", "timestamp"), ("pt", "frozen<tuple<double, double>>")]


class T:
    """A CQL type: kind is a scalar name or list, set, map, tuple, udt."""

    def __init__(self, kind, args=(), frozen=False):
        self.kind, self.args, self.frozen = kind, tuple(args), frozen

    @property
    def multicell(self):
        return self.kind in ("list", "set", "map", "udt") and not self.frozen

    def cql(self):
        if self.kind in ("list", "set"):
            inner = f"{self.kind}<{self.args[0].cql()}>"
        elif self.kind == "map":
            inner = f"map<{self.args[0].cql()}, {self.args[1].cql()}>"
        elif self.kind == "tuple":
            inner = "tuple<" + ", ".join(a.cql() for a in self.args) + ">"
        elif self.kind == "udt":
            inner = UDT_NAME
        else:
            return self.kind
        return f"frozen<{inner}>" if self.frozen and self.kind != "tuple" else inner

    def has(self, kind):
        return self.kind == kind or any(a.has(kind) for a in self.args)


UDT_TYPES = {"x": T("int"), "label": T("text"), "tags": T("set", [T("text")], True),
             "at": T("timestamp"), "pt": T("tuple", [T("double"), T("double")])}


# Set elements and map keys: every scalar type Cassandra allows there (all but duration). Sets
# and maps are sent in the generator's random order, not Cassandra's, so the servers must sort
# and de-duplicate them (a bound set may repeat an element).
SET_ELEMENTS = SCALARS


def random_type(rng, position, depth=0):
    """position: pk, ck, regular, static, element (inside a list or tuple), setelement, mapkey."""
    keyish = position in ("pk", "ck", "element", "setelement", "mapkey")
    roll = rng.random()
    if depth > 0 or roll < (0.75 if keyish else 0.45):
        if position in ("setelement", "mapkey"):
            return T(rng.choice(SET_ELEMENTS))
        pool = SCALARS if keyish else SCALARS + ["duration"]
        return T(rng.choice(pool))
    frozen = keyish or rng.random() < 0.4
    roll = rng.random()
    if roll < 0.25:
        return T("list", [random_type(rng, "element", depth + 1)], frozen)
    if roll < 0.5:
        return T("set", [random_type(rng, "setelement", depth + 1)], frozen)
    if roll < 0.75:
        key = random_type(rng, "mapkey", depth + 1)
        val = T(rng.choice(SCALARS + (["duration"] if not keyish else [])))
        if rng.random() < 0.2:
            val = T("list", [T(rng.choice(SCALARS))], True)
        return T("map", [key, val], frozen)
    if roll < 0.9:
        return T("tuple", [random_type(rng, "element", depth + 1)
                           for _ in range(rng.randint(1, 3))])
    return T("udt", (), frozen)


F32_MAX = struct.unpack("<f", b"\xff\xff\x7f\x7f")[0]
F32_MIN_SUB = struct.unpack("<f", b"\x01\x00\x00\x00")[0]


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


TEXT_EDGES = ["", " ", "ünïcödé", "日本語テキスト", "emoji 🎉🐍", "quote ' and \" and \\",
              "tab\tnewline\n", "nul\x00byte", "x" * 200]
ASCII_EDGES = ["", " ", "it's", "~!@#$%^&*()", "a" * 100, "\x01\x7f"]


def random_scalar(rng, kind, position):
    edge = rng.random() < 0.35
    nonempty = position == "pk"
    if kind in ("text", "varchar"):
        if edge:
            v = rng.choice(TEXT_EDGES)
        else:
            alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 _-éß漢字Ωλ"
            v = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        return v if v or not nonempty else "k"
    if kind == "ascii":
        v = rng.choice(ASCII_EDGES) if edge else "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(1, 10)))
        return v if v or not nonempty else "k"
    if kind in ("bigint", "int", "smallint", "tinyint"):
        bits = {"bigint": 64, "int": 32, "smallint": 16, "tinyint": 8}[kind]
        lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        return rng.choice([lo, hi, 0, -1, 1]) if edge else rng.randint(lo, hi)
    if kind == "varint":
        return rng.choice([0, -1, 2 ** 64, -(2 ** 64) - 1, 10 ** 40, -(10 ** 38), 2 ** 63]) \
            if edge else rng.randint(-(10 ** 20), 10 ** 20)
    if kind == "decimal":
        if edge:
            return rng.choice([Decimal("0"), Decimal("-0.000"), Decimal("1E+100"),
                               Decimal("-1E-50"), Decimal("3.14159265358979323846264338327950288"),
                               Decimal("123456789012345678901234567890.5"), Decimal("1.00")])
        return Decimal(f"{rng.randint(-10**9, 10**9)}.{rng.randint(0, 999):03d}")
    if kind == "double":
        if edge:
            return rng.choice([float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 5e-324,
                               1.7976931348623157e308, -2.2250738585072014e-308])
        return rng.uniform(-1, 1) * 10 ** rng.randint(-20, 20)
    if kind == "float":
        if edge:
            return rng.choice([float("nan"), float("inf"), float("-inf"), -0.0, F32_MAX,
                               F32_MIN_SUB, 1.5])
        return f32(rng.uniform(-1, 1) * 10 ** rng.randint(-10, 10))
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "blob":
        if edge:
            v = rng.choice([b"", b"\x00", b"\xff\xff\xff", bytes(range(32))])
        else:
            v = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 16)))
        return v if v or not nonempty else b"\x01"
    if kind == "date":
        days = rng.choice([0, -1, -719162, 2932896, 2 ** 31 - 1, -(2 ** 31)]) if edge \
            else rng.randint(-100000, 100000)
        return cutil.Date(days)
    if kind == "time":
        ns = rng.choice([0, 1, 86399999999999]) if edge else rng.randint(0, 86399999999999)
        return cutil.Time(ns)
    if kind == "timestamp":
        return rng.choice([0, -1, 253402300799999, -62135596800000, 1]) if edge \
            else rng.randint(-2 * 10 ** 12, 4 * 10 ** 12)
    if kind == "timeuuid":
        return timeuuid(rng)
    if kind == "uuid":
        if edge:
            return rng.choice([uuid.UUID(int=0), uuid.UUID(int=2 ** 128 - 1), timeuuid(rng)])
        return uuid.UUID(int=rng.getrandbits(128), version=4)
    if kind == "inet":
        if edge:
            return rng.choice(["0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::1",
                               "::ffff:1.2.3.4"])
        if rng.random() < 0.5:
            return ".".join(str(rng.randint(0, 255)) for _ in range(4))
        return ":".join(f"{rng.getrandbits(16):x}" for _ in range(8))
    if kind == "duration":
        if edge:
            m, d, n = rng.choice([(0, 0, 0), (1, 0, 0), (0, 0, 1), (2 ** 31 - 1, 2 ** 31 - 1,
                                                                     2 ** 63 - 1)])
        else:
            m, d, n = rng.randint(0, 100), rng.randint(0, 100), rng.randint(0, 10 ** 14)
        sign = -1 if rng.random() < 0.3 else 1
        return cutil.Duration(sign * m, sign * d, sign * n)
    raise ValueError(kind)


def random_clustering_value(rng, column):
    """A clustering value; never an empty map in a DESC map column: Cassandra 5.0.9 fails with a
    server error (ClassCastException: MapType cannot be cast to SetType) on the literal {} for
    a receiver of type ReversedType(map), where cqlsim takes it (see the README)."""
    while True:
        v = random_value(rng, column.t, "ck")
        if column.t.kind != "map" or column.order != "DESC" or v:
            return v


def timeuuid(rng):
    ts = rng.getrandbits(60)
    clock = rng.getrandbits(14)
    return uuid.UUID(fields=(ts & 0xffffffff, (ts >> 32) & 0xffff, ((ts >> 48) & 0x0fff) | 0x1000,
                             0x80 | (clock >> 8), clock & 0xff, rng.getrandbits(48)))


def random_value(rng, t, position, null_share=0.0):
    if null_share and rng.random() < null_share:
        return None
    if t.kind in SCALARS or t.kind == "duration":
        return random_scalar(rng, t.kind, position)
    inner = "element"
    if t.kind == "list":
        return [random_value(rng, t.args[0], inner) for _ in range(rng.randint(0, 4))]
    if t.kind == "set":
        items = {}
        for _ in range(rng.randint(0, 4)):
            v = random_value(rng, t.args[0], inner)
            items.setdefault(repr(clustering_key(v)), v)
        values = list(items.values())
        rng.shuffle(values)
        if values and rng.random() < 0.2:
            values.insert(rng.randrange(len(values) + 1), rng.choice(values))  # a duplicate
        return SetValue(values)
    if t.kind == "map":
        items = {}
        for _ in range(rng.randint(0, 3)):
            k = random_value(rng, t.args[0], inner)
            items.setdefault(repr(clustering_key(k)), (k, random_value(rng, t.args[1], inner)))
        pairs = list(items.values())
        rng.shuffle(pairs)
        return MapValue(pairs)
    if t.kind == "tuple":
        return tuple(random_value(rng, a, inner, 0.15) for a in t.args)
    if t.kind == "udt":
        return UdtValue(random_value(rng, UDT_TYPES[n], inner, 0.2) for n, _ in UDT_FIELDS)
    raise ValueError(t.kind)


class SetValue(list):
    """A set as the test generated it: its elements in the generator's random order, perhaps
    with a duplicate, sent as a list (the driver serialises any iterable as it comes)."""


class MapValue(list):
    """A map as (key, value) pairs in the generator's random order; bound as an OrderedMap."""


class UdtValue(tuple):
    pass


def bindable(v):
    if isinstance(v, MapValue):
        return cutil.OrderedMap((bindable(k), bindable(x)) for k, x in v)
    if isinstance(v, SetValue):
        return [bindable(x) for x in v]
    if isinstance(v, (UdtValue,)):
        return tuple(bindable(x) for x in v)
    if isinstance(v, list):
        return [bindable(x) for x in v]
    if isinstance(v, tuple):
        return tuple(bindable(x) for x in v)
    return v


def literal(v, t):
    """The value as a CQL literal of type t."""
    if v is None:
        return "null"
    k = t.kind
    if k in ("text", "varchar", "ascii"):
        return "'" + v.replace("'", "''") + "'"
    if k in ("bigint", "int", "smallint", "tinyint", "varint"):
        return str(v)
    if k == "decimal":
        return str(v)
    if k in ("double", "float"):
        if v != v:
            return "NaN"
        if v in (float("inf"), float("-inf")):
            return "Infinity" if v > 0 else "-Infinity"
        return repr(v)
    if k == "boolean":
        return "true" if v else "false"
    if k == "blob":
        return "0x" + v.hex()
    if k == "date":
        days = v.days_from_epoch
        if -719162 <= days <= 2932896:
            return "'" + (datetime.date(1970, 1, 1) + datetime.timedelta(days=days)).isoformat() + "'"
        return "'" + str(days + 2 ** 31) + "'"
    if k == "time":
        ns = v.nanosecond_time
        return (f"'{ns // 3600000000000:02d}:{ns // 60000000000 % 60:02d}:"
                f"{ns // 1000000000 % 60:02d}.{ns % 1000000000:09d}'")
    if k == "timestamp":
        if 0 <= v < 253402300800000 and v % 3 == 0:
            d = datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=v)
            return "'" + d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v % 1000:03d}+0000'"
        return str(v)
    if k in ("uuid", "timeuuid"):
        return str(v)
    if k == "inet":
        return "'" + v + "'"
    if k == "duration":
        sign = "-" if v.months < 0 or v.days < 0 or v.nanoseconds < 0 else ""
        parts = [f"{abs(v.months)}mo" if v.months else "", f"{abs(v.days)}d" if v.days else "",
                 f"{abs(v.nanoseconds)}ns" if v.nanoseconds else ""]
        text = "".join(parts) or "0s"
        return sign + text
    if k == "list":
        return "[" + ", ".join(literal(x, t.args[0]) for x in v) + "]"
    if k == "set":
        return "{" + ", ".join(literal(x, t.args[0]) for x in v) + "}"
    if k == "map":
        return "{" + ", ".join(f"{literal(a, t.args[0])}: {literal(b, t.args[1])}"
                               for a, b in v) + "}"
    if k == "tuple":
        return "(" + ", ".join(literal(x, a) for x, a in zip(v, t.args)) + ")"
    if k == "udt":
        return "{" + ", ".join(f"{n}: {literal(x, UDT_TYPES[n])}"
                               for (n, _), x in zip(UDT_FIELDS, v)) + "}"
    raise ValueError(k)


# ---------------------------------------------------------------------------------------------
# Random tables.

class Column:
    def __init__(self, name, t, role, order="ASC"):
        self.name, self.t, self.role, self.order = name, t, role, order


class Table:
    def __init__(self, name, columns):
        self.name = name
        self.columns = columns
        self.pk = [c for c in columns if c.role == "pk"]
        self.ck = [c for c in columns if c.role == "ck"]
        self.statics = [c for c in columns if c.role == "static"]
        self.regulars = [c for c in columns if c.role == "regular"]
        self.partitions = []        # partition key value tuples, as written
        self.rows = {}              # partition index -> [clustering value tuples]
        self.server_time = set()    # partitions written without USING TIMESTAMP

    @property
    def fq(self):
        return f"{KS}.{self.name}"

    @property
    def pk_names(self):
        return ", ".join(c.name for c in self.pk)

    def ddl(self):
        cols = []
        for c in self.columns:
            cols.append(f"{c.name} {c.t.cql()}" + (" static" if c.role == "static" else ""))
        pk = "(" + self.pk_names + ")"
        key = ", ".join([pk] + [c.name for c in self.ck])
        text = f"CREATE TABLE {self.fq} ({', '.join(cols)}, PRIMARY KEY ({key}))"
        if self.ck:
            text += " WITH CLUSTERING ORDER BY (" + ", ".join(
                f"{c.name} {c.order}" for c in self.ck) + ")"
        return text

    def pk_where(self, values, use_literals=True):
        if use_literals:
            return " AND ".join(f"{c.name} = {literal(v, c.t)}" for c, v in zip(self.pk, values))
        return " AND ".join(f"{c.name} = ?" for c in self.pk)


def random_name(rng, prefix):
    return prefix + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3))


def random_table(rng, index):
    used = set()

    def name(prefix):
        while True:
            n = random_name(rng, prefix)
            if n not in used:
                used.add(n)
                return n

    columns = []
    for _ in range(rng.randint(1, 3)):
        columns.append(Column(name("p_"), random_type(rng, "pk"), "pk"))
    nck = rng.choice([0, 1, 1, 2, 2, 3])
    for _ in range(nck):
        columns.append(Column(name("c_"), random_type(rng, "ck"), "ck", rng.choice(["ASC", "DESC"])))
    if nck:
        for _ in range(rng.randint(0, 2)):
            columns.append(Column(name("s_"), random_type(rng, "static"), "static"))
    for _ in range(rng.randint(1, 5)):
        columns.append(Column(name(rng.choice(["r_", "v_", "a_"])), random_type(rng, "regular"),
                              "regular"))
    return Table(f"t{index}", columns)


# ---------------------------------------------------------------------------------------------
# The test.

class Side:
    def __init__(self, name, under_test):
        self.name = name
        self.under_test = under_test
        self.sessions = {v: under_test.connect(consistency=ConsistencyLevel.ONE,
                                               protocol_version=v) for v in PROTOCOLS}


class DifferentialTest(unittest.TestCase):
    sides = None

    @classmethod
    def setUpClass(cls):
        if harness.ARGS.cluster != "cassandra":
            raise unittest.SkipTest(
                "the differential test compares cqlsim with a real Apache Cassandra: run it with "
                "--cluster cassandra (it starts its own cqlsim beside the real cluster)")
        seed_text = os.environ.get("CQLBULK_DIFF_SEED", str(DEFAULT_SEED))
        cls.seed = random.SystemRandom().randrange(10 ** 9) if seed_text == "random" \
            else int(seed_text)
        print(f"\ndifferential test: seed {cls.seed} (CQLBULK_DIFF_SEED={cls.seed} repeats it)",
              flush=True)
        cls.rng = random.Random(cls.seed)
        cls.started = time.time()
        cls.cass_cluster = harness.CassandraUnderTest()
        cls.sim_cluster = None
        try:
            cls.sim_cluster = harness.SimUnderTest(SIM_BLOCK)
            cls.cass = Side("Cassandra", cls.cass_cluster)
            cls.sim = Side("cqlsim", cls.sim_cluster)
            cls.setup_findings = []
            cls.prepared = {}
            cls.ts = BASE_TS
            cls.create_schema()
            cls.write_data()
        except BaseException:
            cls.close_clusters()
            raise
        print(f"differential test: schema and data written in {time.time() - cls.started:.1f} s",
              flush=True)

    @classmethod
    def close_clusters(cls):
        for c in (cls.cass_cluster, cls.sim_cluster):
            if c is not None:
                c.close()

    def setUp(self):
        self.test_started = time.time()

    def tearDown(self):
        print(f"  ({time.time() - self.test_started:.1f} s)", flush=True)

    @classmethod
    def tearDownClass(cls):
        try:
            if not os.environ.get("CQLBULK_DIFF_KEEP"):
                cls.cass.sessions[5].execute(f"DROP KEYSPACE IF EXISTS {KS}", timeout=120)
        finally:
            cls.close_clusters()
        print(f"differential test: {time.time() - cls.started:.1f} s in all", flush=True)

    # -- running statements on both ---------------------------------------------------------

    @classmethod
    def both(cls, statement, params=None, protocol=5, fetch_size=None, prepare=False):
        outs = []
        for side in (cls.cass, cls.sim):
            session = side.sessions[protocol]
            stmt, values = statement, params
            if prepare:
                key = (side.name, protocol, statement)
                try:
                    if key not in cls.prepared:
                        cls.prepared[key] = session.prepare(statement)
                    stmt = cls.prepared[key].bind(params)
                    values = None
                except Exception as e:  # noqa: BLE001
                    outs.append(Outcome(type(e).__name__, error=str(e)[:400]))
                    continue
            outs.append(execute(session, stmt, values, fetch_size))
        return outs

    @classmethod
    def compare(cls, findings, category, statement, params=None, protocols=PROTOCOLS,
                fetch_size=None, prepare=False, what=None, kinds_only=False):
        """Runs the statement on both clusters and adds a finding per difference."""
        shown = statement if params is None else f"{statement}  -- values {params!r}"
        for protocol in protocols:
            cass, sim = cls.both(statement, params, protocol, fetch_size, prepare)
            what_ = what or category
            if cass.kind != sim.kind:
                findings.append(Finding(category, shown, protocol, what_ + ": different answer",
                                        cass, sim))
                continue
            if cass.kind != "rows" or kinds_only:
                continue
            if cass.columns != sim.columns:
                diffs = [f"{a} / {b}" for a, b in zip(cass.columns, sim.columns) if a != b]
                findings.append(Finding(category, shown, protocol, what_ + ": column metadata",
                                        cass, sim, "metadata (Cassandra / cqlsim): " +
                                        "; ".join(diffs or ["different number of columns"])))
                continue
            diff = rows_difference([c[2] for c in cass.columns], cass.rows, sim.rows)
            if diff:
                findings.append(Finding(category, shown, protocol, what_ + ": values", cass, sim,
                                        diff))

    def report(self, findings):
        # A real cluster restarted under the test (e.g. `cassandra.sh start --fresh` by someone
        # else) makes every answer differ: say that instead of listing bogus differences.
        gone = execute(self.cass.sessions[5], "SELECT keyspace_name FROM system_schema.keyspaces "
                       f"WHERE keyspace_name = '{KS}'")
        if gone.kind != "rows" or not gone.rows:
            self.fail(f"the real cluster lost keyspace {KS} or does not answer ({gone.brief()}): "
                      "was it restarted during the test? Run it again.")
        new, known = [], []
        for f in findings:
            for k in KNOWN_DIFFERENCES:
                if k.matches(f):
                    f.known = k
                    k.seen += 1
                    known.append(f)
                    break
            else:
                new.append(f)
        for f in known:
            print(f"\nknown difference, allowed:\n{f}", flush=True)
        if new:
            self.fail(f"{len(new)} difference(s) between Apache Cassandra and cqlsim "
                      f"(seed {self.seed}):\n\n" + "\n\n".join(str(f) for f in new))

    # -- schema and data ----------------------------------------------------------------------

    @classmethod
    def ddl(cls, statement):
        """DDL on both; the test's own schema must be accepted by both."""
        cass, sim = cls.both(statement)
        if cass.kind != sim.kind:
            cls.setup_findings.append(Finding("schema", statement, 5, "DDL", cass, sim))
        return cass, sim

    @classmethod
    def create_schema(cls):
        for side in (cls.cass, cls.sim):
            side.sessions[5].execute(f"DROP KEYSPACE IF EXISTS {KS}", timeout=120)
        cls.ddl(f"CREATE KEYSPACE {KS} WITH replication = "
                "{'class': 'SimpleStrategy', 'replication_factor': 1}")
        cls.ddl(f"CREATE TYPE {KS}.{UDT_NAME} (" +
                ", ".join(f"{n} {t}" for n, t in UDT_FIELDS) + ")")
        rng = cls.rng
        cls.tables = []
        for i in range(6):
            table = random_table(rng, i)
            cass, sim = cls.ddl(table.ddl())
            if cass.kind == "void":
                cls.tables.append(table)
        # Fixed tables for the shapes a random schema may miss.
        fixed = [
            Table("fixed_wide", [
                Column("p", T("int"), "pk"), Column("c1", T("text"), "ck", "DESC"),
                Column("c2", T("double"), "ck", "ASC"), Column("c3", T("timeuuid"), "ck", "DESC"),
                Column("s", T("text"), "static"),
                Column("r_list", T("list", [T("int")]), "regular"),
                Column("r_set", T("set", [T("text")]), "regular"),
                Column("r_map", T("map", [T("text"), T("int")]), "regular"),
                Column("r_udt", T("udt"), "regular"),
                Column("r_dur", T("duration"), "regular"),
                Column("r_int", T("int"), "regular")]),
            Table("fixed_frozen_keys", [
                Column("p1", T("list", [T("int")], True), "pk"),
                Column("p2", T("tuple", [T("text"), T("bigint")]), "pk"),
                Column("c1", T("set", [T("text")], True), "ck", "DESC"),
                Column("c2", T("udt", (), True), "ck", "ASC"),
                Column("c3", T("map", [T("int"), T("text")], True), "ck", "ASC"),
                Column("r", T("text"), "regular")]),
        ]
        for table in fixed:
            cass, sim = cls.ddl(table.ddl())
            if cass.kind == "void":
                cls.tables.append(table)
        MULTICELL_COLUMNS.update((t.name, c.name) for t in cls.tables for c in t.columns
                                 if c.t.multicell)
        cls.ddl(f"CREATE TABLE {KS}.counters (p int, c text, n1 counter, n2 counter, "
                "PRIMARY KEY (p, c))")
        cls.ddl(f"CREATE TABLE {KS}.counters1 (k text PRIMARY KEY, n counter)")
        cls.ddl(f"CREATE TABLE {KS}.lwt (k int, c int, v text, s int static, "
                "PRIMARY KEY (k, c))")
        cls.ddl(f"CREATE TABLE {KS}.scratch (k int PRIMARY KEY, v int, t text)")
        cls.ddl(f"CREATE TABLE {KS}.probe (k int, c int, v int, w text, PRIMARY KEY (k, c))")
        cls.ddl(f"CREATE TABLE {KS}.ttl_default (k int PRIMARY KEY, v int) "
                "WITH default_time_to_live = 3000")

    @classmethod
    def next_ts(cls):
        cls.ts += 1000 + cls.rng.randint(0, 999)
        return cls.ts

    @classmethod
    def write(cls, statement, params=None, prepare=False, protocol=None):
        protocol = protocol or cls.rng.choice(PROTOCOLS)
        cass, sim = cls.both(statement, params, protocol, prepare=prepare)
        if cass.kind != sim.kind:
            shown = statement if params is None else f"{statement}  -- values {params!r}"
            cls.setup_findings.append(Finding("write", shown, protocol, "write", cass, sim))
        return cass, sim

    @classmethod
    def using(cls, table, partition, ttl=True):
        opts = []
        if ttl and cls.rng.random() < 0.25:
            # Expiring before 2038 (test_writetime_and_ttl looks at the longer ones).
            opts.append(f"TTL {cls.rng.choice([0, 1, 2, 3600, 86400 * 30, 86400 * 3650])}")
        if partition not in table.server_time:
            opts.append(f"TIMESTAMP {cls.next_ts()}")
        return (" USING " + " AND ".join(opts)) if opts else ""

    @classmethod
    def write_data(cls):
        rng = cls.rng
        for table in cls.tables:
            seen = set()
            for _ in range(rng.randint(4, 10)):
                values = tuple(random_value(rng, c.t, "pk") for c in table.pk)
                key = repr(norm(bindable(values)))
                if key not in seen:
                    seen.add(key)
                    table.partitions.append(values)
            for p, values in enumerate(table.partitions):
                if rng.random() < 0.2:
                    table.server_time.add(p)
                cks = []
                seen_ck = set()
                for _ in range(rng.randint(1, 5) if table.ck else 1):
                    ck = tuple(random_clustering_value(rng, c) for c in table.ck)
                    key = repr(clustering_key(ck))
                    if key not in seen_ck:
                        seen_ck.add(key)
                        cks.append(ck)
                table.rows[p] = cks
                for ck in cks:
                    cls.insert_row(table, p, values, ck)
            for p in range(len(table.partitions)):
                cls.mutate_partition(table, p)
        cls.write_counters()
        cls.write_lwt_table()
        cls.written_at = time.time()
        # TTLs of 1 and 2 seconds have expired on both before the first comparison.
        time.sleep(max(0.0, cls.written_at + 3 - time.time()))

    @classmethod
    def insert_row(cls, table, p, pkv, ckv):
        rng = cls.rng
        cols = table.pk + table.ck
        vals = list(pkv) + list(ckv)
        for c in table.statics + table.regulars:
            if rng.random() < 0.8:
                cols.append(c)
                vals.append(random_value(rng, c.t, c.role, null_share=0.15))
        names = ", ".join(c.name for c in cols)
        using = cls.using(table, p)
        if rng.random() < 0.4 and not any(v is None for v in vals[:len(table.pk)]):
            text = (f"INSERT INTO {table.fq} ({names}) VALUES ("
                    + ", ".join(literal(v, c.t) for c, v in zip(cols, vals)) + ")" + using)
            cls.write(text)
        else:
            text = (f"INSERT INTO {table.fq} ({names}) VALUES ("
                    + ", ".join("?" for _ in cols) + ")" + using)
            cls.write(text, [bindable(v) for v in vals], prepare=True)

    @classmethod
    def mutate_partition(cls, table, p):
        """Updates, collection operations and deletes, each as a literal statement."""
        rng = cls.rng
        pkv = table.partitions[p]
        for _ in range(rng.randint(0, 3)):
            rows = table.rows[p]
            ck = rng.choice(rows) if rows and rng.random() < 0.8 else \
                tuple(random_clustering_value(rng, c) for c in table.ck)
            if repr(clustering_key(ck)) not in {repr(clustering_key(r)) for r in rows}:
                rows.append(ck)
            where = table.pk_where(pkv) + "".join(
                f" AND {c.name} = {literal(v, c.t)}" for c, v in zip(table.ck, ck))
            pwhere = table.pk_where(pkv)
            targets = table.regulars + table.statics
            c = rng.choice(targets)
            w = pwhere if c.role == "static" else where
            roll = rng.random()
            explicit = p not in table.server_time
            if roll < 0.3:
                v = random_value(rng, c.t, c.role, null_share=0.2)
                cls.write(f"UPDATE {table.fq}{cls.using(table, p)} SET {c.name} = "
                          f"{literal(v, c.t)} WHERE {w}")
            elif roll < 0.55 and c.t.multicell and c.t.kind != "udt":
                v = random_value(rng, c.t, c.role)
                if c.t.kind == "list":
                    op = rng.choice([f"{c.name} = {c.name} + {literal(v, c.t)}",
                                     f"{c.name} = {literal(v, c.t)} + {c.name}",
                                     f"{c.name} = {c.name} - {literal(v, c.t)}"])
                elif c.t.kind == "set":
                    op = rng.choice([f"{c.name} = {c.name} + {literal(v, c.t)}",
                                     f"{c.name} = {c.name} - {literal(v, c.t)}"])
                else:
                    if v:
                        k0, v0 = v[0]
                        op = rng.choice([
                            f"{c.name} = {c.name} + {literal(v, c.t)}",
                            f"{c.name}[{literal(k0, c.t.args[0])}] = {literal(v0, c.t.args[1])}"])
                    else:
                        op = f"{c.name} = {c.name} + {{}}"
                cls.write(f"UPDATE {table.fq}{cls.using(table, p)} SET {op} WHERE {w}")
            elif roll < 0.65 and c.t.kind == "udt" and c.t.multicell:
                v = random_value(rng, T("int"), "regular")
                cls.write(f"UPDATE {table.fq}{cls.using(table, p)} SET {c.name}.x = {v} "
                          f"WHERE {w}")
            elif explicit and roll < 0.75:
                cls.write(f"DELETE {c.name} FROM {table.fq}{cls.using(table, p, ttl=False)} "
                          f"WHERE {w}")
            elif explicit and roll < 0.85 and table.ck:
                cls.write(f"DELETE FROM {table.fq}{cls.using(table, p, ttl=False)} WHERE {where}")
            elif explicit and roll < 0.92 and table.ck:
                c0 = table.ck[0]
                op = rng.choice([">", ">=", "<", "<="])
                cls.write(f"DELETE FROM {table.fq}{cls.using(table, p, ttl=False)} WHERE "
                          f"{pwhere} AND {c0.name} {op} {literal(ck[0], c0.t)}")
            elif explicit and roll < 0.95:
                cls.write(f"DELETE FROM {table.fq}{cls.using(table, p, ttl=False)} "
                          f"WHERE {pwhere}")
                cls.insert_row(table, p, pkv, ck)
            else:
                # An UPDATE creates no row marker: setting every column to null leaves no row.
                if table.ck and table.regulars:
                    r = table.regulars[0]
                    v = random_value(rng, r.t, "regular")
                    cls.write(f"UPDATE {table.fq}{cls.using(table, p, ttl=False)} SET "
                              f"{r.name} = {literal(v, r.t)} WHERE {where}")
                    if rng.random() < 0.5:
                        cls.write(f"UPDATE {table.fq}{cls.using(table, p, ttl=False)} SET "
                                  f"{r.name} = null WHERE {where}")

    @classmethod
    def write_counters(cls):
        rng = cls.rng
        for _ in range(30):
            p, c = rng.randint(0, 4), rng.choice(["a", "b", "", "ü"])
            n1 = rng.choice([1, -1, 2 ** 62, -(2 ** 62), rng.randint(-1000, 1000)])
            n2 = rng.randint(-5, 5)
            cls.write(f"UPDATE {KS}.counters SET n1 = n1 + {n1}, n2 = n2 - {n2} "
                      f"WHERE p = {p} AND c = '{c}'")
        for k in ["x", "y"]:
            cls.write(f"UPDATE {KS}.counters1 SET n = n + ? WHERE k = ?",
                      [2 ** 63 - 1, k], prepare=True)
        cls.write(f"UPDATE {KS}.counters1 SET n = n + 1 WHERE k = 'x'")   # wraps around
        cls.write(f"UPDATE {KS}.counters1 SET n = n + 0 WHERE k = 'z'")

    @classmethod
    def write_lwt_table(cls):
        for k in range(4):
            for c in range(3):
                cls.write(f"INSERT INTO {KS}.lwt (k, c, v, s) VALUES ({k}, {c}, 'v{c}', {k}) "
                          f"USING TIMESTAMP {cls.next_ts()}")

    # -- the comparisons ----------------------------------------------------------------------

    def test_00_writes_and_schema(self):
        """Every DDL and write of the test's data gets the same kind of answer, and
        system_schema describes the tables alike."""
        findings = list(self.setup_findings)
        for table in [t.name for t in self.tables] + ["counters", "counters1", "lwt", "scratch",
                                                      "probe", "ttl_default"]:
            self.compare(findings, "schema",
                         "SELECT column_name, clustering_order, kind, position, type FROM "
                         f"system_schema.columns WHERE keyspace_name = '{KS}' AND "
                         f"table_name = '{table}'")
        self.compare(findings, "schema",
                     "SELECT type_name, field_names, field_types FROM system_schema.types "
                     f"WHERE keyspace_name = '{KS}'")
        self.compare(findings, "schema",
                     "SELECT keyspace_name, durable_writes, replication FROM "
                     f"system_schema.keyspaces WHERE keyspace_name = '{KS}'")
        self.compare(findings, "schema",
                     "SELECT keyspace_name, table_name, default_time_to_live FROM "
                     f"system_schema.tables WHERE keyspace_name = '{KS}'")
        self.report(findings)

    def test_scans_tokens_distinct_count(self):
        findings = []
        for t in self.tables:
            pks = t.pk_names
            self.compare(findings, "scan", f"SELECT * FROM {t.fq}")
            self.compare(findings, "token", f"SELECT token({pks}), {pks} FROM {t.fq}")
            self.compare(findings, "distinct", f"SELECT DISTINCT {pks} FROM {t.fq}")
            if t.statics:
                names = ", ".join(c.name for c in t.statics)
                self.compare(findings, "distinct", f"SELECT DISTINCT {pks}, {names} FROM {t.fq}")
                self.compare(findings, "distinct",
                             f"SELECT DISTINCT token({pks}), {pks} FROM {t.fq} LIMIT 3")
            self.compare(findings, "count", f"SELECT count(*) FROM {t.fq}")
            self.compare(findings, "count", f"SELECT COUNT(*) AS n FROM {t.fq} LIMIT 2")
            self.compare(findings, "count", f"SELECT count(1) FROM {t.fq}")
            self.compare(findings, "limit", f"SELECT * FROM {t.fq} LIMIT 5")
            cols = [c.name for c in t.regulars[:2]] + [c.name for c in reversed(t.pk)]
            self.compare(findings, "select", f"SELECT {', '.join(cols)} FROM {t.fq}")
            first = t.regulars[0].name
            self.compare(findings, "select",
                         f'SELECT {first} AS "Alias Ünï", {t.pk[0].name} AS x FROM {t.fq}')
            if t.ck:
                self.compare(findings, "limit", f"SELECT * FROM {t.fq} PER PARTITION LIMIT 1")
                self.compare(findings, "limit",
                             f"SELECT * FROM {t.fq} PER PARTITION LIMIT 2 LIMIT 7")
        self.report(findings)

    def test_paging(self):
        findings = []
        for t in self.tables:
            for size in (1, 3, 7):
                self.compare(findings, "paging", f"SELECT * FROM {t.fq}", fetch_size=size)
            self.compare(findings, "paging", f"SELECT * FROM {t.fq} LIMIT 5", fetch_size=2)
            if t.ck:
                self.compare(findings, "paging", f"SELECT * FROM {t.fq} PER PARTITION LIMIT 2",
                             fetch_size=3)
            self.compare(findings, "paging", f"SELECT DISTINCT {t.pk_names} FROM {t.fq}",
                         fetch_size=2)
            self.compare(findings, "paging", f"SELECT count(*) FROM {t.fq}", fetch_size=2)
            p = self.pick_partition(t)
            self.compare(findings, "paging",
                         f"SELECT * FROM {t.fq} WHERE {t.pk_where(t.partitions[p])}",
                         fetch_size=1)
            self.compare(findings, "paging", f"SELECT * FROM {t.fq} WHERE {t.pk_where(None, False)}",
                         params=[bindable(v) for v in t.partitions[p]], prepare=True,
                         fetch_size=2, what="paging, prepared")
        self.report(findings)

    def pick_partition(self, t):
        rng = random.Random(f"{self.seed}/{t.name}")
        with_rows = [p for p in range(len(t.partitions)) if len(t.rows[p]) > 1] or \
            list(range(len(t.partitions)))
        return rng.choice(with_rows)

    def test_partition_queries(self):
        findings = []
        for t in self.tables:
            rng = random.Random(f"{self.seed}/pq/{t.name}")
            parts = rng.sample(range(len(t.partitions)), min(3, len(t.partitions)))
            for p in parts:
                pkv = t.partitions[p]
                where = t.pk_where(pkv)
                fq = t.fq
                self.compare(findings, "partition", f"SELECT * FROM {fq} WHERE {where}")
                self.compare(findings, "count", f"SELECT count(*) FROM {fq} WHERE {where}")
                self.compare(findings, "partition, prepared",
                             f"SELECT * FROM {fq} WHERE {t.pk_where(None, False)}",
                             params=[bindable(v) for v in pkv], prepare=True)
                if not t.ck:
                    continue
                cks = t.rows[p]
                ck = rng.choice(cks)
                c0 = t.ck[0]
                a = literal(ck[0], c0.t)
                b = literal(rng.choice(cks)[0], c0.t)
                rev = ", ".join(f"{c.name} {'ASC' if c.order == 'DESC' else 'DESC'}" for c in t.ck)
                same = ", ".join(f"{c.name} {c.order}" for c in t.ck)
                for cond in [f"{c0.name} > {a}", f"{c0.name} >= {a}", f"{c0.name} < {a}",
                             f"{c0.name} <= {a}", f"{c0.name} = {a}",
                             f"{c0.name} >= {a} AND {c0.name} <= {b}",
                             f"{c0.name} > {a} AND {c0.name} < {b}",
                             f"{c0.name} IN ({a}, {b})"]:
                    self.compare(findings, "slice", f"SELECT * FROM {fq} WHERE {where} AND {cond}")
                    self.compare(findings, "order",
                                 f"SELECT * FROM {fq} WHERE {where} AND {cond} ORDER BY {rev}")
                self.compare(findings, "order", f"SELECT * FROM {fq} WHERE {where} ORDER BY {rev}")
                self.compare(findings, "order",
                             f"SELECT * FROM {fq} WHERE {where} ORDER BY {same} LIMIT 2")
                self.compare(findings, "order",
                             f"SELECT * FROM {fq} WHERE {where} ORDER BY {rev} LIMIT 2")
                self.compare(findings, "order", f"SELECT * FROM {fq} WHERE {where} ORDER BY {rev}",
                             fetch_size=1, what="order, paged")
                if len(t.ck) >= 2:
                    c1 = t.ck[1]
                    tup = f"({c0.name}, {c1.name})"
                    val = f"({a}, {literal(ck[1], c1.t)})"
                    for op in (">", ">=", "<", "<=", "="):
                        self.compare(findings, "slice",
                                     f"SELECT * FROM {fq} WHERE {where} AND {tup} {op} {val}")
                    self.compare(findings, "slice",
                                 f"SELECT * FROM {fq} WHERE {where} AND {c0.name} = {a} AND "
                                 f"{c1.name} > {literal(ck[1], c1.t)}")
                    self.compare(findings, "slice",
                                 f"SELECT * FROM {fq} WHERE {where} AND {tup} IN ({val})")
                    # Skipping the first clustering column: filtering.
                    self.compare(findings, "filtering",
                                 f"SELECT * FROM {fq} WHERE {where} AND "
                                 f"{c1.name} = {literal(ck[1], c1.t)}", what="needs ALLOW FILTERING")
                    self.compare(findings, "filtering",
                                 f"SELECT * FROM {fq} WHERE {where} AND "
                                 f"{c1.name} = {literal(ck[1], c1.t)} ALLOW FILTERING")
            # IN on the partition key.
            ps = [t.partitions[i] for i in rng.sample(range(len(t.partitions)),
                                                        min(3, len(t.partitions)))]
            conds = []
            for i, c in enumerate(t.pk):
                distinct = []
                for pv in ps:
                    lit = literal(pv[i], c.t)
                    if lit not in distinct:
                        distinct.append(lit)
                conds.append(f"{c.name} IN ({', '.join(distinct)})")
            self.compare(findings, "in", f"SELECT * FROM {t.fq} WHERE {' AND '.join(conds)}")
            self.compare(findings, "in",
                         f"SELECT {t.pk_names} FROM {t.fq} WHERE {' AND '.join(conds)} LIMIT 2")
            if len(t.pk) == 1:
                self.compare(findings, "in, prepared",
                             f"SELECT * FROM {t.fq} WHERE {t.pk[0].name} IN ?",
                             params=[[bindable(pv[0]) for pv in ps]], prepare=True)
                if t.ck:
                    self.compare(findings, "in",
                                 f"SELECT * FROM {t.fq} WHERE {' AND '.join(conds)} ORDER BY "
                                 f"{t.ck[0].name} {t.ck[0].order}", kinds_only=True,
                                 what="IN with ORDER BY, paged")
            # Filtering on a regular column.
            scalar = [c for c in t.regulars if c.t.kind in SCALARS and c.t.kind not in
                      ("double", "float", "decimal")]
            if scalar:
                c = scalar[0]
                v = literal(random_value(rng, c.t, "regular"), c.t)
                self.compare(findings, "filtering", f"SELECT * FROM {t.fq} WHERE {c.name} = {v}",
                             what="needs ALLOW FILTERING")
                self.compare(findings, "filtering",
                             f"SELECT * FROM {t.fq} WHERE {c.name} = {v} ALLOW FILTERING")
                self.compare(findings, "filtering",
                             f"SELECT * FROM {t.fq} WHERE {c.name} > {v} ALLOW FILTERING")
        self.report(findings)

    def test_writetime_and_ttl(self):
        findings = []
        for t in self.tables:
            keys = ", ".join(c.name for c in t.pk + t.ck)
            for c in t.regulars + t.statics:
                category = "writetime, collection" if c.t.multicell else "writetime"
                self.compare(findings, category,
                             f"SELECT {keys}, writetime({c.name}), ttl({c.name}) FROM {t.fq}")
            cols = ", ".join(f"writetime({c.name}) AS writetime_{i}" for i, c in
                             enumerate(t.regulars) if not c.t.multicell)
            if cols:
                self.compare(findings, "writetime", f"SELECT {keys}, {cols} FROM {t.fq}")
        self.compare(findings, "ttl", f"INSERT INTO {KS}.ttl_default (k, v) VALUES (1, 1)",
                     protocols=(5,))
        self.compare(findings, "ttl", f"INSERT INTO {KS}.ttl_default (k, v) VALUES (2, 2) "
                     "USING TTL 100", protocols=(5,))
        self.compare(findings, "ttl", f"INSERT INTO {KS}.ttl_default (k, v) VALUES (3, 3) "
                     "USING TTL 0", protocols=(5,))
        # TTLs up to the maximum, 20 years: cells that expire after 2038-01-19 (2^31 s).
        for k, ttl in ((10, 300000000), (11, 400000000), (12, 630720000)):
            self.compare(findings, "ttl", f"INSERT INTO {KS}.ttl_default (k, v) VALUES ({k}, {k}) "
                         f"USING TTL {ttl}", protocols=(5,))
        self.compare(findings, "ttl", f"SELECT k, v, ttl(v) FROM {KS}.ttl_default")
        self.report(findings)

    def test_token_ranges(self):
        findings = []
        rng = random.Random(f"{self.seed}/ranges")
        lo, hi = harness.MIN_TOKEN, harness.MAX_TOKEN
        for t in self.tables:
            pks = t.pk_names
            base = f"SELECT token({pks}), {pks} FROM {t.fq} WHERE "
            cuts = sorted(rng.randint(lo, hi) for _ in range(3))
            ranges = [(lo, cuts[0]), (cuts[0], cuts[1]), (cuts[1], cuts[2]), (cuts[2], hi)]
            for a, b in ranges:
                self.compare(findings, "token range",
                             base + f"token({pks}) > {a} AND token({pks}) <= {b}")
            self.compare(findings, "token range", base + f"token({pks}) >= {cuts[0]} AND "
                         f"token({pks}) < {cuts[2]}")
            self.compare(findings, "token range", base + f"token({pks}) > {cuts[2]} AND "
                         f"token({pks}) <= {cuts[0]}", what="range that wraps around")
            self.compare(findings, "token range", base + f"token({pks}) > {lo}")
            self.compare(findings, "token range", base + f"token({pks}) <= {lo}")
            self.compare(findings, "token range", base + f"token({pks}) < {cuts[1]}")
            self.compare(findings, "token range", base + f"token({pks}) > {cuts[1]} LIMIT 2")
            self.compare(findings, "token range, prepared",
                         f"SELECT * FROM {t.fq} WHERE token({pks}) > ? AND token({pks}) <= ?",
                         params=[cuts[0], cuts[2]], prepare=True, fetch_size=2)
            p = t.partitions[0]
            lits = ", ".join(literal(v, c.t) for c, v in zip(t.pk, p))
            self.compare(findings, "token range",
                         base + f"token({pks}) = token({lits})", what="token() of literals")
            self.compare(findings, "token range",
                         f"SELECT count(*) FROM {t.fq} WHERE token({pks}) > {cuts[0]} AND "
                         f"token({pks}) <= {cuts[2]}")
        self.report(findings)

    def test_prepared_metadata(self):
        findings = []
        for t in self.tables:
            pk_eq = t.pk_where(None, False)
            statements = [
                f"SELECT * FROM {t.fq} WHERE {pk_eq}",
                f"SELECT * FROM {t.fq} WHERE {pk_eq} LIMIT ?",
                f"SELECT {t.pk_names}, token({t.pk_names}) FROM {t.fq} WHERE "
                f"token({t.pk_names}) > ? AND token({t.pk_names}) <= ?",
                f"SELECT count(*) FROM {t.fq} WHERE {pk_eq}",
                f"INSERT INTO {t.fq} ({', '.join(c.name for c in t.columns)}) VALUES "
                f"({', '.join('?' for _ in t.columns)}) USING TTL ? AND TIMESTAMP ?",
                f"INSERT INTO {t.fq} ({', '.join(c.name for c in t.pk + t.ck)}) VALUES "
                f"({', '.join(':' + c.name for c in t.pk + t.ck)}) IF NOT EXISTS",
                f"DELETE FROM {t.fq} WHERE {pk_eq}",
                f"SELECT * FROM {t.fq} PER PARTITION LIMIT ?",
            ]
            if len(t.pk) == 1:
                statements.append(f"SELECT * FROM {t.fq} WHERE {t.pk[0].name} IN ?")
                statements.append(f"SELECT * FROM {t.fq} WHERE {t.pk[0].name} IN (?, ?)")
            if t.ck:
                c0 = t.ck[0]
                statements.append(f"SELECT * FROM {t.fq} WHERE {pk_eq} AND {c0.name} > ? "
                                  f"AND {c0.name} <= :upper")
                r = t.regulars[0]
                statements.append(f"UPDATE {t.fq} USING TTL ? SET {r.name} = ? WHERE {pk_eq} AND "
                                  + " AND ".join(f"{c.name} = ?" for c in t.ck))
                statements.append(f"SELECT writetime({r.name}), ttl({r.name}) FROM {t.fq} "
                                  f"WHERE {pk_eq} AND {c0.name} IN ?")
            for s in statements:
                for protocol in PROTOCOLS:
                    answers = []
                    for side in (self.cass, self.sim):
                        try:
                            ps = side.sessions[protocol].prepare(s)
                            answers.append(Outcome(
                                "prepared",
                                columns={
                                    "bind markers": [(m.keyspace_name, m.table_name, m.name,
                                                      cql_type_name(m.type))
                                                     for m in ps.column_metadata],
                                    "routing key indexes": ps.routing_key_indexes,
                                    "result columns": [(m[0], m[1], m[2], cql_type_name(m[3]))
                                                       for m in ps.result_metadata or []]},
                                rows=[]))
                        except Exception as e:  # noqa: BLE001
                            answers.append(Outcome(type(e).__name__, error=str(e)[:400]))
                    cass, sim = answers
                    category = "prepare"
                    if t.ck and re.search(r"writetime\(", s) and t.regulars[0].t.multicell:
                        category = "prepare, writetime of collection"
                    if cass.kind != sim.kind:
                        findings.append(Finding(category, s, protocol, "PREPARE: different answer",
                                                cass, sim))
                    elif cass.kind == "prepared":
                        for part in cass.columns:
                            if cass.columns[part] != sim.columns[part]:
                                findings.append(Finding(
                                    "prepare", s, protocol, f"PREPARE: {part}",
                                    Outcome("prepared", error=None, columns=cass.columns[part],
                                            rows=[]),
                                    Outcome("prepared", error=None, columns=sim.columns[part],
                                            rows=[]),
                                    f"{part}: Cassandra {cass.columns[part]}, cqlsim "
                                    f"{sim.columns[part]}"))
        self.report(findings)

    def test_lwt(self):
        findings = []
        fq = f"{KS}.lwt"
        steps = [
            f"INSERT INTO {fq} (k, c, v) VALUES (0, 0, 'new') IF NOT EXISTS",
            f"INSERT INTO {fq} (k, c, v) VALUES (0, 9, 'new') IF NOT EXISTS",
            f"INSERT INTO {fq} (k, c, v) VALUES (0, 9, 'again') IF NOT EXISTS",
            f"INSERT INTO {fq} (k, c, v) VALUES (9, 0, 'ttl') IF NOT EXISTS USING TTL 1000",
            f"UPDATE {fq} SET v = 'upd' WHERE k = 1 AND c = 1 IF v = 'v1'",
            f"UPDATE {fq} SET v = 'upd2' WHERE k = 1 AND c = 1 IF v = 'v1'",
            f"UPDATE {fq} SET v = 'x' WHERE k = 1 AND c = 2 IF v IN ('a', 'v2')",
            f"UPDATE {fq} SET v = 'y' WHERE k = 1 AND c = 2 IF v != 'x'",
            f"UPDATE {fq} SET v = 'z' WHERE k = 1 AND c = 2 IF v > 'a' AND v < 'zz'",
            f"UPDATE {fq} SET v = 'e' WHERE k = 2 AND c = 7 IF EXISTS",
            f"UPDATE {fq} SET v = 'e' WHERE k = 2 AND c = 1 IF EXISTS",
            f"UPDATE {fq} SET s = 5 WHERE k = 2 IF s = 2",
            f"UPDATE {fq} SET v = 'n' WHERE k = 2 AND c = 0 IF v = null",
            f"DELETE FROM {fq} WHERE k = 3 AND c = 0 IF EXISTS",
            f"DELETE FROM {fq} WHERE k = 3 AND c = 0 IF EXISTS",
            f"DELETE FROM {fq} WHERE k = 3 AND c = 1 IF v = 'nope'",
            f"DELETE v FROM {fq} WHERE k = 3 AND c = 2 IF v = 'v2'",
            f"BEGIN BATCH INSERT INTO {fq} (k, c, v) VALUES (2, 5, 'b') IF NOT EXISTS; "
            f"UPDATE {fq} SET v = 'bb' WHERE k = 2 AND c = 0 IF v = 'v0'; APPLY BATCH",
            f"BEGIN BATCH INSERT INTO {fq} (k, c, v) VALUES (2, 6, 'b') IF NOT EXISTS; "
            f"UPDATE {fq} SET v = 'bb' WHERE k = 2 AND c = 0 IF v = 'nope'; APPLY BATCH",
            f"BEGIN BATCH INSERT INTO {fq} (k, c, v) VALUES (2, 6, 'b') IF NOT EXISTS; "
            f"INSERT INTO {fq} (k, c, v) VALUES (3, 6, 'b') IF NOT EXISTS; APPLY BATCH",
            f"INSERT INTO {fq} (k, c, v) VALUES (0, 0, 'x') IF NOT EXISTS USING TIMESTAMP 5",
        ]
        for s in steps:
            self.compare(findings, "lwt", s, protocols=(5,))
        self.compare(findings, "lwt", f"SELECT * FROM {fq}")
        self.compare(findings, "lwt", f"SELECT k, c, v, ttl(v) FROM {fq} WHERE k = 9")
        self.compare(findings, "lwt", f"INSERT INTO {fq} (k, c, v) VALUES (?, ?, ?) IF NOT EXISTS",
                     params=[0, 1, "p"], prepare=True, protocols=(4,))
        self.report(findings)

    def test_counters(self):
        findings = []
        for fq in (f"{KS}.counters", f"{KS}.counters1"):
            self.compare(findings, "counter", f"SELECT * FROM {fq}")
            self.compare(findings, "counter", f"SELECT count(*) FROM {fq}")
        self.compare(findings, "counter", f"SELECT * FROM {KS}.counters WHERE p = 1 ORDER BY c DESC")
        for s in [f"INSERT INTO {KS}.counters (p, c, n1) VALUES (1, 'a', 1)",
                  f"UPDATE {KS}.counters SET n1 = 5 WHERE p = 1 AND c = 'a'",
                  f"UPDATE {KS}.counters USING TTL 10 SET n1 = n1 + 1 WHERE p = 1 AND c = 'a'",
                  f"UPDATE {KS}.counters USING TIMESTAMP 10 SET n1 = n1 + 1 WHERE p = 1 AND c = 'a'",
                  f"SELECT writetime(n1) FROM {KS}.counters",
                  f"SELECT ttl(n1) FROM {KS}.counters",
                  f"CREATE TABLE {KS}.bad_counters (k int PRIMARY KEY, n counter, v int)",
                  f"BEGIN BATCH UPDATE {KS}.counters SET n1 = n1 + 1 WHERE p = 1 AND c = 'a'; "
                  f"APPLY BATCH",
                  f"BEGIN COUNTER BATCH UPDATE {KS}.counters SET n1 = n1 + 1 WHERE p = 9 AND "
                  f"c = 'a'; UPDATE {KS}.counters SET n2 = n2 - 3 WHERE p = 9 AND c = 'b'; "
                  f"APPLY BATCH"]:
            self.compare(findings, "counter", s, protocols=(5,))
        self.compare(findings, "counter", f"SELECT * FROM {KS}.counters WHERE p = 9")
        self.report(findings)

    def test_errors(self):
        """Statements both must reject alike, and statements cqlsim does not support."""
        findings = []
        t = self.tables[0]
        fq, sc = t.fq, f"{KS}.scratch"
        r = t.regulars[0]
        pk_lits = ", ".join(literal(v, c.t) for c, v in zip(t.pk, t.partitions[0]))
        statements = [
            # invalid on both
            f"SELEC * FROM {sc}",
            f"SELECT * FROM {sc} WHERE",
            f"SELECT nope FROM {sc}",
            f"SELECT * FROM {KS}.no_such_table",
            "SELECT * FROM no_such_keyspace.t",
            "USE no_such_keyspace",
            f"SELECT * FROM {sc} WHERE v = 1",
            f"SELECT * FROM {sc} WHERE k = 'text'",
            f"SELECT * FROM {sc} WHERE k = 1 AND k = 2",
            f"SELECT * FROM {sc} LIMIT 0",
            f"SELECT * FROM {sc} LIMIT -1",
            f"SELECT * FROM {sc} ORDER BY k",
            f"SELECT writetime(k) FROM {sc}",
            f"SELECT ttl(k) FROM {sc}",
            f"SELECT token(v) FROM {sc}",
            f"SELECT DISTINCT v FROM {sc}",
            f"INSERT INTO {sc} (k, v) VALUES ('text', 1)",
            f"INSERT INTO {sc} (k, v) VALUES (1, 2, 3)",
            f"INSERT INTO {sc} (v) VALUES (1)",
            f"INSERT INTO {sc} (k, v) VALUES (null, 1)",
            f"INSERT INTO {sc} (k, v) VALUES (1, 1) USING TTL -1",
            f"INSERT INTO {sc} (k, v) VALUES (1, 1) USING TTL 630720001",
            f"INSERT INTO {sc} (k, k) VALUES (1, 1)",
            f"INSERT INTO {sc} (k, v) VALUES (2147483648, 1)",
            f"INSERT INTO {sc} (k, t) VALUES (1, 0xff)",
            f"UPDATE {sc} SET k = 2 WHERE k = 1",
            f"UPDATE {sc} SET v = 2",
            f"DELETE FROM {sc} WHERE v = 1",
            f"DELETE FROM {sc} WHERE k > 1",
            f"INSERT INTO {KS}.probe (k, c, v) VALUES (1, null, 1)",
            f"SELECT * FROM {KS}.probe WHERE c = 1",
            f"SELECT * FROM {KS}.probe WHERE k = 1 ORDER BY v",
            f"SELECT * FROM {KS}.probe WHERE k IN (1, 2) ORDER BY c DESC",
            f"SELECT * FROM {KS}.probe PER PARTITION LIMIT 0",
            f"SELECT * FROM {KS}.probe WHERE token(k) > 0 AND k = 1",
            f"INSERT INTO {KS}.probe (k, c, v) VALUES (1, 1, 1) IF NOT EXISTS USING TIMESTAMP 1",
            f"UPDATE {KS}.probe SET v = 1 WHERE k IN (1, 2) AND c = 1 IF v = 1",
            f"CREATE TABLE {KS}.bad1 (k duration PRIMARY KEY, v int)",
            f"CREATE TABLE {KS}.bad2 (k int, c duration, PRIMARY KEY (k, c))",
            f"CREATE TABLE {KS}.bad3 (k list<int> PRIMARY KEY)",
            f"CREATE TABLE {KS}.bad4 (k int PRIMARY KEY, s int static)",
            f"CREATE TABLE {KS}.bad5 (k int, v int)",
            f"CREATE TABLE {KS}.scratch (k int PRIMARY KEY)",
            f"CREATE TABLE IF NOT EXISTS {KS}.scratch (k int PRIMARY KEY)",
            f"CREATE TYPE {KS}.{UDT_NAME} (a int)",
            f"DROP TABLE {KS}.no_such_table",
            f"DROP TABLE IF EXISTS {KS}.no_such_table",
            f"CREATE KEYSPACE {KS} WITH replication = "
            "{'class': 'SimpleStrategy', 'replication_factor': 1}",
            "CREATE KEYSPACE bad_ks WITH replication = {'class': 'NoSuchStrategy'}",
            f"SELECT * FROM {fq} WHERE token({t.pk_names}) = token({pk_lits}) AND "
            f"{r.name} = {literal(random_value(random.Random(1), r.t, 'regular'), r.t)}",
            # not supported by cqlsim (see KNOWN_DIFFERENCES)
            f"ALTER TABLE {sc} ADD extra int",
            f"ALTER TABLE {sc} WITH comment = 'x'",
            f"CREATE INDEX scratch_v ON {sc} (v)",
            f"CREATE MATERIALIZED VIEW {KS}.mv AS SELECT k, v FROM {sc} WHERE k IS NOT NULL "
            "AND v IS NOT NULL PRIMARY KEY (v, k)",
            f"CREATE FUNCTION {KS}.plus1 (x int) RETURNS NULL ON NULL INPUT RETURNS int "
            "LANGUAGE java AS 'return x + 1;'",
            f"SELECT k, count(*) FROM {sc} GROUP BY k",
            f"SELECT JSON * FROM {sc}",
            f"INSERT INTO {sc} JSON '{{\"k\": 5, \"v\": 6}}'",
            f"SELECT sum(v), max(v), min(v), avg(v) FROM {sc}",
            f"SELECT max(v) FROM {sc}",
            f"SELECT count(v) FROM {sc}",
            f"SELECT toJson(v) FROM {sc}",
            f"SELECT k, now() FROM {sc}",
            f"SELECT cast(v AS text) FROM {sc}",
            f"TRUNCATE {KS}.probe",
        ]
        for s in statements:
            self.compare(findings, "error", s, protocols=(5,), kinds_only=True)
        # A prepared statement bound with the wrong number of values is refused by the driver
        # (same on both); an unset partition key value is refused by the server.
        self.compare(findings, "error", f"SELECT * FROM {sc} WHERE k = ?", params=[UNSET_VALUE],
                     prepare=True, kinds_only=True)
        self.report(findings)

    def test_frozen_collections_are_normalised(self):
        """Cassandra stores a frozen set or map sorted and without duplicates, whatever order
        the client bound it in (a literal is the same): so [3, 1, 2] and [1, 2, 3] are the same
        clustering key and the same partition key, with the same token."""
        findings = []
        fq, pq = f"{KS}.frozen_ck", f"{KS}.frozen_pk"
        om = cutil.OrderedMap
        self.compare(findings, "frozen", f"CREATE TABLE {fq} (k int, c frozen<set<int>>, "
                     "m frozen<map<int, text>>, t frozen<set<text>>, v int, PRIMARY KEY (k, c))",
                     protocols=(5,), kinds_only=True)
        self.compare(findings, "frozen", f"CREATE TABLE {pq} (k frozen<map<int, int>> "
                     "PRIMARY KEY, v int)", protocols=(5,), kinds_only=True)
        insert = f"INSERT INTO {fq} (k, c, m, t, v) VALUES (1, ?, ?, ?, ?)"
        for values in ([[3, 1, 2], om([(5, "a"), (2, "b")]), ["b", "a", "b"], 1],
                       [[1, 2, 3], None, None, 2],
                       [[2, 1, 1], None, None, 3],
                       [[9, 8], om([(2, "x"), (-1, "y")]), ["z", "y"], 4]):
            self.compare(findings, "frozen", insert, params=values, prepare=True, protocols=(5,))
        self.compare(findings, "frozen", f"INSERT INTO {fq} (k, c, v) VALUES (1, {{2, 1}}, 5)",
                     protocols=(5,))
        self.compare(findings, "frozen", f"SELECT * FROM {fq} WHERE k = 1")
        self.compare(findings, "frozen", f"SELECT count(*) FROM {fq} WHERE k = 1 AND c = {{1, 2, 3}}")
        for values in ([om([(3, 0), (1, 0)]), 1], [om([(1, 0), (3, 0)]), 2]):
            self.compare(findings, "frozen", f"INSERT INTO {pq} (k, v) VALUES (?, ?)",
                         params=values, prepare=True, protocols=(5,))
        self.compare(findings, "frozen", f"SELECT token(k), k, v FROM {pq}")
        self.report(findings)

    def test_timestamps_and_tombstones(self):
        """Last write wins by timestamp, ties and deletes: the random data avoids the cases
        that need tombstones; this probe looks at them on its own table."""
        findings = []
        fq = f"{KS}.probe"
        plain = [
            # an older write loses to a newer one
            f"INSERT INTO {fq} (k, c, v, w) VALUES (1, 1, 10, 'new') USING TIMESTAMP 2000",
            f"INSERT INTO {fq} (k, c, v, w) VALUES (1, 1, 5, 'old') USING TIMESTAMP 1000",
            f"UPDATE {fq} USING TIMESTAMP 1500 SET v = 7 WHERE k = 1 AND c = 1",
            # equal timestamps: the greater value wins
            f"INSERT INTO {fq} (k, c, v, w) VALUES (2, 1, 5, 'a') USING TIMESTAMP 3000",
            f"INSERT INTO {fq} (k, c, v, w) VALUES (2, 1, 3, 'b') USING TIMESTAMP 3000",
            f"INSERT INTO {fq} (k, c, v, w) VALUES (2, 2, 3, 'b') USING TIMESTAMP 3000",
            f"INSERT INTO {fq} (k, c, v, w) VALUES (2, 2, 5, 'a') USING TIMESTAMP 3000",
            # a row made by UPDATE alone has no row marker
            f"UPDATE {fq} USING TIMESTAMP 4000 SET v = 1 WHERE k = 3 AND c = 1",
            f"UPDATE {fq} USING TIMESTAMP 4001 SET v = null WHERE k = 3 AND c = 1",
            f"INSERT INTO {fq} (k, c) VALUES (3, 2) USING TIMESTAMP 4000",
            f"UPDATE {fq} USING TIMESTAMP 4001 SET v = null, w = null WHERE k = 3 AND c = 2",
        ]
        for s in plain:
            self.compare(findings, "timestamp", s, protocols=(5,))
        for k in (1, 2, 3):
            self.compare(findings, "timestamp",
                         f"SELECT k, c, v, w, writetime(v), writetime(w) FROM {fq} WHERE k = {k}")
        tombstone = [
            # a delete older than the data does not remove it
            f"INSERT INTO {fq} (k, c, v) VALUES (4, 1, 1) USING TIMESTAMP 6000",
            f"DELETE FROM {fq} USING TIMESTAMP 5000 WHERE k = 4 AND c = 1",
            # a write older than a delete stays deleted
            f"DELETE FROM {fq} USING TIMESTAMP 7000 WHERE k = 5",
            f"INSERT INTO {fq} (k, c, v) VALUES (5, 1, 1) USING TIMESTAMP 6500",
        ]
        for s in tombstone:
            self.compare(findings, "tombstone", s, protocols=(5,))
        for k in (4, 5):
            self.compare(findings, "tombstone", f"SELECT k, c, v, writetime(v) FROM {fq} "
                         f"WHERE k = {k}")
        self.report(findings)


if __name__ == "__main__":
    harness.main()
