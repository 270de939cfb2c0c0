#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Seeds parquet_metadata_fuzzer's corpus (argv[1]) with footers (mode byte 0x00) and page
headers (0x01, then the page's first bytes) of small files pyarrow writes: flat and nested
columns, statistics, dictionary on and off, data page v1 and v2, a page checksum."""
import io
import os
import struct
import sys

import pyarrow as pa
import pyarrow.parquet as pq

corpus = sys.argv[1]
table = pa.table({
    "i": pa.array([1, None, 3], pa.int32()),
    "s": pa.array(["a", "bb", None]),
    "ts": pa.array([1, 2, 3], pa.timestamp("us", tz="UTC")),
    "d": pa.array([1, 2, 3], pa.decimal128(9, 2)),
    "l": pa.array([[1], [], None], pa.list_(pa.int64())),
    "m": pa.array([[("k", 1)], [], None], pa.map_(pa.string(), pa.int32())),
})
configs = [dict(), dict(use_dictionary=False, data_page_version="2.0", compression="zstd"),
           dict(write_page_checksum=True, store_schema=False, version="1.0")]
for n, config in enumerate(configs):
    sink = io.BytesIO()
    pq.write_table(table, sink, **config)
    data = sink.getvalue()
    (length,) = struct.unpack("<I", data[-8:-4])
    with open(os.path.join(corpus, f"seed_footer_{n}"), "wb") as f:
        f.write(b"\x00" + data[-8 - length:-8])
    metadata = pq.ParquetFile(io.BytesIO(data)).metadata
    for c in range(metadata.num_columns):
        column = metadata.row_group(0).column(c)
        start = column.dictionary_page_offset if column.has_dictionary_page else \
            column.data_page_offset
        with open(os.path.join(corpus, f"seed_page_{n}_{c}"), "wb") as f:
            f.write(b"\x01" + data[start:start + 96])
