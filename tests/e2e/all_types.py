# SPDX-License-Identifier: Apache-2.0
"""A table with every CQL type, deterministic rows for it, and a row-for-row comparison of two
such tables: the shared fixture of the unload/load end-to-end tests (not a test itself).

    import all_types
    all_types.create(session, "ks", "every")            # CREATE TYPE info + CREATE TABLE
    all_types.create_counters(session, "ks", "counts")
    rows = all_types.rows(300, seed=1)                   # [{column: value}] for the driver
    all_types.insert(session, "ks", "every", rows)       # prepared INSERTs, concurrently
    all_types.assert_tables_equal(session, "ks", "every", "ks", "copy")

The table `every` has the partition key `pk int`, the clustering column `ck text`, a static
column and one regular column of every scalar type (ascii ... varint, duration), lists, sets
and maps frozen and not, nested frozen collections, a tuple, a UDT holding collections
(frozen and not), and a list of durations (duration may not be in a key, a set or a map key).
Counters live in their own table (`create_counters`). vector<...> is not here: the Debian
Python driver (3.25) cannot bind or decode it (unload_load_test covers vectors on their own).

The rows (seeded): each column's edge values appear at least once in the first rows, in turn
(INT64 min/max, NaN and +-Infinity, -0.0, denormals, varints of 100+ bits, decimals with
negative and large scales, year 1 and year 9999 dates and timestamps, timestamps before the
epoch, nanosecond times, negative durations, IPv6, 4-byte UTF-8, empty strings and blobs,
text with the CSV delimiter, quotes and line breaks), then random values; nulls in every
column, a row whose regular columns are all null, a row with none null. Values are what the
driver binds (timestamps as int milliseconds, so nothing is rounded on the way in).

The comparison reads both tables with the driver and compares normalised values (NaN equals
NaN, -0.0 differs from 0.0, a decimal's scale counts, timestamps as integer milliseconds),
keyed by primary key; on failure the message lists missing and extra keys and each differing
cell, side by side.
"""
import datetime
import math
import random
import uuid
from decimal import Decimal

from cassandra import util as cutil
from cassandra.concurrent import execute_concurrent_with_args

UDT = "info"
KEY = ("pk", "ck")
STATIC = "s_static"

# (column, CQL type, kind) in table order after the key; kind says which value pool fills it.
COLUMNS = [
    ("s_static", "text", "text"),
    ("c_ascii", "ascii", "ascii"),
    ("c_bigint", "bigint", "bigint"),
    ("c_blob", "blob", "blob"),
    ("c_boolean", "boolean", "boolean"),
    ("c_date", "date", "date"),
    ("c_decimal", "decimal", "decimal"),
    ("c_double", "double", "double"),
    ("c_duration", "duration", "duration"),
    ("c_float", "float", "float"),
    ("c_inet", "inet", "inet"),
    ("c_int", "int", "int"),
    ("c_smallint", "smallint", "smallint"),
    ("c_text", "text", "text"),
    ("c_time", "time", "time"),
    ("c_timestamp", "timestamp", "timestamp"),
    ("c_timeuuid", "timeuuid", "timeuuid"),
    ("c_tinyint", "tinyint", "tinyint"),
    ("c_uuid", "uuid", "uuid"),
    ("c_varchar", "varchar", "text"),
    ("c_varint", "varint", "varint"),
    ("c_list", "list<text>", "list_text"),
    ("c_set", "set<int>", "set_int"),
    ("c_map", "map<text, int>", "map_text_int"),
    ("c_flist", "frozen<list<bigint>>", "flist_bigint"),
    ("c_fset", "frozen<set<uuid>>", "fset_uuid"),
    ("c_fmap", "frozen<map<int, text>>", "fmap_int_text"),
    ("c_tsmap", "map<timestamp, blob>", "map_ts_blob"),
    ("c_nested", "map<text, frozen<list<frozen<set<int>>>>>", "nested"),
    ("c_fnested", "frozen<list<frozen<map<text, frozen<list<double>>>>>>", "fnested"),
    ("c_tuple", "frozen<tuple<int, text, timestamp, blob>>", "tuple"),
    ("c_udt", f"frozen<{UDT}>", "udt"),
    ("c_udt_nf", UDT, "udt"),
    ("c_durations", "list<duration>", "durations"),
]
COLUMN_NAMES = [name for name, _, _ in COLUMNS]
ALL_COLUMNS = list(KEY) + COLUMN_NAMES
TYPES = dict([("pk", "int"), ("ck", "text")] + [(n, t) for n, t, _ in COLUMNS])
# Regular columns whose writetime()/ttl() CQL can select (not key, static, or non-frozen
# collections and UDTs).
WRITETIME_COLUMNS = [n for n, t, _ in COLUMNS
                     if n != STATIC and not t.startswith(("list<", "set<", "map<"))
                     and t != UDT]

