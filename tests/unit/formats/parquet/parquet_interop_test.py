#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Our Parquet writer, judged by readers no one here wrote: pyarrow, DuckDB and hyparquet read
the files parquet_tool writes (every CQL type, nulls, nesting, each codec, page v1 and v2,
dictionary on, off and falling back, several pages and row groups) and must return exactly
the values written; pyarrow's metadata must show our field ids, logical types, encodings and
statistics, and the statistics must equal what pyarrow computes for the same data.

    parquet_interop_test.py PARQUET_TOOL [NODE_MODULES]

Run with the referees' python (scripts/install-referees.sh). Exits 1 with a list of problems.
"""
import base64
import datetime
import decimal
import json
import math
import os
import random
import struct
import subprocess
import sys
import tempfile
import uuid

import duckdb
import pyarrow as pa
import pyarrow.compute  # noqa: F401 (pa.compute)
import pyarrow.parquet as pq

TOOL = sys.argv[1]
NODE_MODULES = sys.argv[2] if len(sys.argv) > 2 else None
PROBLEMS = []


def problem(message):
    PROBLEMS.append(message)
    print("FAIL:", message, flush=True)


# ---- values: each column has a CQL type, a generator of canonical values (what pyarrow gives
# back after the casts of canonical_schema) and a JSON form for parquet_tool's input.

def days_to_iso(days):
    """proleptic Gregorian yyyy-mm-dd of days since 1970-01-01 (any year), as Java prints."""
    z = days + 719468
    era = z // 146097  # floor division: Python rounds down already
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y += m <= 2
    year = f"{y:04d}" if 0 <= y <= 9999 else f"{'+' if y > 0 else '-'}{abs(y):04d}"
    return f"{year}-{m:02d}-{d:02d}"


def millis_to_iso(ms):
    days, rest = divmod(ms, 86_400_000)
    h, rest = divmod(rest, 3_600_000)
    mi, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{days_to_iso(days)}T{h:02d}:{mi:02d}:{s:02d}.{milli:03d}Z"


def nanos_to_time(ns):
    s, n = divmod(ns, 1_000_000_000)
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.{n:09d}"


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def rand_decimal(r):
    text = r.choice(["0", "1.25", "-1.50", "0.000001", "1E-7", "1.23E+5", "-123456789.987654321",
                     "99999999999999999999999999999999999999.5", "3.14", "100"])
    return text


def rand_text(r):
    return r.choice(["", "a", "héllo wörld", "日本語", "x" * r.randint(1, 40),
                     "line\nbreak", "quote\"s", "tab\t"]) + str(r.randint(0, 5))


COLUMNS = [
    # name, CQL type, generator(r) -> canonical value, to_json(canonical)
    ("b", "boolean", lambda r: r.random() < 0.5, None),
    ("ti", "tinyint", lambda r: r.choice([-128, 127, 0, r.randint(-128, 127)]), None),
    ("si", "smallint", lambda r: r.choice([-32768, 32767, r.randint(-99, 99)]), None),
    ("i", "int", lambda r: r.choice([-2**31, 2**31 - 1, r.randint(-1000, 1000)]), None),
    ("bi", "bigint", lambda r: r.choice([-2**63, 2**63 - 1, r.randint(0, 50), r.getrandbits(40)]), None),
    ("f", "float", lambda r: f32(r.choice([0.5, -1.25, 3.4028234663852886e38, 1e-45, r.random()])), None),
    ("d", "double", lambda r: r.choice([0.1, -0.0, 1.7976931348623157e308, 5e-324, r.random() * 1e6]), None),
    ("dec", "decimal", rand_decimal, lambda v: Raw(v)),
    ("vi", "varint", lambda r: str(r.choice([0, -1, 2**64, -(10**40), r.randint(-10**6, 10**6)])),
     lambda v: Raw(v)),
    ("t", "text", rand_text, None),
    ("a", "ascii", lambda r: r.choice(["", "abc", "A" * 30]), None),
    ("bl", "blob", lambda r: bytes(r.getrandbits(8) for _ in range(r.randint(0, 20))),
     lambda v: base64.b64encode(v).decode()),
    ("u", "uuid", lambda r: uuid.UUID(int=r.getrandbits(128)).bytes, lambda v: str(uuid.UUID(bytes=v))),
    ("tu", "timeuuid", lambda r: uuid.uuid1(node=r.getrandbits(48), clock_seq=r.getrandbits(14)).bytes,
     lambda v: str(uuid.UUID(bytes=v))),
    ("dt", "date", lambda r: r.choice([0, -1, r.randint(-700_000, 2_900_000)] +
                                      ([] if MODERATE else [-2**31, 2**31 - 1])),
     days_to_iso),
    ("tm", "time", lambda r: r.choice([0, 86_399_999_999_999, r.randint(0, 86_399_999_999_999)]),
     nanos_to_time),
    ("ts", "timestamp", lambda r: r.choice([0, -1, 253_402_300_799_999, r.randint(-10**13, 10**13)] +
                                           ([] if MODERATE else [-2**63, 2**63 - 1])),
     millis_to_iso),
    ("du", "duration", lambda r: r.choice([{"months": 0, "days": 0, "nanoseconds": 0},
                                            {"months": 14, "days": 3, "nanoseconds": 5_000_000_001},
                                            {"months": -1, "days": -2, "nanoseconds": -3}]),
     lambda v: ("-" if v["months"] < 0 or v["days"] < 0 or v["nanoseconds"] < 0 else "") +
     f"{abs(v['months'])}mo{abs(v['days'])}d{abs(v['nanoseconds'])}ns"),
    ("ip", "inet", lambda r: r.choice(["192.168.0.1", "0.0.0.0", "2001:db8::1", "::ffff:1.2.3.4", "::"]), None),
    ("l", "list<int>", lambda r: [r.choice([None, r.randint(-9, 9)]) for _ in range(r.randint(0, 4))], None),
    ("s", "set<text>", lambda r: sorted({rand_text(r) for _ in range(r.randint(0, 3))}), None),
    ("m", "map<text, bigint>",
     lambda r: [(f"k{i}", r.choice([None, r.getrandbits(50)])) for i in range(r.randint(0, 3))],
     lambda v: {k: x for k, x in v}),
    ("tup", "tuple<int, text, date>",
     lambda r: {"_1": r.choice([None, 7]), "_2": r.choice([None, "x"]), "_3": r.choice([None, 19000])},
     lambda v: [v["_1"], v["_2"], None if v["_3"] is None else days_to_iso(v["_3"])]),
    ("ad", "frozen<address>",
     lambda r: {"street": r.choice([None, "Main St"]), "zip": r.choice([None, 12345])}, None),
    ("nest", "map<text, frozen<list<frozen<set<int>>>>>",
     lambda r: [("a", [[1, 2], [], [3]]), ("b", [])][: r.randint(0, 2)],
     lambda v: {k: x for k, x in v}),
    ("vec", "vector<float, 3>", lambda r: [f32(r.random()) for _ in range(3)], None),
]
UDT = "address=street text, zip int"


class Raw:
    """A JSON number written as this exact text (decimals and varints stay exact)."""

    def __init__(self, text):
        self.text = text


def encode_json(v):
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k) + ":" + encode_json(x) for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(encode_json(x) for x in v) + "]"
    return json.dumps(v)


MODERATE = False  # values every reader's types hold (JavaScript dates, DuckDB's date range)


def make_rows(seed, n, null_rate, moderate=False):
    global MODERATE
    MODERATE = moderate
    r = random.Random(seed)
    rows = []
    for i in range(n):
        row = {"id": i}
        for name, _, gen, _ in COLUMNS:
            row[name] = None if r.random() < null_rate else gen(r)
        rows.append(row)
    return rows


def to_json_line(row):
    out = {"id": row["id"]}
    for name, _, _, conv in COLUMNS:
        v = row[name]
        out[name] = v if v is None or conv is None else conv(v)
    return encode_json(out)


def canonical_type(t):
    """The arrow type we compare in: temporal types as integers, uuids as bytes."""
    if isinstance(t, pa.ExtensionType):
        return canonical_type(t.storage_type)
    if pa.types.is_date32(t):
        return pa.int32()
    if pa.types.is_time(t) or pa.types.is_timestamp(t):
        return pa.int64()
    if pa.types.is_fixed_size_binary(t):
        return pa.binary()
    if pa.types.is_map(t):
        return pa.map_(canonical_type(t.key_type), canonical_type(t.item_type))
    if pa.types.is_list(t):
        return pa.list_(pa.field(t.value_field.name, canonical_type(t.value_type), t.value_field.nullable))
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, canonical_type(f.type), f.nullable) for f in t])
    return t


def same(a, b):
    if isinstance(b, uuid.UUID):  # pyarrow's arrow.uuid extension type
        b = b.bytes
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def expected_value(name, v):
    if v is None:
        return None
    if name == "dec":  # written as the Java BigDecimal text: what we gave is canonical
        return v
    return v


def write(tmp, rows, args, tag):
    src = os.path.join(tmp, f"{tag}.jsonl")
    with open(src, "w") as f:
        for row in rows:
            f.write(to_json_line(row) + "\n")
    out = os.path.join(tmp, f"{tag}.parquet")
    columns = "; ".join(["id int not null"] + [f"{n} {t}" for n, t, _, _ in COLUMNS])
    cmd = [TOOL, "write", "--columns", columns, "--udt", UDT, "--input", src, "--output", out] + args
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        problem(f"{tag}: parquet_tool failed: {proc.stderr.strip()}")
        return None, None
    return out, json.loads(proc.stdout)


def check_pyarrow_values(path, rows, tag):
    table = pq.read_table(path)
    target = pa.schema([pa.field(f.name, canonical_type(f.type), f.nullable) for f in table.schema])
    got = table.cast(target).to_pylist()
    if len(got) != len(rows):
        problem(f"{tag}: pyarrow read {len(got)} rows, wrote {len(rows)}")
        return
    bad = 0
    for want, have in zip(rows, got):
        for name in ["id"] + [c[0] for c in COLUMNS]:
            w = expected_value(name, want[name])
            h = have[name]
            if name in ("m", "nest") and h is not None:
                h = [(k, x) for k, x in h]
                w = [(k, x) for k, x in w]
            if not same(w, h):
                bad += 1
                if bad <= 5:
                    problem(f"{tag}: row {want['id']} column {name}: pyarrow read {h!r}, wrote {w!r}")
    if bad == 0:
        print(f"ok   {tag}: pyarrow reads {len(rows)} rows exactly", flush=True)


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def duckdb_canonical(name, v):
    """DuckDB's Python values in the canonical form (TIME at microseconds: DuckDB's unit)."""
    if v is None:
        return None
    if name in ("u", "tu"):
        return v.bytes
    if name == "dt":
        return (v - datetime.date(1970, 1, 1)).days
    if name == "tm":
        return ((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000 + v.microsecond
    if name == "ts":
        return (v - EPOCH) // datetime.timedelta(milliseconds=1)
    if name == "m":
        return list(v.items())
    if name == "nest":
        return [(k, x) for k, x in v.items()]
    if name == "tup":
        return {**v, "_3": None if v["_3"] is None else (v["_3"] - datetime.date(1970, 1, 1)).days}
    return v


def hyparquet_canonical(name, v):
    if v is None:
        return None
    if name in ("bi",) or (name == "m"):
        if name == "m":
            return [(k, None if x is None else int(x)) for k, x in v.items()]
        return int(v)
    if name == "bl":
        return base64.b64decode(v)
    if name in ("u", "tu"):
        return uuid.UUID(v).bytes
    if name == "dt":
        return v // 86_400_000
    if name == "tm":
        return int(v)
    if name == "du":
        return {**v, "nanoseconds": int(v["nanoseconds"])}
    if name == "nest":
        return list(v.items())
    if name == "tup":
        return {**v, "_3": None if v["_3"] is None else v["_3"] // 86_400_000}
    return v


def compare_rows(rows, got, canonical, tag, reader, adjust=lambda name, v: v):
    if len(got) != len(rows):
        problem(f"{tag}: {reader} read {len(got)} rows, wrote {len(rows)}")
        return
    bad = 0
    for want, have in zip(rows, got):
        for name in ["id"] + [c[0] for c in COLUMNS]:
            w = adjust(name, want[name])
            h = canonical(name, have[name])
            if name in ("m", "nest") and w is not None:
                w = [(k, x) for k, x in w]
            if not same(w, h):
                bad += 1
                if bad <= 5:
                    problem(f"{tag}: row {want['id']} column {name}: {reader} read {h!r}, wrote {w!r}")
    if bad == 0:
        print(f"ok   {tag}: {reader} reads {len(rows)} rows exactly", flush=True)


def check_duckdb_values(path, rows, tag):
    got = duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY id")
    names = got.columns
    records = [dict(zip(names, t)) for t in got.fetchall()]
    compare_rows(rows, records, duckdb_canonical, tag, "DuckDB",
                 lambda name, v: v // 1000 if name == "tm" and v is not None else v)


def check_hyparquet_values(path, rows, tag):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hyparquet_read.mjs")
    proc = subprocess.run(["node", script, NODE_MODULES, path], capture_output=True, text=True)
    if proc.returncode != 0:
        problem(f"{tag}: hyparquet failed: {proc.stderr.strip()[-500:]}")
        return
    compare_rows(rows, json.loads(proc.stdout), hyparquet_canonical, tag, "hyparquet")


# ---- the metadata: field ids, logical types, encodings, statistics.

EXPECTED_LOGICAL = {  # leaf path -> pyarrow's str(logical_type)
    "id": "None", "b": "None", "ti": "Int(bitWidth=8, isSigned=true)",
    "si": "Int(bitWidth=16, isSigned=true)", "dec": "String", "vi": "String", "t": "String",
    "u": "UUID", "dt": "Date", "tm": "Time(isAdjustedToUTC=false, timeUnit=nanoseconds)",
    "ts": "Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds, is_from_converted_type=false, "
          "force_set_converted_type=false)",
    "ip": "String", "du.months": "Int(bitWidth=32, isSigned=true)",
}


def field_ids(t, out, prefix=""):
    for f in t:
        out[prefix + f.name] = (f.metadata or {}).get(b"PARQUET:field_id")
        sub = f.type
        if isinstance(sub, pa.ExtensionType):
            sub = sub.storage_type
        if pa.types.is_struct(sub):
            field_ids(list(sub), out, prefix + f.name + ".")
        elif pa.types.is_list(sub) or pa.types.is_fixed_size_list(sub):
            field_ids([sub.value_field], out, prefix + f.name + ".")
        elif pa.types.is_map(sub):
            field_ids([sub.key_field, sub.item_field], out, prefix + f.name + ".")


def check_metadata(path, tag, row_group_rows, dictionary=True):
    pf = pq.ParquetFile(path)
    ids = {}
    field_ids(pf.schema_arrow, ids)
    missing = [name for name, i in ids.items() if i is None]
    if missing:
        problem(f"metadata {tag}: fields without a field id: {missing}")
    if len(set(ids.values())) != len(ids):
        problem(f"metadata {tag}: field ids repeat: {ids}")
    schema = pf.schema
    for i in range(len(schema)):
        column = schema.column(i)
        want = EXPECTED_LOGICAL.get(column.path)
        if want is not None and str(column.logical_type) != want:
            problem(f"metadata {tag}: {column.path} has logical type {column.logical_type}, want {want}")
    duck = {r[0]: r[1] for r in duckdb.sql(
        f"SELECT name, field_id FROM parquet_schema('{path}') WHERE name IN ('id', 'ts', 'u')").fetchall()}
    for name in ("id", "ts", "u"):
        if str(duck.get(name)) != ids[name].decode():
            problem(f"metadata {tag}: DuckDB sees field id {duck.get(name)} for {name}, pyarrow {ids[name]}")
    # The statistics pyarrow computes for the same rows in the same row groups.
    table = pq.read_table(path)
    theirs_path = path + ".pyarrow.parquet"
    pq.write_table(table, theirs_path, row_group_size=row_group_rows, store_schema=False)
    theirs = pq.ParquetFile(theirs_path).metadata
    ours = pf.metadata
    if ours.num_row_groups != theirs.num_row_groups:
        problem(f"metadata {tag}: {ours.num_row_groups} row groups, pyarrow makes {theirs.num_row_groups}")
        return
    checked = 0
    for g in range(ours.num_row_groups):
        for c in range(ours.num_columns):
            a, b = ours.row_group(g).column(c), theirs.row_group(g).column(c)
            if a.path_in_schema != b.path_in_schema:
                problem(f"metadata {tag}: column {c} is {a.path_in_schema}, pyarrow's {b.path_in_schema}")
                continue
            enc = set(a.encodings)
            want_enc = "RLE_DICTIONARY" if dictionary and a.physical_type != "BOOLEAN" else "PLAIN"
            if want_enc not in enc:
                problem(f"metadata {tag}: {a.path_in_schema} encodings {a.encodings} lack {want_enc}")
            sa, sb = a.statistics, b.statistics
            if sa is None or not sa.has_null_count:
                problem(f"metadata {tag}: {a.path_in_schema} has no statistics")
                continue
            if sb is None:
                continue
            for what in ("null_count", "min_raw", "max_raw"):
                if what != "null_count" and not (sa.has_min_max and sb.has_min_max):
                    if sa.has_min_max != sb.has_min_max:
                        problem(f"metadata {tag}: row group {g} {a.path_in_schema}: has min/max "
                                f"{sa.has_min_max}, pyarrow {sb.has_min_max}")
                    continue
                va, vb = getattr(sa, what), getattr(sb, what)
                if not same(va, vb) and not (isinstance(va, float) and va == vb):
                    problem(f"metadata {tag}: row group {g} {a.path_in_schema} {what}: ours {va!r}, pyarrow {vb!r}")
                else:
                    checked += 1
    print(f"ok   metadata {tag}: field ids, logical types, encodings; {checked} statistics as pyarrow's",
          flush=True)


def check_duckdb_metadata(path, tag, dictionary=True):
    """DuckDB's parquet_metadata() shows the null counts and encodings pyarrow shows (on
    moderate values: DuckDB turns timestamp statistics into microseconds, and the extremes
    overflow)."""
    pf = pq.ParquetFile(path)
    duck_meta = duckdb.sql(f"SELECT row_group_id, path_in_schema, stats_null_count, encodings "
                           f"FROM parquet_metadata('{path}')").fetchall()
    arrow_meta = pf.metadata
    for group, column_path, null_count, encodings in duck_meta:
        g = arrow_meta.row_group(group)
        columns = [g.column(c) for c in range(g.num_columns)
                   if g.column(c).path_in_schema.replace(".", ", ") == column_path
                   or g.column(c).path_in_schema == column_path]
        if len(columns) != 1:
            problem(f"metadata {tag}: DuckDB's column {column_path} is not pyarrow's")
            continue
        if null_count != columns[0].statistics.null_count:
            problem(f"metadata {tag}: DuckDB sees {null_count} nulls in {column_path}, pyarrow "
                    f"{columns[0].statistics.null_count}")
        want_enc = "RLE_DICTIONARY" if dictionary and columns[0].physical_type != "BOOLEAN" else "PLAIN"
        if want_enc not in encodings:
            problem(f"metadata {tag}: DuckDB sees encodings {encodings} in {column_path}")
    print(f"ok   metadata {tag}: DuckDB's parquet_metadata() agrees", flush=True)


# ---- the reader: files pyarrow and DuckDB write, read by parquet_tool read (canonical JSON).

def arrow_canonical(t, v):
    """pyarrow's Python value of arrow type t in parquet_tool read's canonical JSON form."""
    if v is None:
        return None
    if isinstance(t, pa.ExtensionType):
        return arrow_canonical(t.storage_type, v)
    if pa.types.is_floating(t):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return float(v)
    if pa.types.is_binary(t) or pa.types.is_fixed_size_binary(t) or pa.types.is_large_binary(t):
        return v.hex()
    if pa.types.is_decimal(t):
        return f"{int(v.scaleb(t.scale))}:{t.scale}"
    if pa.types.is_map(t):
        return [[arrow_canonical(t.key_type, k), arrow_canonical(t.item_type, x)] for k, x in v]
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return [arrow_canonical(t.value_type, x) for x in v]
    if pa.types.is_struct(t):
        return {f.name: arrow_canonical(f.type, v[f.name]) for f in t}
    if pa.types.is_uint64(t):
        return str(v)
    return v


def arrow_ints(table):
    """The table with temporal columns as integers in our units (days, nanos, millis)."""
    def convert(t):
        if pa.types.is_date32(t):
            return pa.int32()
        if pa.types.is_time(t) or pa.types.is_timestamp(t):
            return pa.int64()
        if pa.types.is_map(t):
            return pa.map_(convert(t.key_type), convert(t.item_type))
        if pa.types.is_list(t):
            return pa.list_(pa.field(t.value_field.name, convert(t.value_type)))
        if pa.types.is_struct(t):
            return pa.struct([pa.field(f.name, convert(f.type), f.nullable) for f in t])
        return t
    columns = []
    for col, field in zip(table.columns, table.schema):
        t = field.type
        if pa.types.is_timestamp(t):  # to milliseconds, rounded down as our reader does
            per_ms = {"s": None, "ms": 1, "us": 1000, "ns": 1_000_000}[t.unit]
            ints = col.cast(pa.int64())
            if per_ms is None:
                col = pa.compute.multiply(ints, 1000)
            else:
                col = pa.array([None if v is None else v // per_ms for v in ints.to_pylist()],
                               pa.int64())
        elif pa.types.is_time(t):  # to nanoseconds
            per = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1000, "ns": 1}[t.unit]
            ints = col.cast(pa.int32()).cast(pa.int64()) if pa.types.is_time32(t) else col.cast(pa.int64())
            col = pa.compute.multiply(ints, per)
        else:
            col = col.cast(convert(t))
        columns.append(col)
    return pa.table(columns, names=table.column_names)


def read_with_ours(path, extra=()):
    proc = subprocess.run([TOOL, "read", path] + list(extra), capture_output=True, text=True)
    if proc.returncode != 0:
        return None, proc.stderr.strip()
    return [json.loads(line) for line in proc.stdout.splitlines()], None


def check_reader(path, tag, table=None):
    table = pq.read_table(path) if table is None else table
    want_table = arrow_ints(table)
    want = [{f.name: arrow_canonical(f.type, row[f.name]) for f in want_table.schema}
            for row in want_table.to_pylist()]
    got, error = read_with_ours(path, ["--batch-rows", "1000"])
    if error:
        problem(f"reader {tag}: {error}")
        return
    if len(got) != len(want):
        problem(f"reader {tag}: read {len(got)} rows, pyarrow {len(want)}")
        return
    bad = 0
    for i, (w, h) in enumerate(zip(want, got)):
        for name in w:
            if not same(w[name], h.get(name, "<missing>")):
                bad += 1
                if bad <= 5:
                    problem(f"reader {tag}: row {i} column {name}: ours {h.get(name)!r}, pyarrow {w[name]!r}")
    if bad == 0:
        print(f"ok   reader {tag}: {len(got)} rows as pyarrow reads them", flush=True)


def referee_table(n, seed):
    r = random.Random(seed)
    def maybe(v, rate=0.15):
        return None if r.random() < rate else v
    ints = [maybe(r.randint(-2**31, 2**31 - 1)) for _ in range(n)]
    return pa.table({
        "i32": pa.array(ints, pa.int32()),
        "i64": pa.array([maybe(r.choice([r.getrandbits(62) - 2**61, i])) for i in range(n)], pa.int64()),
        "seq": pa.array(list(range(1000, 1000 + n)), pa.int64()),
        "i8": pa.array([maybe(r.randint(-128, 127)) for _ in range(n)], pa.int8()),
        "u16": pa.array([maybe(r.randint(0, 65535)) for _ in range(n)], pa.uint16()),
        "u32": pa.array([maybe(r.randint(0, 2**32 - 1)) for _ in range(n)], pa.uint32()),
        "u64": pa.array([maybe(r.randint(0, 2**64 - 1)) for _ in range(n)], pa.uint64()),
        "f32": pa.array([maybe(r.random() * 100) for _ in range(n)], pa.float32()),
        "f64": pa.array([maybe(r.choice([r.random(), float("nan"), -0.0, float("inf")])) for _ in range(n)], pa.float64()),
        "b": pa.array([maybe(r.random() < 0.5) for _ in range(n)], pa.bool_()),
        "s": pa.array([maybe(r.choice(["", "alpha", "beta", "gamma" * 10, "δ"]) + str(r.randint(0, 30))) for _ in range(n)], pa.string()),
        "bin": pa.array([maybe(bytes(r.getrandbits(8) for _ in range(r.randint(0, 9)))) for _ in range(n)], pa.binary()),
        "fixed": pa.array([maybe(bytes(r.getrandbits(8) for _ in range(5))) for _ in range(n)], pa.binary(5)),
        "date": pa.array([maybe(r.randint(-100000, 100000)) for _ in range(n)], pa.date32()),
        "t_ms": pa.array([maybe(r.randint(0, 86_399_999)) for _ in range(n)], pa.time32("ms")),
        "t_us": pa.array([maybe(r.randint(0, 86_399_999_999)) for _ in range(n)], pa.time64("us")),
        "t_ns": pa.array([maybe(r.randint(0, 86_399_999_999_999)) for _ in range(n)], pa.time64("ns")),
        "ts_ms": pa.array([maybe(r.randint(-10**13, 10**13)) for _ in range(n)], pa.timestamp("ms", tz="UTC")),
        "ts_us": pa.array([maybe(r.randint(-10**16, 10**16)) for _ in range(n)], pa.timestamp("us")),
        "ts_ns": pa.array([maybe(r.randint(-10**18, 10**18)) for _ in range(n)], pa.timestamp("ns", tz="UTC")),
        "dec9": pa.array([maybe(decimal.Decimal(r.randint(-10**8, 10**8)).scaleb(-2)) for _ in range(n)], pa.decimal128(9, 2)),
        "dec18": pa.array([maybe(decimal.Decimal(r.randint(-10**17, 10**17)).scaleb(-5)) for _ in range(n)], pa.decimal128(18, 5)),
        "dec38": pa.array([maybe(decimal.Decimal(r.randint(-10**37, 10**37)).scaleb(-10)) for _ in range(n)], pa.decimal128(38, 10)),
        "list": pa.array([maybe([maybe(r.randint(0, 9), 0.2) for _ in range(r.randint(0, 4))]) for _ in range(n)], pa.list_(pa.int32())),
        "map": pa.array([maybe([(f"k{j}", maybe(r.randint(0, 99))) for j in range(r.randint(0, 3))]) for _ in range(n)], pa.map_(pa.string(), pa.int64())),
        "struct": pa.array([maybe({"a": maybe(r.randint(0, 5)), "b": maybe([maybe("x"), "y"][: r.randint(0, 2)])}) for _ in range(n)],
                           pa.struct([("a", pa.int16()), ("b", pa.list_(pa.string()))])),
        "lol": pa.array([maybe([maybe([r.randint(0, 3)] * r.randint(0, 2)) for _ in range(r.randint(0, 3))]) for _ in range(n)], pa.list_(pa.list_(pa.int64()))),
    })


def check_reader_against_referees(tmp):
    table = referee_table(3000, 7)
    cases = []
    for codec in ["none", "snappy", "gzip", "zstd", "lz4", "brotli"]:
        cases.append((codec, {"compression": codec}))
    cases += [
        ("page v2", {"data_page_version": "2.0", "compression": "zstd"}),
        ("page v2 uncompressed", {"data_page_version": "2.0", "compression": "none"}),
        ("no dictionary", {"use_dictionary": False}),
        ("small pages", {"data_page_size": 512, "row_group_size": 700, "write_batch_size": 100}),
        ("dictionary fallback", {"dictionary_pagesize_limit": 256}),
        ("delta encodings", {"use_dictionary": False, "column_encoding": {
            "i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "seq": "DELTA_BINARY_PACKED",
            "date": "DELTA_BINARY_PACKED", "ts_us": "DELTA_BINARY_PACKED",
            "s": "DELTA_BYTE_ARRAY", "bin": "DELTA_LENGTH_BYTE_ARRAY", "fixed": "DELTA_BYTE_ARRAY"}}),
        ("delta v2", {"use_dictionary": False, "data_page_version": "2.0", "column_encoding": {
            "i32": "DELTA_BINARY_PACKED", "s": "DELTA_LENGTH_BYTE_ARRAY", "bin": "DELTA_BYTE_ARRAY"}}),
        ("byte stream split", {"use_dictionary": False, "column_encoding": {
            "f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT", "i32": "BYTE_STREAM_SPLIT",
            "i64": "BYTE_STREAM_SPLIT", "fixed": "BYTE_STREAM_SPLIT"}}),
        ("int96 timestamps", {"use_deprecated_int96_timestamps": True}),
        ("legacy converted types", {"version": "1.0", "coerce_timestamps": "us",
                                    "allow_truncated_timestamps": True}),
    ]
    for tag, options in cases:
        path = os.path.join(tmp, f"pyarrow-{tag.replace(' ', '-')}.parquet")
        try:
            pq.write_table(table, path, **options)
        except Exception as e:  # noqa: BLE001 - the referee refused its own options
            problem(f"reader {tag}: pyarrow could not write: {e}")
            continue
        # pyarrow reads INT96 back as nanoseconds, which wrap past the years 1677 and 2262 (and
        # its coerce_int96_timestamp_unit="ms" is wrong before 1970): compare with the values
        # it was given.
        check_reader(path, f"pyarrow {tag}", table if "int96" in tag else None)
    # DuckDB's own writer.
    path = os.path.join(tmp, "duckdb.parquet")
    duckdb.sql("""COPY (SELECT i AS id, i * 3 - 7 AS x, 'v' || (i % 17) AS s,
                    CASE WHEN i % 5 = 0 THEN NULL ELSE i / 7.0 END AS d,
                    DATE '2020-01-01' + (i % 400)::INT AS day,
                    TIMESTAMP '2021-01-01' + INTERVAL (i) SECOND AS ts,
                    (i * 12.34)::DECIMAL(12, 2) AS dec,
                    [i, NULL, i + 1] AS l, {'k': i, 'v': 'x' || i} AS st,
                    MAP {'a': i} AS m
                  FROM range(5000) t(i)) TO '""" + path + "' (FORMAT PARQUET)")
    check_reader(path, "DuckDB")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        rows = make_rows(1, 300, 0.2)
        for codec in ["none", "snappy", "gzip", "zstd", "lz4_raw", "brotli"]:
            path, _ = write(tmp, rows, ["--codec", codec], f"codec-{codec}")
            if path:
                check_pyarrow_values(path, rows, f"codec {codec}")
                if codec == "snappy":
                    check_metadata(path, "default options", 1 << 20)
        for args, tag in [(["--page-v2"], "page-v2"), (["--no-dictionary"], "plain"),
                          (["--page-bytes", "512", "--row-group-rows", "70", "--batch-rows", "33"],
                           "small pages and row groups"),
                          (["--dictionary-bytes", "300", "--page-bytes", "2000"], "dictionary fallback")]:
            path, _ = write(tmp, rows, args, tag.replace(" ", "-"))
            if path:
                check_pyarrow_values(path, rows, tag)
                if tag == "small pages and row groups":
                    check_metadata(path, tag, 70)
                if tag == "plain":
                    check_metadata(path, tag, 1 << 20, dictionary=False)
        moderate = make_rows(2, 200, 0.2, moderate=True)
        for codec in ["snappy", "zstd", "gzip", "brotli", "lz4_raw", "none"]:
            for args, tag in [([], "v1"), (["--page-v2"], "v2"), (["--no-dictionary"], "plain")]:
                label = f"{codec} {tag}"
                path, _ = write(tmp, moderate, ["--codec", codec] + args, label.replace(" ", "-"))
                if path:
                    check_pyarrow_values(path, moderate, label)
                    check_duckdb_values(path, moderate, label)
                    if codec == "snappy":
                        check_duckdb_metadata(path, label, dictionary=tag != "plain")
                    if NODE_MODULES:
                        check_hyparquet_values(path, moderate, label)
        check_reader_against_referees(tmp)
    if PROBLEMS:
        print(f"{len(PROBLEMS)} problem(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
