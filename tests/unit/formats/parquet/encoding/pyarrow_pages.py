#!/usr/bin/env python3
"""Writes Parquet files with pyarrow, one column each, for every (physical type, encoding, data
page version) the encodings cover, and more with DuckDB's writer, and cuts each page's sections
out for the C++ decoders; the values expected are what pyarrow reads back from each file.

Usage: pyarrow_pages.py OUTDIR

For every page it writes OUTDIR/<case>.<n>.levels (the definition levels section: v1 with its
4-byte length, v2 as the page header sizes it; empty for a required column), .values (the
values section), .expect (the page's non-null values as the C++ test compares them: fixed
width little-endian, booleans one byte each, byte arrays as 4-byte length + bytes) and
.deflevels (one byte per level), and a line in OUTDIR/manifest.txt:

  page <case> <n> <physical type> <width> <dict|data> <page version> <encoding> <num values>
       <nullable>

The page header is read with a small Thrift compact protocol reader (thrift-compact-protocol.md)
written here; pyarrow's metadata gives where each column chunk starts and how long it is.
"""
import io
import os
import random
import struct
import sys
import uuid

import pyarrow as pa
import pyarrow.parquet as pq

ROWS = 6000


class Compact:
    """Reads Thrift compact-protocol structs into {field id: value} dicts."""

    def __init__(self, buf, pos):
        self.buf = buf
        self.pos = pos

    def byte(self):
        b = self.buf[self.pos]
        self.pos += 1
        return b

    def varint(self):
        shift = 0
        value = 0
        while True:
            b = self.byte()
            value |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return value

    def zigzag(self):
        v = self.varint()
        return (v >> 1) ^ -(v & 1)

    def value(self, kind):
        if kind in (1, 2):  # bool in a field header
            return kind == 1
        if kind == 3:
            return self.byte()
        if kind in (4, 5, 6):
            return self.zigzag()
        if kind == 7:
            self.pos += 8
            return None
        if kind == 8:
            n = self.varint()
            self.pos += n
            return self.buf[self.pos - n:self.pos]
        if kind in (9, 10):
            header = self.byte()
            size, element = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            return [self.element(element) for _ in range(size)]
        if kind == 11:
            size = self.varint()
            if size == 0:
                return {}
            kinds = self.byte()
            return [(self.element(kinds >> 4), self.element(kinds & 0x0F)) for _ in range(size)]
        if kind == 12:
            return self.struct()
        raise ValueError(f"thrift type {kind}")

    def element(self, kind):
        if kind in (1, 2):  # bool in a list: one byte
            return self.byte() == 1
        return self.value(kind)

    def struct(self):
        fields = {}
        last = 0
        while True:
            header = self.byte()
            if header == 0:
                return fields
            delta, kind = header >> 4, header & 0x0F
            field = last + delta if delta else self.zigzag()
            fields[field] = self.value(kind)
            last = field


def julian(ts_ns):
    # Arrow splits at the day truncating toward zero: before 1970 the nanoseconds of the day
    # are negative (the day one later than a floor division gives).
    day = 86400 * 10**9
    days = abs(ts_ns) // day * (1 if ts_ns >= 0 else -1)
    return struct.pack("<qi", ts_ns - days * day, days + 2440588)


def expected_bytes(physical, values):
    """The non-null values as the C++ test holds them."""
    if physical == "BOOLEAN":
        return bytes(1 if v else 0 for v in values)
    if physical in ("INT32", "INT64", "FLOAT", "DOUBLE"):
        code = {"INT32": "<i", "INT64": "<q", "FLOAT": "<f", "DOUBLE": "<d"}[physical]
        return b"".join(struct.pack(code, v) for v in values)
    if physical == "INT96":
        return b"".join(julian(v) for v in values)
    if physical == "FIXED_LEN_BYTE_ARRAY":
        return b"".join(values)
    return b"".join(struct.pack("<i", len(v)) + v for v in values)


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def ints(rng, low, high, n):
    return [rng.randrange(low, high) for _ in range(n)]