EPOCH = datetime.datetime(1970, 1, 1)


def ms(*args):
    """Milliseconds since the epoch of datetime(*args) (UTC), as the driver binds them."""
    return (datetime.datetime(*args) - EPOCH) // datetime.timedelta(milliseconds=1)


def nanos(h, m, s, ns=0):
    return ((h * 60 + m) * 60 + s) * 1_000_000_000 + ns


def create_type(session, keyspace):
    session.execute(f"CREATE TYPE IF NOT EXISTS {keyspace}.{UDT} (name text, score double, "
                    "tags frozen<set<text>>, born date, scores frozen<map<text, frozen<list<int>>>>)")


def table_ddl(keyspace, table):
    columns = ", ".join(f"{n} {t}{' STATIC' if n == STATIC else ''}" for n, t, _ in COLUMNS)
    return (f"CREATE TABLE {keyspace}.{table} (pk int, ck text, {columns}, "
            "PRIMARY KEY ((pk), ck))")


def create(session, keyspace, table):
    """CREATE TYPE (once per keyspace) and CREATE TABLE `table` with every type."""
    create_type(session, keyspace)
    session.execute(f"DROP TABLE IF EXISTS {keyspace}.{table}")
    session.execute(table_ddl(keyspace, table))


COUNTER_COLUMNS = ["c1", "c2"]


def create_counters(session, keyspace, table):
    session.execute(f"DROP TABLE IF EXISTS {keyspace}.{table}")
    session.execute(f"CREATE TABLE {keyspace}.{table} (pk int, ck text, c1 counter, c2 counter, "
                    "PRIMARY KEY (pk, ck))")


# ---------------------------------------------------------------------------------------------
# Values. Each pool lists the edge values first; `rows` takes them in turn, then at random.

_TEXT = ["", "plain", "héllo wörld", "日本語のテキスト", "emoji 😀🎉👍🏽 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
         'with, comma and "double quotes"', "line\nbreak and\r\nCRLF", "tab\there",
         " leading and trailing ", "back\\slash", "null", "NULL", "\\N", "it's",
         "x" * 2000, "ünïcödé ✓ — “curly” ‘quotes’"]
_ASCII = ["", "plain ascii", 'a,b;c|d "q" \'s\'', "line\nbreak", " spaced ", "~!@#$%^&*()_+`{}",
          "back\\slash"]


