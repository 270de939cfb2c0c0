#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Avro interop with independent implementations: fastavro (Python) and avsc (node) read the
object container files that avro_tool writes with our writer, with each codec (null, deflate,
snappy), several blocks and user metadata, and return exactly the values written; avro_tool
reads the files fastavro and avsc write, with each codec, and returns exactly theirs.

    avro_interop_test.py AVRO_TOOL NODE_MODULES

Values travel as Avro's JSON encoding (unions as {"branch": value}, bytes as code points
0-255, NaN and infinities as strings); to_py() turns that into fastavro's values. Logical
types are left unconverted on both sides: they are their underlying types' values."""
import json
import math
import pathlib
import struct
import subprocess
import sys
import tempfile

import fastavro

TOOL = sys.argv[1]
NODE_MODULES = sys.argv[2]
HERE = pathlib.Path(__file__).resolve().parent
AVSC_TOOL = HERE / "avsc_tool.cjs"
CODECS = ["null", "deflate", "snappy"]

# fastavro returns (and takes) the underlying values of logical types when these are empty.
fastavro.read.LOGICAL_READERS.clear()
fastavro.write.LOGICAL_WRITERS.clear()

PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}

EVERY_TYPE_SCHEMA = {
    "type": "record", "name": "every_type", "fields": [
        {"name": "n", "type": "null"},
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "by", "type": "bytes"},
        {"name": "s", "type": "string"},
        {"name": "e", "type": {"type": "enum", "name": "Suit",
                               "symbols": ["SPADES", "HEARTS", "DIAMONDS", "CLUBS"]}},
        {"name": "a", "type": {"type": "array", "items": ["null", "long"]}},
        {"name": "m", "type": {"type": "map", "values": {"type": "array", "items": "string"}}},
        {"name": "u", "type": ["null", "string", "long", "double", "Suit",
                               {"type": "fixed", "name": "ns.Four", "size": 4},
                               {"type": "record", "name": "point", "fields": [
                                   {"name": "x", "type": "int"}, {"name": "y", "type": "int"}]}]},
        {"name": "fx", "type": "ns.Four"},
        {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 20,
                                 "scale": 4}},
        {"name": "dec16", "type": {"type": "fixed", "name": "dec16", "size": 16,
                                   "logicalType": "decimal", "precision": 38, "scale": 2}},
        {"name": "uuid", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "date", "type": {"type": "int", "logicalType": "date"}},
        {"name": "time", "type": {"type": "long", "logicalType": "time-micros"}},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros",
                                "adjust-to-utc": True}},
        {"name": "nested", "type": {"type": "record", "name": "inner", "fields": [
            {"name": "p", "type": "point"},
            {"name": "opt", "type": ["null", "inner"], "default": None}]}},
    ]}