def make_column(kind, rng, nullable):
    n = ROWS
    if kind == "int32":
        values = ints(rng, -2**31, 2**31, n)
        values[100:200] = [(-2**31 if i % 2 else 2**31 - 1) for i in range(100)]
        values[300:1300] = [7 * i for i in range(1000)]
        values[1500:1600] = [42] * 100
        arrow_type = pa.int32()
    elif kind == "int64":
        values = ints(rng, -2**63, 2**63, n)
        values[100:200] = [(-2**63 if i % 2 else 2**63 - 1) for i in range(100)]
        values[300:3300] = [1_700_000_000_000 + 1237 * i + rng.randrange(5) for i in range(3000)]
        arrow_type = pa.int64()
    elif kind == "lowcard":  # int64 that dictionary-encodes well
        values = ints(rng, 0, 40, n)
        arrow_type = pa.int64()
    elif kind == "float":
        values = [f32(rng.gauss(0, 1e6)) for _ in range(n)]
        values[:4] = [float("nan"), -0.0, float("inf"), float("-inf")]
        arrow_type = pa.float32()
    elif kind == "double":
        values = [rng.gauss(0, 1e6) for _ in range(n)]
        values[:5] = [float("nan"), -0.0, 0.0, float("inf"), 5e-324]
        values[1000:2000] = [round(v, 2) for v in values[1000:2000]]
        arrow_type = pa.float64()
    elif kind == "bool":
        values = [rng.random() < 0.5 for _ in range(n)]
        values[2000:3000] = [True] * 1000
        arrow_type = pa.bool_()
    elif kind in ("string", "highcard"):
        words = ["", "alpha", "beta", "gamma", "delta-" * 10, "ünïcödé"]
        values = []
        for i in range(n):
            if kind == "highcard":
                values.append(f"user-{1000000 + i * 13}".encode())
            elif i % 500 == 7:
                values.append(b"L" * (3000 + i))
            elif i % 3:
                values.append(f"prefix/{i // 10}/{i}".encode())
            else:
                values.append(rng.choice(words).encode())
        arrow_type = pa.binary()
    elif kind == "flba":
        values = [rng.randbytes(16) if i % 4 else b"\x01" * 15 + bytes([i % 7]) for i in range(n)]
        arrow_type = pa.binary(16)
    elif kind == "int96":
        values = ints(rng, -2**62 // 1000, 2**62 // 1000, n)
        values[:3] = [0, -1, 86400 * 10**9 - 1]
        arrow_type = pa.timestamp("ns")
    else:
        raise ValueError(kind)
    valid = [True] * n
    if nullable:
        valid = [rng.random() >= 0.1 for _ in range(n)]
        valid[:20] = [False] * 20
        values = [v if ok else None for v, ok in zip(values, valid)]
    arrow = pa.array(values, arrow_type)
    return arrow, values, valid


CASES = [
    ("int32", ["PLAIN", "DELTA_BINARY_PACKED", "BYTE_STREAM_SPLIT", "DICT"]),
    ("int64", ["PLAIN", "DELTA_BINARY_PACKED", "BYTE_STREAM_SPLIT", "DICT"]),
    ("lowcard", ["DICT", "DELTA_BINARY_PACKED"]),
    ("float", ["PLAIN", "BYTE_STREAM_SPLIT", "DICT"]),
    ("double", ["PLAIN", "BYTE_STREAM_SPLIT", "DICT"]),
    ("bool", ["PLAIN", "RLE"]),
    ("string", ["PLAIN", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "DICT"]),
    ("highcard", ["DICT", "DELTA_BYTE_ARRAY"]),
    ("flba", ["PLAIN", "BYTE_STREAM_SPLIT", "DELTA_BYTE_ARRAY", "DICT"]),
    ("int96", ["PLAIN", "DICT"]),
]
NULLABLE = {("int64", "DELTA_BINARY_PACKED"), ("string", "DELTA_BYTE_ARRAY"),
            ("double", "PLAIN"), ("bool", "RLE"), ("string", "DICT"), ("flba", "BYTE_STREAM_SPLIT"),
            ("int32", "DICT")}
# DuckDB's writer (PARQUET_VERSION V2 picks DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and
# BYTE_STREAM_SPLIT; dictionaries where they pay), a second implementation to read.
DUCKDB_KINDS = ["int32", "int64", "lowcard", "float", "double", "bool", "string", "highcard"]


def expected_values(data, duckdb_path=None):
    """The column's values as pyarrow reads them back (or DuckDB, from `duckdb_path`: pyarrow
    refuses DuckDB's INT32 DELTA_BINARY_PACKED pages, whose deltas take 33 bits): (physical,
    width, nullable, values, valid), values in expected_bytes()'s terms."""
    parquet = pq.ParquetFile(io.BytesIO(data), coerce_int96_timestamp_unit="ns")
    column = parquet.metadata.schema.column(0)
    physical = column.physical_type
    width = column.length if physical == "FIXED_LEN_BYTE_ARRAY" else 12 if physical == "INT96" else 0
    if duckdb_path is None:
        array = parquet.read(use_threads=False).column(0)
    else:
        import duckdb  # noqa

        array = duckdb.sql(f"SELECT c FROM '{duckdb_path}'").fetch_arrow_table().column(0)
    if physical == "INT96":
        array = array.cast(pa.int64())
    values = []
    for v in array.to_pylist():
        if isinstance(v, str) and physical == "FIXED_LEN_BYTE_ARRAY":
            v = uuid.UUID(v).bytes  # DuckDB gives its UUIDs back as text
        elif isinstance(v, str):
            v = v.encode()
        elif isinstance(v, uuid.UUID):
            v = v.bytes
        values.append(v)
    valid = [v is not None for v in values]
    return physical, width, column.max_definition_level > 0, values, valid


def cut_pages(outdir, manifest, name, data, duckdb_path=None):
    """Writes each page's sections and expectations; returns the number of pages."""
    physical, width, nullable, values, valid = expected_values(data, duckdb_path)
    column = pq.ParquetFile(io.BytesIO(data)).metadata.row_group(0).column(0)
    start = column.dictionary_page_offset if column.has_dictionary_page else column.data_page_offset
    end = start + column.total_compressed_size
    pos = start
    row = 0
    page = 0
    while pos < end:
        reader = Compact(data, pos)
        header = reader.struct()
        body = data[reader.pos:reader.pos + header[3]]
        pos = reader.pos + header[3]
        page_type = header[1]
        levels = b""
        version = "1.0"
        if page_type == 2:  # DICTIONARY_PAGE
            dictionary = header[7]
            count, encoding_id, role = dictionary[1], dictionary[2], "dict"
            section = body
        elif page_type == 0:  # DATA_PAGE: levels with a 4-byte length, then the values
            v1 = header[5]
            count, encoding_id, role = v1[1], v1[2], "data"
            section = body
            if nullable:
                (length,) = struct.unpack_from("<I", body, 0)
                levels, section = body[:4 + length], body[4 + length:]
        elif page_type == 3:  # DATA_PAGE_V2: the header sizes the levels
            v2 = header[8]
            count, encoding_id, role = v2[1], v2[4], "data"
            rep, dfn = v2[6], v2[5]
            levels = body[rep:rep + dfn]
            section = body[rep + dfn:]
            version = "2.0"
        else:
            raise ValueError(f"page type {page_type}")
        base = f"{name}.{page}"
        with open(os.path.join(outdir, base + ".values"), "wb") as f:
            f.write(section)
        with open(os.path.join(outdir, base + ".levels"), "wb") as f:
            f.write(levels)
        if role == "data":
            page_valid = valid[row:row + count]
            page_values = [v for v, ok in zip(values[row:row + count], page_valid) if ok]
            row += count
            with open(os.path.join(outdir, base + ".expect"), "wb") as f:
                f.write(expected_bytes(physical, page_values))
            with open(os.path.join(outdir, base + ".deflevels"), "wb") as f:
                f.write(bytes(1 if ok else 0 for ok in page_valid))
        manifest.write(f"page {name} {page} {physical} {width} {role} {version} {encoding_id} "
                       f"{count} {1 if nullable else 0}\n")
        page += 1
    assert row == len(values), (name, row)
    return page


def pyarrow_file(kind, encoding, version, nullable, rng):
    arrow, _, _ = make_column(kind, rng, nullable)
    # A required column has no levels: its page body is the values section.
    schema = pa.schema([pa.field("c", arrow.type, nullable=nullable)])
    table = pa.Table.from_arrays([arrow], schema=schema)
    options = dict(compression="NONE", data_page_version=version, data_page_size=8192,
                   write_batch_size=700, row_group_size=ROWS, write_statistics=False)
    if kind == "int96":
        options["use_deprecated_int96_timestamps"] = True
    if encoding == "DICT":
        options["use_dictionary"] = True
        # A dictionary past 4 KiB falls back to PLAIN in the same column chunk.
        options["dictionary_pagesize_limit"] = 4096
    else:
        options["use_dictionary"] = False
        options["column_encoding"] = {"c": encoding}
    sink = io.BytesIO()
    pq.write_table(table, sink, **options)
    return sink.getvalue()


def duckdb_file(kind, version, nullable, rng, outdir):
    import duckdb  # noqa: the referee venv has it

    arrow, _, _ = make_column(kind, rng, nullable)
    if kind in ("string", "highcard"):
        arrow = arrow.cast(pa.string())  # VARCHAR: DuckDB's BYTE_ARRAY
    source = pa.table({"c": arrow})  # noqa: F841 (DuckDB finds it by name)
    path = os.path.join(outdir, "duckdb.parquet")
    duckdb.sql(f"COPY (SELECT c FROM source) TO '{path}' (FORMAT parquet, "
               f"COMPRESSION uncompressed, PARQUET_VERSION {version}, ROW_GROUP_SIZE {ROWS})")
    with open(path, "rb") as f:
        return f.read(), path


def duckdb_uuid_file(outdir):
    import duckdb  # noqa

    path = os.path.join(outdir, "duckdb.parquet")
    duckdb.sql("COPY (SELECT CASE WHEN i % 7 = 3 THEN NULL ELSE ('00000000-0000-4000-8000-' || "
               "lpad((i * 7919)::VARCHAR, 12, '0'))::UUID END AS c FROM range(6000) t(i)) "
               f"TO '{path}' (FORMAT parquet, COMPRESSION uncompressed, PARQUET_VERSION V2)")
    with open(path, "rb") as f:
        return f.read(), path


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(2024)
    pages = 0
    with open(os.path.join(outdir, "manifest.txt"), "w") as manifest:
        for version in ("1.0", "2.0"):
            for kind, encodings in CASES:
                for encoding in encodings:
                    for nullable in (False, True):
                        if nullable and (kind, encoding) not in NULLABLE:
                            continue
                        name = f"{kind}_{encoding}_v{version[0]}{'_null' if nullable else ''}"
                        data = pyarrow_file(kind, encoding, version, nullable, rng)
                        pages += cut_pages(outdir, manifest, name, data)
        for version in ("V1", "V2"):
            for kind in DUCKDB_KINDS:
                for nullable in (False, True):
                    name = f"duckdb_{kind}_{version}{'_null' if nullable else ''}"
                    data, path = duckdb_file(kind, version, nullable, rng, outdir)
                    pages += cut_pages(outdir, manifest, name, data, path)
        data, path = duckdb_uuid_file(outdir)
        pages += cut_pages(outdir, manifest, "duckdb_uuid", data, path)
        os.remove(path)
    import duckdb  # noqa

    print(f"pyarrow {pa.__version__}, duckdb {duckdb.__version__}: {pages} pages in {outdir}")


if __name__ == "__main__":
    main()