def _pool(kind, rng):
    """(edge values, a random-value function) of a kind of column."""
    uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)  # noqa: E731
    timeuuid = lambda: cutil.uuid_from_time(rng.uniform(0, 4e9), node=rng.getrandbits(48),  # noqa: E731
                                            clock_seq=rng.getrandbits(14))
    ts = lambda: rng.randrange(ms(1900, 1, 1), ms(2100, 1, 1))  # noqa: E731
    blob = lambda: bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 40)))  # noqa: E731
    word = lambda: rng.choice(_TEXT[:14]) + str(rng.randrange(1000))  # noqa: E731
    udt = lambda: (rng.choice(_TEXT[:10]), rng.choice([1.5, -0.0, rng.random()]),  # noqa: E731
                   frozenset(word() for _ in range(rng.randrange(3))),
                   cutil.Date(rng.randrange(-20000, 40000)),
                   {word(): [rng.randrange(-9, 9) for _ in range(rng.randrange(3))]
                    for _ in range(rng.randrange(3))})
    pools = {
        "text": (_TEXT, word),
        "ascii": (_ASCII, lambda: "ascii " + str(rng.randrange(10**6))),
        "bigint": ([0, 1, -1, 2**63 - 1, -2**63, 1234567890123],
                   lambda: rng.randrange(-2**63, 2**63)),
        "int": ([0, -1, 2**31 - 1, -2**31, 42], lambda: rng.randrange(-2**31, 2**31)),
        "smallint": ([-32768, 32767, 0], lambda: rng.randrange(-32768, 32768)),
        "tinyint": ([-128, 127, 0], lambda: rng.randrange(-128, 128)),
        "varint": ([0, -1, 10**40, -(2**100), 2**64, 2**63, -(2**63) - 1,
                    123456789012345678901234567890123456789012345678901234567890],
                   lambda: rng.randrange(-10**30, 10**30)),
        "decimal": ([Decimal("0"), Decimal("0.000"), Decimal("-1.5"), Decimal("1E-7"),
                     Decimal("1.23E+5"), Decimal("-4E+20"), Decimal("1E-100"),
                     Decimal("-123456789012345678901234567890.123456789012345678901234567890"),
                     Decimal("3.14159265358979323846264338327950288"), Decimal("100")],
                    lambda: Decimal(rng.randrange(-10**12, 10**12)).scaleb(-rng.randrange(0, 12))),
        "double": ([0.0, -0.0, 1.5, float("nan"), float("inf"), float("-inf"),
                    1.7976931348623157e308, -1.7976931348623157e308, 5e-324, 2.2250738585072014e-308,
                    0.1, 1 / 3, 1e21, 123456789.0],
                   lambda: rng.uniform(-1e6, 1e6)),
        "float": ([0.0, -0.0, 1.5, float("nan"), float("inf"), float("-inf"),
                   3.4028234663852886e38, 1.401298464324817e-45, 1.1754943508222875e-38, 0.1,
                   16777216.0],
                  lambda: rng.uniform(-1e4, 1e4)),
        "boolean": ([True, False], lambda: rng.random() < 0.5),
        "blob": ([b"", b"\x00", b"\x00\xff\x10\x80", bytes(range(256)), b"plain,text\n"], blob),
        "date": ([cutil.Date(datetime.date(1, 1, 1)), cutil.Date(datetime.date(9999, 12, 31)),
                  cutil.Date(datetime.date(1969, 12, 31)), cutil.Date(datetime.date(1970, 1, 1)),
                  cutil.Date(datetime.date(2024, 2, 29))],
                 lambda: cutil.Date(rng.randrange(-100000, 100000))),
        "time": ([cutil.Time(0), cutil.Time(nanos(23, 59, 59, 999_999_999)),
                  cutil.Time(nanos(12, 34, 56, 789_000_000)), cutil.Time(nanos(0, 0, 0, 1_000)),
                  cutil.Time(nanos(1, 2, 3, 4))],
                 lambda: cutil.Time(rng.randrange(0, 86400 * 10**9))),
        "timestamp": ([ms(1, 1, 1), ms(9999, 12, 31, 23, 59, 59, 999000), -1, 0,
                       ms(1969, 7, 20, 20, 17, 40), ms(2021, 3, 4, 5, 6, 7, 89000),
                       ms(2000, 1, 1, 0, 0, 0, 1000)], ts),
        "timeuuid": ([uuid.UUID("00000000-0000-1000-8080-808080808080"),
                      uuid.UUID("ffffffff-ffff-1fff-bf7f-7f7f7f7f7f7f")], timeuuid),
        "uuid": ([uuid.UUID(int=0), uuid.UUID("FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF")], uuid4),
        "inet": (["127.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "::",
                  "2001:db8::ff00:42:8329", "fe80::1:2:3:4", "2001:db8:85a3::8a2e:370:7334"],
                 lambda: ".".join(str(rng.randrange(256)) for _ in range(4))),
        "duration": ([cutil.Duration(0, 0, 0),
                      cutil.Duration(14, 3, nanos(4, 5, 6, 7_008_009)),
                      cutil.Duration(-1, -2, -3), cutil.Duration(0, 0, 1),
                      cutil.Duration(12 * 9999, 0, 0), cutil.Duration(0, 0, 2**62)],
                     lambda: cutil.Duration(rng.randrange(0, 50), rng.randrange(0, 40),
                                            rng.randrange(0, 10**14))),
        "list_text": ([["a", "", "b,c", "😀", "dup", "dup"], ["line\nbreak", '"q"']],
                      lambda: [word() for _ in range(rng.randrange(1, 4))]),
        "set_int": ([{1, 2, 3}, {-2**31, 2**31 - 1, 0}],
                    lambda: {rng.randrange(-1000, 1000) for _ in range(rng.randrange(1, 5))}),
        "map_text_int": ([{"a": 1, "": 0, "ü😀": -1, 'key "quoted", comma': 2**31 - 1}],
                         lambda: {word(): rng.randrange(-99, 99) for _ in range(rng.randrange(1, 4))}),
        "flist_bigint": ([[], [2**63 - 1, -2**63, 0, 0]],
                         lambda: [rng.randrange(-10**6, 10**6) for _ in range(rng.randrange(4))]),
        "fset_uuid": ([frozenset(), frozenset({uuid.UUID(int=1), uuid.UUID(int=2**128 - 1)})],
                      lambda: frozenset(uuid4() for _ in range(rng.randrange(3)))),
        "fmap_int_text": ([{}, {1: "one", -1: "", 2**31 - 1: "😀"}],
                          lambda: {rng.randrange(-99, 99): word() for _ in range(rng.randrange(3))}),
        "map_ts_blob": ([{ms(1, 1, 1): b"", -1: b"\x00\x01", ms(9999, 12, 31): b"\xff" * 3}],
                        lambda: {ts(): blob() for _ in range(rng.randrange(1, 3))}),
        "nested": ([{"a": [frozenset({1, 2}), frozenset()], "": [], "b": [frozenset({-5})]}],
                   lambda: {word(): [frozenset(rng.randrange(9) for _ in range(rng.randrange(3)))
                                     for _ in range(rng.randrange(3))]
                            for _ in range(rng.randrange(1, 3))}),
        "fnested": ([[], [{}], [{"x": [1.5, float("nan"), float("-inf")], "": []},
                                {"y": [-0.0]}]],
                    lambda: [{word(): [rng.uniform(-9, 9) for _ in range(rng.randrange(3))]}
                             for _ in range(rng.randrange(3))]),
        "tuple": ([(None, None, None, None), (-2**31, "", ms(1, 1, 1), b""),
                   (7, "tüple, \"q\"", -1, b"\x00\xff")],
                  lambda: (rng.randrange(-99, 99), word(), ts(), blob())),
        "udt": ([(None, None, None, None, None),
                 ("née 😀", float("nan"), frozenset({"", "a,b"}), cutil.Date(datetime.date(1, 1, 1)),
                  {"k": [1, -2**31], "": []}),
                 ("", -0.0, frozenset(), cutil.Date(0), {})], udt),
        "durations": ([[cutil.Duration(0, 0, 0), cutil.Duration(-1, -2, -3)],
                       [cutil.Duration(1, 0, 0)] * 2],
                      lambda: [cutil.Duration(rng.randrange(9), rng.randrange(9),
                                              rng.randrange(10**12)) for _ in range(2)]),
    }
    return pools[kind]


