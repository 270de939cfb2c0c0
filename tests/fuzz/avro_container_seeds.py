#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes small Avro object container files with fastavro into the corpus folder given: seeds
of avro_container_fuzzer (every type, Iceberg's manifest schemas, a recursive record, each
codec, several blocks)."""
import json
import pathlib
import sys

import fastavro

out = pathlib.Path(sys.argv[1])
avro_tests = pathlib.Path(__file__).resolve().parent.parent / "unit" / "formats" / "avro"
fastavro.write.LOGICAL_WRITERS.clear()

every_type = {"type": "record", "name": "t", "fields": [
    {"name": "n", "type": "null"}, {"name": "b", "type": "boolean"}, {"name": "i", "type": "int"},
    {"name": "l", "type": "long"}, {"name": "f", "type": "float"}, {"name": "d", "type": "double"},
    {"name": "by", "type": "bytes"}, {"name": "s", "type": "string"},
    {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}},
    {"name": "a", "type": {"type": "array", "items": ["null", "long"]}},
    {"name": "m", "type": {"type": "map", "values": "string"}},
    {"name": "fx", "type": {"type": "fixed", "name": "F", "size": 3}},
    {"name": "u", "type": ["null", "string", "E", "F"]},
    {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}}]}
records = [{"n": None, "b": i % 2 == 0, "i": -i, "l": i * 10**12, "f": i / 4, "d": -i / 8,
            "by": bytes(range(i % 7)), "s": "x" * i, "e": "AB"[i % 2], "a": [None, i],
            "m": {"k": str(i)}, "fx": b"abc", "u": [None, "s", "B", b"xyz"][i % 4], "dec": b"\x01"}
           for i in range(12)]
linked = {"type": "record", "name": "L", "fields": [
    {"name": "v", "type": "long"}, {"name": "next", "type": ["null", "L"]}]}
manifest = json.loads((avro_tests / "iceberg_manifest_entry.json").read_text())
entry = {"status": 1, "snapshot_id": 5, "sequence_number": None, "file_sequence_number": None,
         "data_file": {"content": 0, "file_path": "s3://b/t/data/f.parquet", "file_format": "PARQUET",
                       "partition": {"id_bucket": 3}, "record_count": 10, "file_size_in_bytes": 100,
                       "column_sizes": [{"key": 1, "value": 4}], "value_counts": None,
                       "null_value_counts": [], "nan_value_counts": None,
                       "lower_bounds": [{"key": 1, "value": b"\x01\x00\x00\x00"}],
                       "upper_bounds": None, "key_metadata": None, "split_offsets": [4],
                       "equality_ids": None, "sort_order_id": 0, "referenced_data_file": None}}
files = {
    "every_type": (every_type, records),
    "linked": (linked, [{"v": 1, "next": {"v": 2, "next": None}}, {"v": 3, "next": None}]),
    "manifest": (manifest, [entry] * 3),
    "strings": ("string", ["", "a", "bc"]),
}
for name, (schema, rows) in files.items():
    for codec in ("null", "deflate", "snappy"):
        with open(out / f"seed_{name}_{codec}.avro", "wb") as f:
            fastavro.writer(f, fastavro.parse_schema(schema), rows, codec=codec, sync_interval=64,
                            metadata={"format-version": "2"})
