#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes small Parquet files with pyarrow into the corpus folder given: seeds of
parquet_reader_fuzzer (every encoding, codec and page version, nested types, nulls)."""
import decimal
import pathlib
import sys

import pyarrow as pa
import pyarrow.parquet as pq

out = pathlib.Path(sys.argv[1])
table = pa.table({
    "i": pa.array([1, None, 3, 4, 5, 6, None, 8], pa.int32()),
    "l": pa.array([10**12, -1, None, 7, 7, 7, 8, 9], pa.int64()),
    "d": pa.array([0.5, None, 1.5, -2.0, 0.0, 3.25, 1e300, None], pa.float64()),
    "s": pa.array(["a", "bb", None, "", "ccc", "a", "bb", "d"], pa.string()),
    "b": pa.array([True, False, None, True, True, False, True, None], pa.bool_()),
    "ts": pa.array([0, 1, 2, None, 4, 5, 6, 7], pa.timestamp("us")),
    "dec": pa.array([None if i == 2 else decimal.Decimal(i).scaleb(-2) for i in range(8)],
                    pa.decimal128(20, 2)),
    "lst": pa.array([[1, 2], [], None, [None], [3], [4, 5, 6], [], [7]], pa.list_(pa.int32())),
    "m": pa.array([[("k", 1)], [], None, [("a", None)], [("b", 2), ("c", 3)], [], [], [("z", 0)]],
                  pa.map_(pa.string(), pa.int32())),
    "st": pa.array([{"x": 1, "y": "a"}, None, {"x": None, "y": None}, {"x": 2, "y": "b"}] * 2,
                   pa.struct([("x", pa.int16()), ("y", pa.string())])),
})
variants = {
    "plain": dict(use_dictionary=False, compression="none"),
    "dict": dict(compression="none"),
    "snappy": dict(compression="snappy"),
    "zstd_v2": dict(compression="zstd", data_page_version="2.0"),
    "gzip": dict(compression="gzip"),
    "lz4": dict(compression="lz4"),
    "brotli": dict(compression="brotli"),
    "delta": dict(use_dictionary=False, compression="none",
                  column_encoding={"i": "DELTA_BINARY_PACKED", "l": "DELTA_BINARY_PACKED",
                                   "s": "DELTA_BYTE_ARRAY"}),
    "delta_length": dict(use_dictionary=False, compression="none",
                         column_encoding={"s": "DELTA_LENGTH_BYTE_ARRAY"}),
    "split": dict(use_dictionary=False, compression="none",
                  column_encoding={"d": "BYTE_STREAM_SPLIT", "i": "BYTE_STREAM_SPLIT"}),
    "int96": dict(compression="none", use_deprecated_int96_timestamps=True),
    "small_groups": dict(compression="none", row_group_size=3, data_page_size=16),
}
for name, options in variants.items():
    pq.write_table(table, out / f"seed_{name}.parquet", **options)