def static_value(pk):
    """The static column of partition pk: one value per partition whatever the insert order."""
    if pk % 5 == 3:
        return None
    return _TEXT[pk % len(_TEXT)] + f" #{pk}"


ROWS_PER_PARTITION = 4
_CK_SUFFIX = ["a", "é", "😀", 'with,comma"quote']


def rows(n=300, seed=20241205):
    """n rows (list of {column: value}), deterministic for a seed. Row 1 has every regular
    column null, row 2 none; nulls otherwise with probability 1/8 after the edge values."""
    rng = random.Random(seed)
    pools = {name: _pool(kind, rng) for name, _, kind in COLUMNS}
    edges = max(len(edge) for edge, _ in pools.values())
    out = []
    for i in range(n):
        pk = i // ROWS_PER_PARTITION
        row = {"pk": pk, "ck": f"{i % ROWS_PER_PARTITION}-{_CK_SUFFIX[i % len(_CK_SUFFIX)]}"}
        for name, _, _ in COLUMNS:
            edge, make = pools[name]
            if name == STATIC:
                row[name] = static_value(pk)
            elif i == 0:
                row[name] = make()
            elif i == 1:
                row[name] = None
            elif i - 2 < edges:
                row[name] = edge[(i - 2) % len(edge)]
            else:
                row[name] = None if rng.random() < 0.125 else make()
        out.append(row)
    return out


def insert(session, keyspace, table, data, columns=None, concurrency=50):
    """Writes rows with a prepared INSERT of `columns` (default every column), concurrently."""
    columns = columns or ALL_COLUMNS
    insert = session.prepare(f"INSERT INTO {keyspace}.{table} ({', '.join(columns)}) "
                             f"VALUES ({', '.join('?' * len(columns))})")
    execute_concurrent_with_args(session, insert, [[r[c] for c in columns] for r in data],
                                 concurrency=concurrency, raise_on_first_error=True)