def every_type_value(k):
    """The k-th value of EVERY_TYPE_SCHEMA, as the JSON encoding."""
    floats = [0.0, -0.0, 1.5, -3.25, 3.4028234663852886e38, 1.401298464324817e-45, "NaN",
              "Infinity", "-Infinity", 0.1]
    doubles = [0.0, -0.0, 0.1, -1e-300, 1.7976931348623157e308, 5e-324, "NaN", "Infinity",
               "-Infinity", 123456.789]
    longs = [0, -1, 1, 2**63 - 1, -2**63, 2**53 + 1, -(2**53) - 1, 4242, -64, 64]
    ints = [0, -1, 2**31 - 1, -2**31, 7, 63, -65, 100000, 1, -1000]
    unions = [None, {"string": "h\u00e9llo \U0001F600"}, {"long": -2**63}, {"double": "NaN"},
              {"Suit": "CLUBS"}, {"ns.Four": "\u0000\u00ff\u0080a"},
              {"point": {"x": -1, "y": 2**31 - 1}}, {"string": ""}, {"long": 2**62},
              {"double": -0.0}]
    return {
        "n": None,
        "b": k % 2 == 0,
        "i": ints[k % len(ints)],
        "l": longs[k % len(longs)],
        "f": floats[k % len(floats)] if floats[k % len(floats)] != 0.1 else 0.5,
        "d": doubles[k % len(doubles)],
        "by": "".join(chr((k * 7 + j) % 256) for j in range(k % 5 * 3)),
        "s": ["", "plain", "\u00e9\u4e2d\U0001F600", "quote \" backslash \\ tab \t nl \n",
              "x" * 300][k % 5],
        "e": ["SPADES", "HEARTS", "DIAMONDS", "CLUBS"][k % 4],
        "a": [None if j % 3 == 0 else {"long": j * 1000003 - k} for j in range(k % 6)],
        "m": {f"key{j}": [str(j)] * j for j in range(k % 4)},
        "u": unions[k % len(unions)],
        "fx": "\u00ab\u00cd" + chr(k % 256) + "z",
        "dec": "\u00ff\u0085" if k % 2 else "",
        "dec16": "\u0000" * 15 + chr(k % 256),
        "uuid": "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
        "date": -719162 + k * 1000,
        "time": 86399999999 - k,
        "ts": 1700000000000000 + k * 3600000000,
        "nested": {"p": {"x": k, "y": -k}, "opt": None if k % 3 else
                   {"inner": {"p": {"x": 1, "y": 2}, "opt": {"inner": {"p": {"x": 3, "y": 4},
                                                                      "opt": None}}}}},
    }


ICEBERG_MANIFEST_SCHEMA = json.loads((HERE / "iceberg_manifest_entry.json").read_text())
ICEBERG_MANIFEST_LIST_SCHEMA = json.loads((HERE / "iceberg_manifest_file.json").read_text())


def manifest_entry(k):
    def counts(base):
        return {"array": [{"key": c, "value": base * c + k} for c in range(1, 4)]}
    return {
        "status": k % 3, "snapshot_id": {"long": 3051729675574597004 + k},
        "sequence_number": None if k % 2 else {"long": k}, "file_sequence_number": None,
        "data_file": {
            "content": 0, "file_path": f"s3://warehouse/db/t/data/id_bucket={k % 16}/f-{k}.parquet",
            "file_format": "PARQUET", "partition": {"id_bucket": None if k % 5 == 0 else {"int": k % 16}},
            "record_count": 1000 * k + 1, "file_size_in_bytes": 4096 + k,
            "column_sizes": counts(100), "value_counts": counts(1000), "null_value_counts": counts(0),
            "nan_value_counts": None,
            "lower_bounds": {"array": [{"key": 1, "value": "\u0001\u0000\u0000\u0000"},
                                       {"key": 2, "value": "abc"}]},
            "upper_bounds": {"array": [{"key": 1, "value": "\u00ff\u00ff\u00ff\u007f"},
                                       {"key": 2, "value": "zzz\u00ff"}]},
            "key_metadata": None, "split_offsets": {"array": [4]}, "equality_ids": None,
            "sort_order_id": {"int": 0}, "referenced_data_file": None}}


def manifest_file(k):
    return {
        "manifest_path": f"s3://warehouse/db/t/metadata/{k:04d}-m0.avro", "manifest_length": 7000 + k,
        "partition_spec_id": 0, "content": 0, "sequence_number": k, "min_sequence_number": 1,
        "added_snapshot_id": 3051729675574597004, "added_files_count": k, "existing_files_count": 0,
        "deleted_files_count": 0, "added_rows_count": 10 * k, "existing_rows_count": 0,
        "deleted_rows_count": 0,
        "partitions": {"array": [{"contains_null": False, "contains_nan": {"boolean": False},
                                  "lower_bound": {"bytes": "\u0000\u0000\u0000\u0000"},
                                  "upper_bound": {"bytes": "\u000f\u0000\u0000\u0000"}}]},
        "key_metadata": None}


LINKED_LIST_SCHEMA = {"type": "record", "name": "LongList", "fields": [
    {"name": "value", "type": "long"}, {"name": "next", "type": ["null", "LongList"]}]}


def linked_list(k):
    node = None
    for v in range(k % 7):
        node = {"LongList": {"value": v * k, "next": node}}
    return node["LongList"] if node else {"value": -k, "next": None}


