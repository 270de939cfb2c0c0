#!/usr/bin/env python3
"""The reference figures for bench/parquet_encoding_benchmark: pyarrow (Arrow C++) writing and
reading the same 1M-value columns as one-column Parquet files in memory, single-threaded,
uncompressed, without statistics, one encoding each. This is Arrow's whole column writer and
reader (levels, page headers, footer included), so it is an upper bound on Arrow's encoding
cost; the column of the same name in parquet_encoding_benchmark times the encoding alone.

Usage: /root/.cache/cqlbulk/referees/venv/bin/python bench/parquet_encoding_pyarrow.py
"""
import io
import random
import time

import pyarrow as pa
import pyarrow.parquet as pq

N = 1 << 20


def columns():
    rng = random.Random(1)
    ids = pa.array(range(1_000_000_000, 1_000_000_000 + N), pa.int64())
    t = 1_700_000_000_000
    stamps = []
    for _ in range(N):
        t += rng.randrange(2000)
        stamps.append(t)
    words = ["pending", "shipped", "delivered", "cancelled", "returned", "on-hold",
             "processing", "refunded"]
    low = [f"{words[rng.randrange(8)]}/eu-{rng.randrange(6)}" for _ in range(N)]
    s20 = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(20)) for _ in range(N)]
    doubles = [rng.uniform(-1000, 1000) for _ in range(N)]
    low_doubles = [((i * 7919) % 1000) * 0.25 for i in range(N)]
    levels = pa.array([None if rng.randrange(10) == 0 else 1 for _ in range(N)], pa.int8())
    return {
        "ids": ids, "timestamps": pa.array(stamps, pa.int64()),
        "doubles": pa.array(doubles, pa.float64()), "low_doubles": pa.array(low_doubles),
        "lowcard_strings": pa.array(low, pa.binary()), "strings20": pa.array(s20, pa.binary()),
        "nullable_int8": levels,
    }


CASES = [
    ("PlainIds", "ids", "PLAIN"), ("DeltaIds", "ids", "DELTA_BINARY_PACKED"),
    ("DictIds", "ids", "DICT"), ("DeltaTimestamps", "timestamps", "DELTA_BINARY_PACKED"),
    ("PlainDoubles", "doubles", "PLAIN"), ("ByteStreamSplitDoubles", "doubles", "BYTE_STREAM_SPLIT"),
    ("DictLowCardDoubles", "low_doubles", "DICT"),
    ("PlainLowCardStrings", "lowcard_strings", "PLAIN"),
    ("DictLowCardStrings", "lowcard_strings", "DICT"),
    ("DeltaByteArrayLowCardStrings", "lowcard_strings", "DELTA_BYTE_ARRAY"),
    ("PlainStrings20", "strings20", "PLAIN"), ("DictStrings20", "strings20", "DICT"),
    ("DeltaLengthStrings20", "strings20", "DELTA_LENGTH_BYTE_ARRAY"),
    ("DeltaByteArrayStrings20", "strings20", "DELTA_BYTE_ARRAY"),
    ("Levels10PctNulls (int8 PLAIN)", "nullable_int8", "PLAIN"),
]


def best_of(fn, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main():
    pa.set_cpu_count(1)
    data = columns()
    print(f"pyarrow {pa.__version__}, {N} values, CPU seconds (best of 5)")
    print(f"{'case':34} {'write Mvalues/s':>16} {'read Mvalues/s':>15}")
    for name, column, encoding in CASES:
        table = pa.table({"c": data[column]})
        options = dict(compression="NONE", write_statistics=False, data_page_version="2.0",
                       dictionary_pagesize_limit=1 << 40)
        if encoding == "DICT":
            options["use_dictionary"] = True
        else:
            options["use_dictionary"] = False
            options["column_encoding"] = {"c": encoding}
        sink = io.BytesIO()
        write = lambda: pq.write_table(table, io.BytesIO(), **options)  # noqa: E731
        pq.write_table(table, sink, **options)
        read = lambda: pq.read_table(pa.BufferReader(sink.getvalue()), use_threads=False)  # noqa
        w = best_of(write)
        r = best_of(read)
        print(f"{name:34} {N / w / 1e6:16.0f} {N / r / 1e6:15.0f}")


if __name__ == "__main__":
    main()