def counter_rows(n=100, seed=7):
    rng = random.Random(seed)
    edges = [0, -1, 1, 2**62, -2**62, 2**63 - 1, -2**63]
    out = []
    for i in range(n):
        c1 = edges[i] if i < len(edges) else rng.randrange(-10**9, 10**9)
        c2 = None if i % 3 == 1 else rng.randrange(-1000, 1000)
        out.append({"pk": i // 3, "ck": f"c{i}-{_CK_SUFFIX[i % 4]}", "c1": c1, "c2": c2})
    return out


def insert_counters(session, keyspace, table, data):
    both = session.prepare(f"UPDATE {keyspace}.{table} SET c1 = c1 + ?, c2 = c2 + ? "
                           "WHERE pk = ? AND ck = ?")
    one = session.prepare(f"UPDATE {keyspace}.{table} SET c1 = c1 + ? WHERE pk = ? AND ck = ?")
    execute_concurrent_with_args(session, both, [(r["c1"], r["c2"], r["pk"], r["ck"])
                                                 for r in data if r["c2"] is not None],
                                 concurrency=50, raise_on_first_error=True)
    execute_concurrent_with_args(session, one, [(r["c1"], r["pk"], r["ck"])
                                                for r in data if r["c2"] is None],
                                 concurrency=50, raise_on_first_error=True)


# ---------------------------------------------------------------------------------------------
# What DataStax Bulk Loader 1.10.0 (Java driver 4.14) cannot round-trip, measured on cqlsim and on
# Cassandra 5.0.9 with DSBulk alone (unload then load of these rows, CSV and JSON):
#   - when DSBulk loads: "-0.0" becomes 0.0 (double and float columns, and doubles in UDTs);
#     numbers whose shortest text is not what Java 17's Double/Float.toString() prints are
#     rejected ("Cannot convert 5E-324 from BigDecimal to Double": its overflow check compares
#     with Java's text): "5e-324" (Double.MIN_VALUE, Java "4.9E-324"), "1e-45" (Float.MIN_VALUE,
#     "1.4E-45"), "1.1754944e-38" (Float.MIN_NORMAL, "1.17549435E-38");
#   - when DSBulk unloads: a zero duration is written as "" (CqlDuration.toString() of 0 is
#     empty), which loads as null, and as an element of a list<duration> fails the record
#     ("Collection elements cannot be null"); a null frozen collection, or a null collection
#     field of a UDT, is written as [] or {} (the Java driver decodes null collections as
#     empty ones), which loads as an empty collection, not null.
# dsbulk_compatible() changes exactly those values, so the interop test compares the rest.

FROZEN_COLLECTIONS = {"c_flist": list, "c_fset": frozenset, "c_fmap": dict, "c_fnested": list}
UDT_COLLECTION_FIELDS = {2: frozenset, 4: dict}  # tags, scores


_DSBULK_REJECTS = {5e-324: 1.5, 1.401298464324817e-45: 1.5, 1.1754943508222875e-38: 1.5}


def _no_negative_zero(value):
    if isinstance(value, float):
        return 0.0 if value == 0 else _DSBULK_REJECTS.get(value, value)
    if isinstance(value, dict):
        return {_no_negative_zero(k): _no_negative_zero(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return type(value)(_no_negative_zero(v) for v in value)
    return value


def dsbulk_compatible(data, dsbulk_loads=True, dsbulk_unloads=True):
    """A copy of rows() without the values DSBulk cannot round-trip (see above): those it
    cannot load when `dsbulk_loads`, those it cannot unload when `dsbulk_unloads`."""
    out = []
    for row in data:
        row = dict(row)
        if dsbulk_loads:
            row = {k: _no_negative_zero(v) for k, v in row.items()}
        if dsbulk_unloads:
            if row["c_duration"] == cutil.Duration(0, 0, 0):
                row["c_duration"] = cutil.Duration(0, 0, 1)
            if row["c_durations"] is not None:
                row["c_durations"] = [cutil.Duration(0, 0, 1) if d == cutil.Duration(0, 0, 0)
                                      else d for d in row["c_durations"]]
            for column, empty in FROZEN_COLLECTIONS.items():
                if row[column] is None:
                    row[column] = empty()
            for column in ("c_udt", "c_udt_nf"):
                if row[column] is not None:
                    fields = list(row[column])
                    for i, empty in UDT_COLLECTION_FIELDS.items():
                        if fields[i] is None:
                            fields[i] = empty()
                    row[column] = tuple(fields)
        out.append(row)
    return out


# ---------------------------------------------------------------------------------------------
# Comparison.

def normalize(value):
    """A comparable, printable form of a driver value: NaN equals NaN, -0.0 is not 0.0, a
    decimal keeps its scale, timestamps are integer milliseconds, sets are sorted."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else ("float", repr(value))
    if isinstance(value, Decimal):
        return ("decimal", str(value))
    if isinstance(value, datetime.datetime):
        us = (value.replace(tzinfo=None) - EPOCH) // datetime.timedelta(microseconds=1)
        return ("timestamp", round(us / 1000))
    if isinstance(value, cutil.Date):
        return ("date", value.days_from_epoch)
    if isinstance(value, datetime.date):
        return ("date", (value - EPOCH.date()).days)
    if isinstance(value, cutil.Time):
        return ("time", value.nanosecond_time)
    if isinstance(value, cutil.Duration):
        return ("duration", value.months, value.days, value.nanoseconds)
    if isinstance(value, (bytes, bytearray)):
        return ("blob", bytes(value).hex())
    if isinstance(value, uuid.UUID):
        return ("uuid", str(value))
    if isinstance(value, (set, frozenset, cutil.SortedSet)):
        return ("set", tuple(sorted((normalize(v) for v in value), key=repr)))
    if isinstance(value, dict) or hasattr(value, "items"):
        return ("map", tuple(sorted(((normalize(k), normalize(v)) for k, v in value.items()),
                                    key=repr)))
    if isinstance(value, list):
        return ("list", tuple(normalize(v) for v in value))
    if isinstance(value, tuple):  # tuples and UDTs (namedtuples)
        return ("tuple", tuple(normalize(v) for v in value))
    return value


def read_table(session, keyspace, table, columns=None, key=KEY):
    """{primary key: {column: normalised value}} of a whole table, read with the driver."""
    columns = columns or [c for c in ALL_COLUMNS if c not in key]
    query = f"SELECT {', '.join(list(key) + list(columns))} FROM {keyspace}.{table}"
    out = {}
    for row in session.execute(query, timeout=120):
        values = list(row)
        k = tuple(normalize(v) for v in values[:len(key)])
        if k in out:
            raise AssertionError(f"{keyspace}.{table}: primary key {k} read twice")
        out[k] = dict(zip(columns, (normalize(v) for v in values[len(key):])))
    return out


def _short(value, limit=160):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def diff_tables(expected, actual, names=("expected", "actual"), limit=25):
    """Lines describing how two read_table() results differ (empty when equal)."""
    lines = []
    missing = sorted(set(expected) - set(actual), key=repr)
    extra = sorted(set(actual) - set(expected), key=repr)
    if missing:
        lines.append(f"{len(missing)} primary key(s) in {names[0]} only, e.g. "
                     + ", ".join(_short(k, 80) for k in missing[:5]))
    if extra:
        lines.append(f"{len(extra)} primary key(s) in {names[1]} only, e.g. "
                     + ", ".join(_short(k, 80) for k in extra[:5]))
    cells = 0
    by_column = {}
    for k in sorted(set(expected) & set(actual), key=repr):
        for column, want in expected[k].items():
            got = actual[k].get(column, "<column not read>")
            if want != got:
                cells += 1
                by_column[column] = by_column.get(column, 0) + 1
                if cells <= limit:
                    lines.append(f"  key {_short(k, 60)} column {column}:\n"
                                 f"    {names[0]}: {_short(want)}\n    {names[1]}: {_short(got)}")
    if cells:
        lines.insert(len(lines) - min(cells, limit),
                     f"{cells} cell(s) differ (by column: {by_column}):")
    return lines


def assert_tables_equal(session, keyspace_a, table_a, keyspace_b, table_b, columns=None,
                        key=KEY):
    """Raises AssertionError with a readable diff unless the two tables hold the same rows
    (same primary keys, same values of `columns`, default every column of `every`)."""
    a = read_table(session, keyspace_a, table_a, columns, key)
    b = read_table(session, keyspace_b, table_b, columns, key)
    lines = diff_tables(a, b, (f"{keyspace_a}.{table_a}", f"{keyspace_b}.{table_b}"))
    if lines:
        raise AssertionError(f"{keyspace_a}.{table_a} ({len(a)} rows) and "
                             f"{keyspace_b}.{table_b} ({len(b)} rows) differ:\n"
                             + "\n".join(lines))
    return len(a)
