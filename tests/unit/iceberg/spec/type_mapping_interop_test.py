#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The CQL → Iceberg type mapping, judged by PyIceberg and pyarrow: iceberg_mapping_tool writes a
Parquet file with every CQL type through our writer in the mapped forms, and the Iceberg schema
we map the columns to. PyIceberg's pyarrow_to_schema of the file's schema (by its field ids) must
be our schema, field for field; pyarrow must read the values we wrote, as the Iceberg types say
(timestamps in microseconds UTC, times as nanoseconds in a long or as microseconds, decimals and
varints as text or as decimals).

    type_mapping_interop_test.py ICEBERG_MAPPING_TOOL

Run with the referees' python (scripts/install-referees.sh). Exits 1 with a list of problems.
"""
import base64
import datetime
import decimal
import json
import os
import subprocess
import sys
import tempfile
import uuid

import pyarrow.parquet as pq
from pyiceberg.conversions import to_bytes
from pyiceberg.io.pyarrow import pyarrow_to_schema
from pyiceberg.schema import Schema

TOOL = sys.argv[1]
PROBLEMS = []
UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)


def problem(message):
    PROBLEMS.append(message)
    print("FAIL:", message, flush=True)


UDT = "address=street text, zip int"
COLUMNS = [
    ("id", "int"), ("ck", "timeuuid"), ("ti", "tinyint"), ("si", "smallint"), ("bi", "bigint"),
    ("cnt", "counter"), ("vi", "varint"), ("dec", "decimal"), ("f", "float"), ("d", "double"),
    ("b", "boolean"), ("t", "text"), ("a", "ascii"), ("bl", "blob"), ("u", "uuid"),
    ("dt", "date"), ("tm", "time"), ("ts", "timestamp"), ("du", "duration"), ("ip", "inet"),
    ("l", "list<int>"), ("s", "set<text>"), ("m", "map<text, bigint>"),
    ("tup", "tuple<int, text, date>"), ("ad", "frozen<address>"), ("vec", "vector<float, 3>"),
    ("nest", "map<text, frozen<list<frozen<set<int>>>>>"),
]
KEY = "id,ck"

U1 = uuid.UUID("f79c3e09-677c-4bbd-a479-3f349cb785e7")
T1 = uuid.UUID("5d5c4b38-27e1-11ef-9454-0242ac120002")
T2 = uuid.UUID("00000000-0000-1000-8000-000000000000")

# Rows as the JSON lines give them (decimals and varints are raw JSON numbers, kept as text).
ROWS = [
    {"id": 1, "ck": str(T1), "ti": -128, "si": 32767, "bi": -2**63, "cnt": 42,
     "vi": "123456789012345678901234567890", "dec": "123.45", "f": 1.5, "d": -0.25, "b": True,
     "t": "héllo wörld", "a": "abc", "bl": base64.b64encode(b"\x00\x01\xff").decode(),
     "u": str(U1), "dt": "2024-03-01", "tm": "10:11:12.123456789",
     "ts": "2024-03-01T10:00:00.123Z", "du": "1mo2d3ns", "ip": "192.168.0.1",
     "l": [1, None, -3], "s": ["a", "b"], "m": {"k": 1, "z": None},
     "tup": [7, "x", "1969-12-31"], "ad": {"street": "Main St", "zip": 12345},
     "vec": [0.5, -1.0, 2.25], "nest": {"a": [[1, 2], [], [3]], "b": []}},
    {"id": 2, "ck": str(T2), "ti": 127, "si": -32768, "bi": 2**63 - 1, "cnt": -1,
     "vi": "-7", "dec": "-0.001", "f": -0.0, "d": 1e300, "b": False, "t": "", "a": "",
     "bl": "", "u": "00000000-0000-0000-0000-000000000000", "dt": "1969-12-31",
     "tm": "00:00:00.000000001", "ts": "1969-12-31T23:59:59.999Z", "du": "-14mo0d5000000001ns",
     "ip": "2001:db8::1", "l": [], "s": [], "m": {}, "tup": [None, None, None],
     "ad": {"street": None, "zip": None}, "vec": [0.0, 0.0, 0.0], "nest": {}},
    {"id": 3, "ck": str(T1), **{name: None for name, _ in COLUMNS[2:]}},
]


def raw_json(row):
    """The JSON line, with decimals and varints as raw numbers."""
    parts = []
    for name, value in row.items():
        text = value if name in ("vi", "dec") and value is not None else json.dumps(value)
        parts.append(json.dumps(name) + ":" + text)
    return "{" + ",".join(parts) + "}"


def duration(text):
    negative = text.startswith("-")
    text = text.lstrip("-")
    months, rest = text.split("mo")
    days, rest = rest.split("d")
    nanos = rest.rstrip("ns")
    sign = -1 if negative else 1
    return {"months": sign * int(months), "days": sign * int(days), "nanoseconds": sign * int(nanos)}


def time_nanos(text):
    h, m, s = text.split(":")
    whole, fraction = s.split(".")
    return ((int(h) * 60 + int(m)) * 60 + int(whole)) * 10**9 + int(fraction.ljust(9, "0"))


def timestamp(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def expected(name, value, options):
    """What pyarrow reads for a column of the mapped file."""
    if value is None:
        return None
    if name in ("ck", "u"):
        return uuid.UUID(value).bytes
    if name == "vi":
        return decimal.Decimal(value) if "varint-decimal" in options else value
    if name == "dec":
        if "decimal" in options:
            scale = int(options["decimal"].split(",")[1])
            return decimal.Decimal(value).quantize(decimal.Decimal(1).scaleb(-scale),
                                                   rounding=decimal.ROUND_HALF_EVEN)
        return value
    if name == "bl":
        return base64.b64decode(value)
    if name == "dt":
        return datetime.date.fromisoformat(value)
    if name == "tm":
        nanos = time_nanos(value)
        if "time-as-time" in options:
            micros = nanos // 1000
            return (datetime.datetime.min + datetime.timedelta(microseconds=micros)).time()
        return nanos
    if name == "ts":
        return timestamp(value)
    if name == "du":
        return duration(value)
    if name == "m":
        return list(value.items())
    if name == "nest":
        return [(k, v) for k, v in value.items()]
    if name == "tup":
        return {"_1": value[0], "_2": value[1],
                "_3": None if value[2] is None else datetime.date.fromisoformat(value[2])}
    return value


def canonical(v):
    if isinstance(v, uuid.UUID):  # pyarrow's arrow.uuid extension type
        return v.bytes
    if isinstance(v, list):
        return [canonical(x) for x in v]
    if isinstance(v, tuple):
        return tuple(canonical(x) for x in v)
    if isinstance(v, dict):
        return {k: canonical(x) for k, x in v.items()}
    return v


def same(want, have):
    if isinstance(want, list) and isinstance(have, list):
        return len(want) == len(have) and all(same(w, h) for w, h in zip(want, have))
    if isinstance(want, tuple) and isinstance(have, (tuple, list)):
        return len(want) == len(have) and all(same(w, h) for w, h in zip(want, have))
    if isinstance(want, dict) and isinstance(have, dict):
        return want.keys() == have.keys() and all(same(want[k], have[k]) for k in want)
    if isinstance(want, float) and isinstance(have, float):
        return want == have and str(want)[0] == str(have)[0]  # -0.0 vs 0.0
    return want == have


def run(tmp, tag, options):
    src = os.path.join(tmp, f"{tag}.jsonl")
    with open(src, "w") as f:
        for row in ROWS:
            f.write(raw_json(row) + "\n")
    out = os.path.join(tmp, f"{tag}.parquet")
    schema_out = os.path.join(tmp, f"{tag}.json")
    literals_out = os.path.join(tmp, f"{tag}.literals.jsonl")
    cmd = [TOOL, "--columns", "; ".join(f"{n} {t}" for n, t in COLUMNS), "--key", KEY,
           "--udt", UDT, "--input", src, "--output", out, "--schema-out", schema_out,
           "--literals-out", literals_out]
    for flag, value in options.items():
        cmd += [f"--{flag}"] + ([value] if value else [])
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        problem(f"{tag}: iceberg_mapping_tool failed: {proc.stderr.strip()}")
        return
    summary = json.loads(proc.stdout)
    with open(schema_out) as f:
        ours_json = json.load(f)

    # PyIceberg reads our schema, and derives the same one from the file's (by field ids).
    ours = Schema.model_validate(ours_json)
    # ParquetFile enables Arrow's extension types (its default, and how PyIceberg reads): a
    # UUID-annotated FIXED_LEN_BYTE_ARRAY(16) is then arrow.uuid, which PyIceberg calls uuid.
    # (pq.read_schema gives fixed_size_binary(16) for it, for pyarrow's own files too when they
    # do not carry pyarrow's stored schema.)
    theirs = pyarrow_to_schema(pq.ParquetFile(out).schema_arrow)
    theirs_json = json.loads(theirs.model_dump_json())
    if theirs_json["fields"] != ours_json["fields"]:
        for a, b in zip(ours_json["fields"], theirs_json["fields"]):
            if a != b:
                problem(f"{tag}: PyIceberg sees {json.dumps(b)} in the file, we mapped {json.dumps(a)}")
        if len(ours_json["fields"]) != len(theirs_json["fields"]):
            problem(f"{tag}: {len(theirs_json['fields'])} fields in the file, "
                    f"{len(ours_json['fields'])} mapped")
    else:
        print(f"ok   {tag}: PyIceberg's schema of the file is ours ({len(ours.fields)} columns, "
              f"highest id {ours.highest_field_id})", flush=True)
    ids = [ours.find_field(name).field_id for name in KEY.split(",")]
    if ours.identifier_field_ids != ids or summary["key_columns_not_identifiers"]:
        problem(f"{tag}: identifier fields {ours.identifier_field_ids}, key ids {ids}")
    for field_id in ours.identifier_field_ids:
        if not ours.find_field(field_id).required:
            problem(f"{tag}: identifier field {field_id} is optional")

    # pyarrow reads the values the Iceberg types say.
    got = pq.read_table(out).to_pylist()
    if len(got) != len(ROWS):
        problem(f"{tag}: pyarrow read {len(got)} rows, wrote {len(ROWS)}")
        return
    bad = 0
    for want_row, have_row in zip(ROWS, got):
        for name, _ in COLUMNS:
            want = expected(name, want_row.get(name), options)
            have = canonical(have_row[name])
            if not same(want, have):
                bad += 1
                problem(f"{tag}: row {want_row['id']} column {name}: pyarrow read {have!r}, "
                        f"wrote {want!r}")
    if bad == 0:
        print(f"ok   {tag}: pyarrow reads the {len(ROWS)} rows as the Iceberg types say "
              f"({summary['values_changed']} values changed)", flush=True)

    # Our Iceberg values of the rows (spec/value_literal.h, what partitions and bounds take)
    # are PyIceberg's single-value forms of the values pyarrow reads from the file.
    with open(literals_out) as f:
        literals = [json.loads(line) for line in f]
    checked = 0
    before = len(PROBLEMS)
    for have_row, ours_row in zip(got, literals):
        for name, hex_value in ours_row.items():
            field = ours.find_field(name)
            value = have_row[name]
            theirs = None if value is None else to_bytes(field.field_type, value).hex()
            checked += 1
            if theirs != hex_value:
                problem(f"{tag}: column {name} ({field.field_type}): our value {hex_value}, "
                        f"PyIceberg's of the file's {value!r}: {theirs}")
    if len(literals) != len(got):
        problem(f"{tag}: {len(literals)} rows of values, {len(got)} in the file")
    if len(PROBLEMS) == before:
        print(f"ok   {tag}: our {checked} single values are those of the file", flush=True)
    return summary


def main():
    with tempfile.TemporaryDirectory() as tmp:
        run(tmp, "exact", {})
        summary = run(tmp, "lossy", {"time-as-time": "", "decimal": "20,2", "varint-decimal": ""})
        # The lossy forms change tm of row 1 (sub-microsecond digits), tm of row 2, and the
        # decimal -0.001 (rounded to 0.00): three values.
        if summary and summary["values_changed"] != 3:
            problem(f"lossy: {summary['values_changed']} values changed, expected 3")
    if PROBLEMS:
        print(f"{len(PROBLEMS)} problems", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