ICEBERG_METADATA = {
    "schema": json.dumps({"type": "struct", "schema-id": 0, "fields": [
        {"id": 1, "name": "id", "required": True, "type": "long"}]}),
    "schema-id": "0",
    "partition-spec": json.dumps([{"name": "id_bucket", "transform": "bucket[16]", "source-id": 1,
                                  "field-id": 1000}]),
    "partition-spec-id": "0", "format-version": "2", "content": "data",
}

# name, schema, values (JSON encoding), user metadata
CASES = [
    ("every_type", EVERY_TYPE_SCHEMA, [every_type_value(k) for k in range(40)], {"note": "\u00e9"}),
    ("manifest", ICEBERG_MANIFEST_SCHEMA, [manifest_entry(k) for k in range(25)], ICEBERG_METADATA),
    ("manifest_list", ICEBERG_MANIFEST_LIST_SCHEMA, [manifest_file(k) for k in range(7)],
     {"snapshot-id": "3051729675574597004", "parent-snapshot-id": "null", "sequence-number": "1",
      "format-version": "2"}),
    ("linked_list", LINKED_LIST_SCHEMA, [linked_list(k) for k in range(20)], {}),
    ("strings", "string", ["", "a", "\u00e9", "x" * 70000], {}),
    ("nulls", "null", [None] * 50, {}),
]
# Node streams cannot carry null values: avsc reads and writes no file of null records.
NOT_FOR_AVSC = {"nulls"}


class Schemas:
    """Named types of a schema by full name (the test schemas define each name once)."""

    def __init__(self, schema):
        self.named = {}
        self._collect(schema, "")

    def _collect(self, s, space):
        if isinstance(s, list):
            for b in s:
                self._collect(b, space)
        elif isinstance(s, dict):
            t = s["type"]
            if t in ("record", "enum", "fixed"):
                name = s["name"]
                full = name if "." in name or not space else f"{space}.{name}"
                self.named[full] = s
                self.named.setdefault(name.split(".")[-1], s)
                space = full.rpartition(".")[0]
                for f in s.get("fields", []):
                    self._collect(f["type"], space)
            elif t == "array":
                self._collect(s["items"], space)
            elif t == "map":
                self._collect(s["values"], space)

    def resolve(self, s):
        if isinstance(s, str) and s not in PRIMITIVES:
            return self.named[s]
        return s

    def branch_name(self, s):
        s = self.resolve(s)
        if isinstance(s, str):
            return s
        if s["type"] in ("record", "enum", "fixed"):
            return s["name"]
        return s["type"]


def to_float(j, single):
    v = float(j) if isinstance(j, str) else float(j)
    return struct.unpack("<f", struct.pack("<f", v))[0] if single else v


def to_py(schemas, s, j, for_write=False):
    """The fastavro value of the JSON encoding `j` (unions as (branch, value) for writing)."""
    s = schemas.resolve(s)
    if isinstance(s, list):
        if j is None:
            return None
        ((name, v),) = j.items()
        branch = next(b for b in s if schemas.branch_name(b) == name)
        value = to_py(schemas, branch, v, for_write)
        return (name, value) if for_write else value
    t = s if isinstance(s, str) else s["type"]
    if t == "null":
        return None
    if t in ("int", "long"):
        return int(j)
    if t in ("float", "double"):
        return to_float(j, t == "float")
    if t in ("bytes", "fixed"):
        return j.encode("latin-1")
    if t == "record":
        return {f["name"]: to_py(schemas, f["type"], j[f["name"]], for_write) for f in s["fields"]}
    if t == "array":
        return [to_py(schemas, s["items"], x, for_write) for x in j]
    if t == "map":
        return {k: to_py(schemas, s["values"], x, for_write) for k, x in j.items()}
    return j  # boolean, string, enum


