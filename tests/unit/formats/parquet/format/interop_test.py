#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Interop of formats/parquet/format with the referees (pyarrow, DuckDB), both ways.

Usage: interop_test.py <parquet_format_tool>   (run with the referee venv's python)

(a) pyarrow writes files (every flat type, nested list/map/struct, decimals, timestamps, field
    ids, key-value metadata, several row groups and pages, data page v1 and v2, dictionary on
    and off, several codecs and encodings, page checksums, page index). The tool parses each
    footer and every page header; what it reports must agree with pyarrow's ParquetFile
    metadata and schema and DuckDB's parquet_schema(); page sizes must add up to the chunk
    sizes and page CRCs must match the page bytes. The tool then rewrites each file with the
    footer our Serialize makes; pyarrow and DuckDB must read the same data from it.
(b) The tool writes a file of zero row groups from a schema with every logical type, nested
    groups, field ids and key-value metadata; pyarrow and DuckDB must report exactly those.
"""
import datetime
import decimal
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

TOOL = sys.argv[1]
failures = []


comparisons = 0


def eq(ours, theirs, what):
    global comparisons
    comparisons += 1
    if ours != theirs:
        failures.append(f"{what}: ours {ours!r}, referee {theirs!r}")


def check(condition, what):
    global comparisons
    comparisons += 1
    if not condition:
        failures.append(what)


def tool(*args):
    run = subprocess.run([TOOL, *args], capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"parquet_format_tool {' '.join(args)} failed: {run.stderr}")
    return json.loads(run.stdout) if run.stdout.strip() else None


# --- our schema as a tree -----------------------------------------------------------------


def schema_tree(elements):
    """(path, element, max_def, max_rep) of every element but the root, depth first."""
    out = []
    index = 1

    def walk(path, count, max_def, max_rep):
        nonlocal index
        for _ in range(count):
            element = elements[index]
            index += 1
            repetition = element.get("repetition_type")
            d = max_def + (repetition != "REQUIRED")
            r = max_rep + (repetition == "REPEATED")
            p = path + (element["name"],)
            out.append((p, element, d, r))
            walk(p, element.get("num_children", 0), d, r)

    walk((), elements[0].get("num_children", 0), 0, 0)
    return out


# --- logical types in the referees' spellings ----------------------------------------------

UNIT_WORDS = {"MILLIS": "milliseconds", "MICROS": "microseconds", "NANOS": "nanoseconds"}
UNIT_STRUCTS = {"MILLIS": "MilliSeconds()", "MICROS": "MicroSeconds()", "NANOS": "NanoSeconds()"}


def pyarrow_logical(t):
    """Our logical type JSON as pyarrow's ParquetLogicalType.to_json() keys we compare."""
    if t is None:
        return {"Type": "None"}
    kind = t["kind"]
    simple = {"STRING": "String", "MAP": "Map", "LIST": "List", "ENUM": "Enum", "DATE": "Date",
              "UNKNOWN": "Null", "JSON": "JSON", "BSON": "BSON", "UUID": "UUID",
              "FLOAT16": "Float16"}
    if kind in simple:
        return {"Type": simple[kind]}
    if kind == "DECIMAL":
        return {"Type": "Decimal", "precision": t["precision"], "scale": t["scale"]}
    if kind in ("TIME", "TIMESTAMP"):
        return {"Type": kind.title(), "isAdjustedToUTC": t["is_adjusted_to_utc"],
                "timeUnit": UNIT_WORDS[t["unit"]]}
    if kind == "INTEGER":
        return {"Type": "Int", "bitWidth": t["bit_width"], "isSigned": t["is_signed"]}
    return {"Type": kind}


def their_pyarrow_logical(column):
    j = json.loads(column.logical_type.to_json())
    return {k: v for k, v in j.items() if k not in ("is_from_converted_type",
                                                    "force_set_converted_type")}


def duckdb_logical(t):
    """Our logical type JSON as DuckDB's parquet_schema() prints it (Thrift's printTo)."""
    if t is None:
        return None
    kind = t["kind"]
    simple = {"STRING": "StringType()", "MAP": "MapType()", "LIST": "ListType()",
              "ENUM": "EnumType()", "DATE": "DateType()", "UNKNOWN": "NullType()",
              "JSON": "JsonType()", "BSON": "BsonType()", "UUID": "UUIDType()",
              "FLOAT16": "Float16Type()"}
    if kind in simple:
        return simple[kind]
    if kind == "DECIMAL":
        return f"DecimalType(scale={t['scale']}, precision={t['precision']})"
    if kind in ("TIME", "TIMESTAMP"):
        units = ", ".join(f"{u}={UNIT_STRUCTS[u] if u == t['unit'] else '<null>'}"
                          for u in ("MILLIS", "MICROS", "NANOS"))
        name = "TimeType" if kind == "TIME" else "TimestampType"
        return f"{name}(isAdjustedToUTC={int(t['is_adjusted_to_utc'])}, unit=TimeUnit({units}))"
    if kind == "INTEGER":
        # DuckDB prints the i8 bitWidth as a character.
        return f"IntType(bitWidth={chr(t['bit_width'])}, isSigned={int(t['is_signed'])})"
    return kind


def compare_schema_with_duckdb(path, schema, what):
    rows = duckdb.sql(f"SELECT name, type, type_length, repetition_type, num_children, "
                      f"converted_type, scale, precision, field_id, logical_type "
                      f"FROM parquet_schema('{path}')").fetchall()
    eq(len(schema), len(rows), f"{what}: schema elements (DuckDB)")
    for element, row in zip(schema, rows):
        ours = (element["name"], element.get("type"), element.get("type_length"),
                element.get("repetition_type"), element.get("num_children"),
                element.get("converted_type"), element.get("scale"), element.get("precision"),
                element.get("field_id"), duckdb_logical(element.get("logical_type")))
        theirs = tuple(int(v) if isinstance(v, str) and v.lstrip("-").isdigit() else v
                       for v in row)
        if element is schema[0] and "repetition_type" not in element:
            theirs = theirs[:3] + (None,) + theirs[4:]  # DuckDB shows the root as REQUIRED
        eq(ours, theirs, f"{what}: schema element {element['name']} (DuckDB)")


def compare_leaves_with_pyarrow(pf, schema, what):
    leaves = [(p, e, d, r) for p, e, d, r in schema_tree(schema) if "num_children" not in e]
    eq(len(leaves), len(pf.schema), f"{what}: leaf columns")
    for i, (path, element, max_def, max_rep) in enumerate(leaves):
        column = pf.schema.column(i)
        where = f"{what}: column {'.'.join(path)}"
        eq(".".join(path), column.path, f"{where}: path")
        eq(element["type"], column.physical_type, f"{where}: physical type")
        # pyarrow derives a logical type from a lone converted type, and the reverse.
        theirs = json.loads(column.logical_type.to_json())
        if "logical_type" in element or not theirs.get("is_from_converted_type", True):
            eq(pyarrow_logical(element.get("logical_type")), their_pyarrow_logical(column),
               f"{where}: logical type")
        # pyarrow reports the converted type of the logical type when there is one; DuckDB
        # (compare_schema_with_duckdb) shows the raw field.
        if "converted_type" in element and "logical_type" not in element:
            eq(element["converted_type"], column.converted_type, f"{where}: converted type")
        if element["type"] == "FIXED_LEN_BYTE_ARRAY":
            eq(element.get("type_length"), column.length, f"{where}: type_length")
        if element.get("converted_type") == "DECIMAL":
            eq((element.get("precision"), element.get("scale")),
               (column.precision, column.scale), f"{where}: precision, scale")
        eq((max_def, max_rep), (column.max_definition_level, column.max_repetition_level),
           f"{where}: max levels")


def arrow_field_ids(field, path):
    """{parquet path: field id} that the Arrow field asks for, nested fields included."""
    out = {}
    if field.metadata and b"PARQUET:field_id" in field.metadata:
        out[path] = int(field.metadata[b"PARQUET:field_id"])
    t = field.type
    if pa.types.is_map(t):
        out.update(arrow_field_ids(t.key_field, path + ("key_value", "key")))
        out.update(arrow_field_ids(t.item_field, path + ("key_value", "value")))
    elif pa.types.is_list(t) or pa.types.is_large_list(t):
        out.update(arrow_field_ids(t.value_field, path + ("list", "element")))
    elif pa.types.is_struct(t):
        for child in t:
            out.update(arrow_field_ids(child, path + (child.name,)))
    return out


# --- (a) files pyarrow writes --------------------------------------------------------------


def fid(name, type_, field_id, nullable=True):
    return pa.field(name, type_, nullable=nullable,
                    metadata={b"PARQUET:field_id": str(field_id).encode()})


def make_table(rows):
    def nulls(values, every=7):
        return [None if i % every == 3 else v for i, v in enumerate(values)]

    n = range(rows)
    base = datetime.datetime(2021, 3, 4, 5, 6, 7)
    columns = [
        (fid("i8", pa.int8(), 1), nulls([i % 100 - 50 for i in n])),
        (fid("i16", pa.int16(), 2), nulls([i * 7 - 3000 for i in n])),
        (fid("i32", pa.int32(), 3, nullable=False), [i * 1001 - 5 for i in n]),
        (fid("i64", pa.int64(), 4), nulls([i * 10**12 - 7 for i in n])),
        (fid("u8", pa.uint8(), 5), nulls([i % 256 for i in n])),
        (fid("u16", pa.uint16(), 6), nulls([i * 13 % 65536 for i in n])),
        (fid("u32", pa.uint32(), 7), nulls([i * 1_000_003 % 2**32 for i in n])),
        (fid("u64", pa.uint64(), 8), nulls([2**63 + i for i in n])),
        (fid("f32", pa.float32(), 9), nulls([i / 8 - 100 for i in n])),
        (fid("f64", pa.float64(), 10), nulls([i / 3 - 1e6 for i in n])),
        (fid("b", pa.bool_(), 11), nulls([i % 3 == 0 for i in n])),
        (fid("s", pa.string(), 12), nulls([f"text {i:05d} é" for i in n])),
        (fid("s_dict", pa.string(), 13), nulls([["red", "green", "blue", "ü", ""][i % 5]
                                                for i in n])),
        (fid("bin", pa.binary(), 14), nulls([bytes([i % 256, 0, 255]) * (i % 4) for i in n])),
        (fid("fsb", pa.binary(4), 15), nulls([struct.pack(">i", i) for i in n])),
        (fid("dec9", pa.decimal128(9, 2), 16),
         nulls([decimal.Decimal(i * 37 - 5000) / 100 for i in n])),
        (fid("dec38", pa.decimal128(38, 10), 17),
         nulls([decimal.Decimal(i) * decimal.Decimal("12345678901.0123456789") for i in n])),
        (fid("d", pa.date32(), 18), nulls([datetime.date(2000, 1, 1) +
                                           datetime.timedelta(days=i) for i in n])),
        (fid("t_ms", pa.time32("ms"), 19), nulls([i * 1000 for i in n])),
        (fid("t_us", pa.time64("us"), 20), nulls([i * 1_000_001 for i in n])),
        (fid("t_ns", pa.time64("ns"), 21), nulls([i * 1_000_000_000 for i in n])),
        (fid("ts_ms", pa.timestamp("ms"), 22), nulls([base + datetime.timedelta(seconds=i)
                                                      for i in n])),
        (fid("ts_us_utc", pa.timestamp("us", tz="UTC"), 23),
         nulls([1_600_000_000_000_000 + i * 1_000_001 for i in n])),
        (fid("ts_ns_paris", pa.timestamp("ns", tz="Europe/Paris"), 24),
         nulls([1_600_000_000_000_000_000 + i * 1_000 for i in n])),
        (fid("lst", pa.list_(fid("element", pa.int32(), 101)), 25),
         nulls([list(range(i % 5)) if i % 11 else None for i in n])),
        (fid("mp", pa.map_(fid("key", pa.string(), 102, nullable=False),
                           fid("value", pa.int64(), 103)), 26),
         nulls([[(f"k{j}", j * i if j else None) for j in range(i % 3)] for i in n])),
        (fid("st", pa.struct([fid("a", pa.int32(), 104), fid("b", pa.string(), 105)]), 27),
         nulls([{"a": i, "b": f"b{i % 9}"} for i in n])),
        (fid("lst_st", pa.list_(fid("element", pa.struct([fid("x", pa.float64(), 107)]),
                                    106)), 28),
         nulls([[{"x": float(j)} for j in range(i % 3)] for i in n])),
        (pa.field("no_id", pa.int32()), nulls(list(n))),
    ]
    schema = pa.schema([f for f, _ in columns],
                       metadata={b"cqlbulk.test": b"interop", b"empty": b""})
    return pa.table([pa.array(v, type=f.type) for f, v in columns], schema=schema)


CONFIGS = {
    "v1_dict_snappy_crc": dict(data_page_version="1.0", use_dictionary=True,
                               compression="snappy", write_page_checksum=True,
                               row_group_size=1000, data_page_size=2048),
    "v2_plain_zstd_pageindex": dict(data_page_version="2.0", use_dictionary=False,
                                    compression="zstd", write_page_checksum=True,
                                    row_group_size=1500, write_page_index=True),
    "v1_format1_gzip_delta": dict(version="1.0", data_page_version="1.0", use_dictionary=False,
                                  compression="gzip", store_schema=False,
                                  column_encoding={"i64": "DELTA_BINARY_PACKED",
                                                   "s": "DELTA_LENGTH_BYTE_ARRAY",
                                                   "bin": "DELTA_BYTE_ARRAY",
                                                   "f64": "BYTE_STREAM_SPLIT"}),
    "v2_dict_brotli_intdecimal": dict(data_page_version="2.0", use_dictionary=True,
                                      compression="brotli", store_decimal_as_integer=True,
                                      write_statistics=["i32", "s", "dec9"],
                                      row_group_size=700),
    "v1_lz4_bss": dict(data_page_version="1.0", use_dictionary=["s_dict"], compression="lz4",
                       use_byte_stream_split=["f32", "f64"], write_page_checksum=True),
    "v2_uncompressed": dict(data_page_version="2.0", compression="none",
                            write_page_checksum=True, data_page_size=1024),
}

# pyarrow calls LZ4_RAW "LZ4" (and the deprecated LZ4 "LZ4_HADOOP").
PYARROW_CODEC_NAMES = {"LZ4_RAW": "LZ4", "LZ4": "LZ4_HADOOP"}
UNPACK = {"BOOLEAN": "<?", "INT32": "<i", "INT64": "<q", "FLOAT": "<f", "DOUBLE": "<d"}


def stat_value(physical_type, hex_value):
    raw = bytes.fromhex(hex_value)
    if physical_type in UNPACK:
        return struct.unpack(UNPACK[physical_type], raw)[0]
    return raw


def compare_statistics(ours, theirs, physical_type, where):
    eq(ours is not None, theirs is not None, f"{where}: statistics set")
    if ours is None or theirs is None:
        return
    if theirs.has_null_count:
        eq(ours.get("null_count"), theirs.null_count, f"{where}: null_count")
    if theirs.has_distinct_count:
        eq(ours.get("distinct_count"), theirs.distinct_count, f"{where}: distinct_count")
    if theirs.has_min_max:
        lo = ours.get("min_value", ours.get("min"))
        hi = ours.get("max_value", ours.get("max"))
        check(lo is not None and hi is not None, f"{where}: min/max missing")
        if lo is not None and hi is not None:
            eq(stat_value(physical_type, lo), theirs.min_raw, f"{where}: min")
            eq(stat_value(physical_type, hi), theirs.max_raw, f"{where}: max")


def pyarrow_summary(pf):
    """What pyarrow reports of a file's metadata, to compare two files."""
    m = pf.metadata
    schema_text = str(pf.schema).split("\n", 1)[1]  # after "<... object at 0x...>"
    out = [m.num_rows, m.created_by, m.format_version, m.metadata, schema_text,
           str(pf.schema_arrow)]
    for g in range(m.num_row_groups):
        rg = m.row_group(g)
        out.append((rg.num_rows, rg.total_byte_size))
        for c in range(rg.num_columns):
            cc = rg.column(c)
            stats = cc.statistics if cc.is_stats_set else None
            out.append((cc.path_in_schema, cc.physical_type, cc.num_values, cc.compression,
                        cc.encodings, cc.data_page_offset, cc.dictionary_page_offset,
                        cc.total_compressed_size, cc.total_uncompressed_size,
                        cc.has_offset_index, cc.has_column_index,
                        stats and (stats.null_count, stats.distinct_count, stats.has_min_max,
                                   stats.min_raw if stats.has_min_max else None,
                                   stats.max_raw if stats.has_min_max else None)))
    return out


def check_pages(file_bytes, column, chunk, rg_rows, leaf, config, where):
    meta = column["meta_data"]
    pages = chunk["pages"]
    _, _, max_def, max_rep = leaf
    eq(sum(p["header_size"] + p["header"]["compressed_page_size"] for p in pages),
       meta["total_compressed_size"], f"{where}: pages' compressed bytes")
    eq(sum(p["header_size"] + p["header"]["uncompressed_page_size"] for p in pages),
       meta["total_uncompressed_size"], f"{where}: pages' uncompressed bytes")
    has_dictionary = "dictionary_page_offset" in meta
    eq(pages[0]["header"]["type"] == "DICTIONARY_PAGE", has_dictionary,
       f"{where}: first page is the dictionary")
    data_pages = [p for p in pages if p["header"]["type"] != "DICTIONARY_PAGE"]
    eq(data_pages[0]["offset"], meta["data_page_offset"], f"{where}: first data page offset")
    page_type = "DATA_PAGE_V2" if config.get("data_page_version") == "2.0" else "DATA_PAGE"
    eq({p["header"]["type"] for p in data_pages}, {page_type}, f"{where}: data page types")
    key = "data_page_header_v2" if page_type == "DATA_PAGE_V2" else "data_page_header"
    eq(sum(p["header"][key]["num_values"] for p in data_pages), meta["num_values"],
       f"{where}: pages' num_values")
    for p in data_pages:
        eq(p["header"][key]["encoding"] in meta["encodings"], True,
           f"{where}: page encoding {p['header'][key]['encoding']} listed")
    if page_type == "DATA_PAGE_V2":
        eq(sum(p["header"][key]["num_rows"] for p in data_pages), rg_rows, f"{where}: num_rows")
        for p in data_pages:
            v2 = p["header"][key]
            check(v2["definition_levels_byte_length"] + v2["repetition_levels_byte_length"]
                  <= p["header"]["compressed_page_size"], f"{where}: v2 level lengths")
        stats = meta.get("statistics", {})
        if max_rep == 0 and max_def <= 1 and "null_count" in stats:
            eq(sum(p["header"][key]["num_nulls"] for p in data_pages), stats["null_count"],
               f"{where}: num_nulls")
    if config.get("write_page_checksum"):
        for p in pages:
            start = p["offset"] + p["header_size"]
            body = file_bytes[start:start + p["header"]["compressed_page_size"]]
            crc = zlib.crc32(body)
            eq(p["header"].get("crc"), crc - 2**32 if crc >= 2**31 else crc,
               f"{where}: crc of page at {p['offset']}")


def check_pyarrow_file(name, config, directory):
    path = os.path.join(directory, name + ".parquet")
    table = make_table(3000)
    pq.write_table(table, path, **config)
    dump = tool("dump", path)
    ours = dump["metadata"]
    pf = pq.ParquetFile(path)
    theirs = pf.metadata
    what = name

    check(dump["reserialized_equal"], f"{what}: Parse(Serialize(metadata)) != metadata")
    eq(dump["footer_length"], theirs.serialized_size, f"{what}: footer length")
    eq(ours["num_rows"], theirs.num_rows, f"{what}: num_rows")
    eq(ours.get("created_by"), theirs.created_by, f"{what}: created_by")
    eq(ours["version"] == 1, theirs.format_version == "1.0", f"{what}: version")
    kv = {e["key"].encode(): e.get("value", "").encode()
          for e in ours.get("key_value_metadata", [])}
    eq(kv, dict(theirs.metadata or {}), f"{what}: key_value_metadata")
    eq(len(ours["row_groups"]), theirs.num_row_groups, f"{what}: row groups")
    leaves = [t for t in schema_tree(ours["schema"]) if "num_children" not in t[1]]
    eq(len(ours.get("column_orders", [])), len(leaves), f"{what}: column orders")

    compare_leaves_with_pyarrow(pf, ours["schema"], what)
    compare_schema_with_duckdb(path, ours["schema"], what)
    ids = {}
    for field in table.schema:
        ids.update(arrow_field_ids(field, (field.name,)))
    for p, element, _, _ in schema_tree(ours["schema"]):
        eq(element.get("field_id"), ids.get(p), f"{what}: field id of {'.'.join(p)}")

    file_bytes = open(path, "rb").read()
    for g, (row_group, chunks) in enumerate(zip(ours["row_groups"], dump["chunks"])):
        rg = theirs.row_group(g)
        eq((row_group["num_rows"], row_group["total_byte_size"], len(row_group["columns"])),
           (rg.num_rows, rg.total_byte_size, rg.num_columns), f"{what}: row group {g}")
        for c, (column, chunk) in enumerate(zip(row_group["columns"], chunks)):
            cc = rg.column(c)
            meta = column["meta_data"]
            where = f"{what}: row group {g} column {cc.path_in_schema}"
            eq(".".join(meta["path_in_schema"]), cc.path_in_schema, f"{where}: path")
            eq(column["file_offset"], cc.file_offset, f"{where}: file_offset")
            eq(column.get("file_path", ""), cc.file_path or "", f"{where}: file_path")
            eq(meta["type"], cc.physical_type, f"{where}: physical type")
            eq(meta["num_values"], cc.num_values, f"{where}: num_values")
            eq(PYARROW_CODEC_NAMES.get(meta["codec"], meta["codec"]), cc.compression,
               f"{where}: codec")
            eq(sorted(meta["encodings"]), sorted(cc.encodings), f"{where}: encodings")
            eq(meta["data_page_offset"], cc.data_page_offset, f"{where}: data_page_offset")
            eq("dictionary_page_offset" in meta, cc.has_dictionary_page, f"{where}: has dict")
            if cc.has_dictionary_page:
                eq(meta["dictionary_page_offset"], cc.dictionary_page_offset,
                   f"{where}: dictionary_page_offset")
            eq(meta["total_compressed_size"], cc.total_compressed_size, f"{where}: compressed")
            eq(meta["total_uncompressed_size"], cc.total_uncompressed_size,
               f"{where}: uncompressed")
            eq("offset_index_offset" in column, cc.has_offset_index, f"{where}: offset index")
            eq("column_index_offset" in column, cc.has_column_index, f"{where}: column index")
            compare_statistics(meta.get("statistics"),
                               cc.statistics if cc.is_stats_set else None, meta["type"], where)
            check_pages(file_bytes, column, chunk, row_group["num_rows"], leaves[c], config,
                        where)
            if cc.path_in_schema == "s_dict" and cc.has_dictionary_page:
                start = sum(theirs.row_group(i).num_rows for i in range(g))
                values = table.column("s_dict").slice(start, rg.num_rows).to_pylist()
                eq(chunk["pages"][0]["header"]["dictionary_page_header"]["num_values"],
                   len({v for v in values if v is not None}), f"{where}: dictionary size")

    # Our footer in place of pyarrow's: both referees must read the same data.
    rewritten = os.path.join(directory, name + ".ours.parquet")
    tool("rewrite", path, rewritten)
    check(pq.read_table(rewritten).equals(pq.read_table(path)),
          f"{what}: pyarrow reads other data with our footer")
    for i, (a, b) in enumerate(zip(pyarrow_summary(pq.ParquetFile(rewritten)),
                                   pyarrow_summary(pf))):
        eq(a, b, f"{what}: pyarrow metadata item {i} with our footer")
    query = "SELECT COLUMNS(*)::VARCHAR FROM read_parquet('{}')"
    eq(duckdb.sql(query.format(rewritten)).fetchall(), duckdb.sql(query.format(path)).fetchall(),
       f"{what}: DuckDB reads other data with our footer")


# --- (b) a file our Serialize writes -------------------------------------------------------


def leaf(name, type_, field_id, logical=None, converted=None, repetition="OPTIONAL", **extra):
    element = {"name": name, "type": type_, "repetition_type": repetition, "field_id": field_id}
    if logical is not None:
        element["logical_type"] = logical
    if converted is not None:
        element["converted_type"] = converted
    element.update(extra)
    return element


def group(name, children, field_id, logical=None, converted=None, repetition="OPTIONAL"):
    element = {"name": name, "repetition_type": repetition, "num_children": children,
               "field_id": field_id}
    if logical is not None:
        element["logical_type"] = {"kind": logical}
    if converted is not None:
        element["converted_type"] = converted
    return element


def time_type(kind, unit, utc):
    return {"kind": kind, "unit": unit, "is_adjusted_to_utc": utc}


def decimal_leaf(name, type_, field_id, precision, scale, **extra):
    return leaf(name, type_, field_id, {"kind": "DECIMAL", "precision": precision,
                                        "scale": scale}, "DECIMAL", precision=precision,
                scale=scale, **extra)


def every_logical_type_schema():
    leaves = [
        leaf("string", "BYTE_ARRAY", 1, {"kind": "STRING"}, "UTF8"),
        leaf("enum", "BYTE_ARRAY", 2, {"kind": "ENUM"}, "ENUM"),
        decimal_leaf("dec_i32", "INT32", 3, 9, 2),
        decimal_leaf("dec_i64", "INT64", 4, 18, 0),
        decimal_leaf("dec_flba", "FIXED_LEN_BYTE_ARRAY", 5, 38, 10, type_length=16),
        decimal_leaf("dec_bytes", "BYTE_ARRAY", 6, 50, 5),
        leaf("date", "INT32", 7, {"kind": "DATE"}, "DATE"),
        leaf("time_ms", "INT32", 8, time_type("TIME", "MILLIS", True), "TIME_MILLIS"),
        leaf("time_us", "INT64", 9, time_type("TIME", "MICROS", True), "TIME_MICROS"),
        leaf("time_ns", "INT64", 10, time_type("TIME", "NANOS", True)),
        leaf("time_us_local", "INT64", 11, time_type("TIME", "MICROS", False)),
        leaf("ts_ms", "INT64", 12, time_type("TIMESTAMP", "MILLIS", True), "TIMESTAMP_MILLIS"),
        leaf("ts_us", "INT64", 13, time_type("TIMESTAMP", "MICROS", True), "TIMESTAMP_MICROS"),
        leaf("ts_ns", "INT64", 14, time_type("TIMESTAMP", "NANOS", True)),
        leaf("ts_ms_local", "INT64", 15, time_type("TIMESTAMP", "MILLIS", False)),
        leaf("ts_ns_local", "INT64", 16, time_type("TIMESTAMP", "NANOS", False)),
    ]
    field_id = 17
    for bits in (8, 16, 32, 64):
        for signed in (True, False):
            leaves.append(leaf(f"{'' if signed else 'u'}int{bits}",
                               "INT64" if bits == 64 else "INT32", field_id,
                               {"kind": "INTEGER", "bit_width": bits, "is_signed": signed},
                               f"{'' if signed else 'U'}INT_{bits}"))
            field_id += 1
    leaves += [
        leaf("null", "INT32", 30, {"kind": "UNKNOWN"}),
        leaf("json", "BYTE_ARRAY", 31, {"kind": "JSON"}, "JSON"),
        leaf("bson", "BYTE_ARRAY", 32, {"kind": "BSON"}),  # DuckDB rejects converted BSON
        leaf("uuid", "FIXED_LEN_BYTE_ARRAY", 33, {"kind": "UUID"}, type_length=16),
        leaf("float16", "FIXED_LEN_BYTE_ARRAY", 34, {"kind": "FLOAT16"}, type_length=2),
        leaf("legacy_utf8", "BYTE_ARRAY", 35, None, "UTF8"),
        leaf("plain_double", "DOUBLE", 36, repetition="REQUIRED"),
        leaf("plain_bool", "BOOLEAN", 37),
        leaf("plain_float", "FLOAT", 38),
        leaf("plain_bytes", "BYTE_ARRAY", 39),
    ]
    nested = [
        group("tags", 1, 40, "LIST", "LIST"),
        group("list", 1, 41, repetition="REPEATED"),
        leaf("element", "BYTE_ARRAY", 42, {"kind": "STRING"}, "UTF8"),
        group("attrs", 1, 43, "MAP", "MAP"),
        group("key_value", 2, 44, repetition="REPEATED"),
        leaf("key", "BYTE_ARRAY", 45, {"kind": "STRING"}, "UTF8", repetition="REQUIRED"),
        leaf("value", "INT64", 46, {"kind": "INTEGER", "bit_width": 64, "is_signed": True},
             "INT_64"),
        group("address", 2, 47),
        leaf("street", "BYTE_ARRAY", 48, {"kind": "STRING"}, "UTF8"),
        leaf("zip", "INT32", 49, repetition="REQUIRED"),
        group("points", 1, 50, "LIST", "LIST"),
        group("list", 1, 51, repetition="REPEATED"),
        group("element", 2, 52),
        leaf("x", "DOUBLE", 53),
        leaf("y", "DOUBLE", 54),
    ]
    root = {"name": "schema", "num_children": len(leaves) + 4}  # and tags, attrs, address, points
    return [root] + leaves + nested


def check_our_file(directory):
    what = "ours"
    spec = {
        "version": 1,
        "num_rows": 0,
        "schema": every_logical_type_schema(),
        "row_groups": [],
        "key_value_metadata": [{"key": "cqlbulk.writer", "value": "format test"},
                               {"key": "empty", "value": ""}, {"key": "unicode", "value": "é✓"}],
        "created_by": "cqlbulk version 0.0.0 (build test)",
    }
    leaves = [t for t in schema_tree(spec["schema"]) if "num_children" not in t[1]]
    spec["column_orders"] = ["TYPE_ORDER"] * len(leaves)
    spec_path = os.path.join(directory, "spec.json")
    path = os.path.join(directory, "ours.parquet")
    with open(spec_path, "w") as f:
        json.dump(spec, f)

    parsed_back = tool("write", spec_path, path)

    eq(parsed_back, spec, f"{what}: Parse(Serialize(spec))")
    raw = open(path, "rb").read()
    eq((raw[:4], raw[-4:]), (b"PAR1", b"PAR1"), f"{what}: magic")
    pf = pq.ParquetFile(path)
    eq(pf.metadata.num_rows, 0, f"{what}: num_rows")
    eq(pf.metadata.num_row_groups, 0, f"{what}: row groups")
    eq(pf.metadata.created_by, spec["created_by"], f"{what}: created_by")
    eq(pf.metadata.format_version, "1.0", f"{what}: format version")
    eq(dict(pf.metadata.metadata), {e["key"].encode(): e["value"].encode()
                                    for e in spec["key_value_metadata"]},
       f"{what}: key_value_metadata")
    compare_leaves_with_pyarrow(pf, spec["schema"], what)
    compare_schema_with_duckdb(path, spec["schema"], what)
    kv = duckdb.sql(f"SELECT key, value FROM parquet_kv_metadata('{path}')").fetchall()
    eq(sorted(kv), sorted((e["key"].encode(), e["value"].encode())
                          for e in spec["key_value_metadata"]), f"{what}: DuckDB kv metadata")

    # The Arrow schema pyarrow makes of it: types, nesting and field ids.
    arrow = pq.read_table(path).schema
    if os.environ.get("VERBOSE"):
        print(arrow)
    expected_arrow = {
        "string": pa.string(), "dec_i32": pa.decimal128(9, 2), "dec_i64": pa.decimal128(18, 0),
        "dec_flba": pa.decimal128(38, 10), "dec_bytes": pa.decimal256(50, 5),
        "date": pa.date32(), "time_ms": pa.time32("ms"), "time_us": pa.time64("us"),
        "time_ns": pa.time64("ns"), "ts_ms": pa.timestamp("ms", tz="UTC"),
        "ts_us": pa.timestamp("us", tz="UTC"), "ts_ns": pa.timestamp("ns", tz="UTC"),
        "ts_ms_local": pa.timestamp("ms"), "ts_ns_local": pa.timestamp("ns"),
        "int8": pa.int8(), "uint8": pa.uint8(), "int16": pa.int16(), "uint16": pa.uint16(),
        "int32": pa.int32(), "uint32": pa.uint32(), "int64": pa.int64(), "uint64": pa.uint64(),
        "null": pa.null(), "float16": pa.float16(), "legacy_utf8": pa.string(),
        "plain_double": pa.float64(), "plain_bool": pa.bool_(), "plain_float": pa.float32(),
        "plain_bytes": pa.binary(), "enum": pa.binary(), "bson": pa.binary(),
        "time_us_local": pa.time64("us"),
        "points": pa.list_(pa.field("element", pa.struct([("x", pa.float64()),
                                                          ("y", pa.float64())]))),
        "tags": pa.list_(pa.field("element", pa.string())),
        "attrs": pa.map_(pa.string(), pa.int64()),
        "address": pa.struct([pa.field("street", pa.string()),
                              pa.field("zip", pa.int32(), nullable=False)]),
    }
    for name, type_ in expected_arrow.items():
        field = arrow.field(name)
        check(field.type.equals(type_, check_metadata=False),
              f"{what}: pyarrow type of {name}: {field.type}, expected {type_}")
    for name, extension in (("json", "arrow.json"), ("uuid", "arrow.uuid")):
        eq(getattr(arrow.field(name).type, "extension_name", None), extension,
           f"{what}: pyarrow type of {name}")
    eq(arrow.field("plain_double").nullable, False, f"{what}: required column")
    ids = {}
    for field in arrow:
        ids.update(arrow_field_ids(field, (field.name,)))
    for p, element, _, _ in schema_tree(spec["schema"]):
        if p in ids or not p[-1] in ("list", "key_value"):
            eq(ids.get(p), element["field_id"], f"{what}: pyarrow field id of {'.'.join(p)}")


def main():
    with tempfile.TemporaryDirectory() as directory:
        for name, config in CONFIGS.items():
            check_pyarrow_file(name, config, directory)
        check_our_file(directory)
    if failures:
        print(f"{len(failures)} disagreement(s):")
        for failure in failures[:200]:
            print("  " + failure)
        sys.exit(1)
    print(f"ok: {len(CONFIGS)} pyarrow files and our zero-row-group file agree in "
          f"{comparisons} comparisons "
          f"(pyarrow {pa.__version__}, DuckDB {duckdb.__version__})")


if __name__ == "__main__":
    main()