def longs_as_strings(schemas, s, j):
    """The JSON of avsc_tool.cjs: longs as strings."""
    s = schemas.resolve(s)
    if isinstance(s, list):
        if j is None:
            return None
        ((name, v),) = j.items()
        branch = next(b for b in s if schemas.branch_name(b) == name)
        return {name: longs_as_strings(schemas, branch, v)}
    t = s if isinstance(s, str) else s["type"]
    if t == "long":
        return str(j)
    if t == "record":
        return {f["name"]: longs_as_strings(schemas, f["type"], j[f["name"]]) for f in s["fields"]}
    if t == "array":
        return [longs_as_strings(schemas, s["items"], x) for x in j]
    if t == "map":
        return {k: longs_as_strings(schemas, s["values"], x) for k, x in j.items()}
    return j


def same(a, b):
    """Deep equality with floats compared exactly (NaN equals NaN, -0.0 is not 0.0)."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def compare_records(got, expected, what):
    check(len(got) == len(expected), f"{what}: {len(got)} records, expected {len(expected)}")
    for i, (g, e) in enumerate(zip(got, expected)):
        if not same(g, e):
            check(False, f"{what}: record {i}: got {g!r:.600}, expected {e!r:.600}")
            return


def parse_json(line):
    """json.loads, except that "-0" is the float -0.0 (ints are never written so)."""
    return json.loads(line, parse_int=lambda s: -0.0 if s == "-0" else int(s))


def run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{args[:3]} failed: {result.stderr}")
    return result.stdout


def tool_read(path, schemas, schema):
    lines = run([TOOL, "read", str(path)]).rstrip("\n").split("\n")
    summary = json.loads(lines[-1])
    records = [to_py(schemas, schema, parse_json(line)) for line in lines[:-1]]
    return records, summary


def avsc_read(path, schemas, schema):
    lines = run(["node", str(AVSC_TOOL), NODE_MODULES, "read", str(path)]).rstrip("\n").split("\n")
    summary = json.loads(lines[-1])
    records = [to_py(schemas, schema, parse_json(line)) for line in lines[:-1]]
    return records, summary


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        for name, schema, values, metadata in CASES:
            schemas = Schemas(schema)
            expected = [to_py(schemas, schema, v) for v in values]
            schema_file = tmp / f"{name}.schema.json"
            schema_file.write_text(json.dumps(schema))
            input_file = tmp / f"{name}.jsonl"
            input_file.write_text("".join(json.dumps(v) + "\n" for v in values))
            for codec in CODECS:
                what = f"{name}/{codec}"
                # Ours, read by fastavro and avsc: records, codec, metadata, blocks of 3.
                ours = tmp / f"{name}.{codec}.ours.avro"
                meta_args = [a for k, v in metadata.items() for a in ("--meta", f"{k}={v}")]
                written = json.loads(run([TOOL, "write", "--schema", str(schema_file),
                                          "--input", str(input_file), "--output", str(ours),
                                          "--codec", codec, "--block-records", "3"] + meta_args))
                with open(ours, "rb") as f:
                    reader = fastavro.reader(f)
                    got = list(reader)
                    check(reader.codec == codec, f"{what}: fastavro sees codec {reader.codec}")
                    for k, v in metadata.items():
                        check(reader.metadata.get(k) == v, f"{what}: fastavro metadata {k}")
                    header_schema = json.loads(reader.metadata["avro.schema"])
                compare_records(got, expected, f"{what}: fastavro reads ours")
                with open(ours, "rb") as f:
                    blocks = [b.num_records for b in fastavro.block_reader(f)]
                check(blocks == [3] * (len(values) // 3) + ([len(values) % 3] if len(values) % 3 else []),
                      f"{what}: blocks {blocks}")
                check(written["blocks"] == len(blocks), f"{what}: tool says {written}")
                if name == "manifest":
                    data_file = header_schema["fields"][4]
                    check(data_file.get("field-id") == 2, f"{what}: field-id of data_file in the header")
                    sizes = next(f for f in data_file["type"]["fields"] if f["name"] == "column_sizes")
                    check(sizes["type"][1].get("logicalType") == "map" and sizes["field-id"] == 108,
                          f"{what}: column_sizes keeps its attributes: {sizes}")
                if name not in NOT_FOR_AVSC:
                    got, summary = avsc_read(ours, schemas, schema)
                    compare_records(got, expected, f"{what}: avsc reads ours")
                    check(summary["codec"] == codec, f"{what}: avsc sees codec {summary['codec']}")
                    for k, v in metadata.items():
                        check(summary["metadata"].get(k) == v.encode("utf-8").decode("latin-1"),
                              f"{what}: avsc metadata {k}")

                # fastavro's, read by us.
                theirs = tmp / f"{name}.{codec}.fastavro.avro"
                with open(theirs, "wb") as f:
                    fastavro.writer(f, fastavro.parse_schema(schema),
                                    [to_py(schemas, schema, v, for_write=True) for v in values],
                                    codec=codec, sync_interval=200, metadata=dict(metadata))
                got, summary = tool_read(theirs, schemas, schema)
                compare_records(got, expected, f"{what}: we read fastavro's")
                check(summary["codec"] == codec, f"{what}: we see codec {summary['codec']}")
                for k, v in metadata.items():
                    check(summary["metadata"].get(k) == v, f"{what}: our metadata {k}")
                with open(theirs, "rb") as f:
                    fastavro_blocks = sum(1 for _ in fastavro.block_reader(f))
                check(summary["blocks"] == fastavro_blocks,
                      f"{what}: {summary['blocks']} blocks, fastavro wrote {fastavro_blocks}")

                # avsc's, read by us.
                if name in NOT_FOR_AVSC:
                    continue
                avsc_file = tmp / f"{name}.{codec}.avsc.avro"
                avsc_input = tmp / f"{name}.avsc.jsonl"
                avsc_input.write_text("".join(json.dumps(longs_as_strings(schemas, schema, v)) + "\n"
                                              for v in values))
                meta_file = tmp / f"{name}.meta.json"
                meta_file.write_text(json.dumps({k: v.encode("utf-8").decode("latin-1")
                                                 for k, v in metadata.items()}))
                run(["node", str(AVSC_TOOL), NODE_MODULES, "write", str(schema_file),
                     str(avsc_input), str(avsc_file), codec, "512", str(meta_file)])
                got, summary = tool_read(avsc_file, schemas, schema)
                compare_records(got, expected, f"{what}: we read avsc's")
                check(summary["codec"] == codec, f"{what}: we see avsc's codec {summary['codec']}")
                for k, v in metadata.items():
                    check(summary["metadata"].get(k) == v, f"{what}: avsc's metadata {k}")
            print(f"{name}: {len(values)} records, codecs {', '.join(CODECS)}: both ways with "
                  f"fastavro{'' if name in NOT_FOR_AVSC else ' and avsc'}")

        # A manifest PyIceberg-style: fastavro with a reader's schema that drops fields and adds
        # one with a default (schema resolution on our side).
        schemas = Schemas(ICEBERG_MANIFEST_SCHEMA)
        reader_schema = {"type": "record", "name": "manifest_entry", "fields": [
            {"name": "status", "type": "int"},
            {"name": "data_file", "type": {"type": "record", "name": "r2", "fields": [
                {"name": "file_path", "type": "string"},
                {"name": "record_count", "type": "double"},
                {"name": "spec_hint", "type": ["null", "int"], "default": None}]}}]}
        reader_file = tmp / "reader.schema.json"
        reader_file.write_text(json.dumps(reader_schema))
        theirs = tmp / "manifest.deflate.fastavro.avro"
        lines = run([TOOL, "read", str(theirs), "--reader-schema", str(reader_file)]).rstrip("\n").split("\n")
        with open(theirs, "rb") as f:
            want = list(fastavro.reader(f, reader_schema=reader_schema))
        got = [to_py(Schemas(reader_schema), reader_schema, parse_json(line)) for line in lines[:-1]]
        compare_records(got, want, "manifest read with a reader's schema, as fastavro resolves it")
        print(f"manifest with a reader's schema: {len(got)} records as fastavro resolves them")

    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        sys.exit(1)
    print("avro interop: all good")


main()
