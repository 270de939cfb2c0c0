#!/usr/bin/env python3
"""Seeds for block_decompress_fuzzer: valid blocks of every Parquet page codec, each prefixed by
the fuzzer's header (codec byte, 3-byte little-endian output size). Uses pyarrow's codecs when
this Python has pyarrow (scripts/install-referees.sh), else zlib's GZIP alone.
Usage: block_decompress_seeds.py OUTDIR"""
import gzip
import pathlib
import struct
import sys
import zlib

# The fuzzer's codec numbers (kCodecs in block_decompress_fuzzer.cc).
NONE, SNAPPY, GZIP, ZSTD, LZ4_RAW, LZ4_HADOOP, BROTLI = range(7)


def samples():
    rows = b"".join(b"%d,user%d,some text\n" % (i, i % 13) for i in range(600))
    ids = b"".join(struct.pack("<q", 10**12 + i) for i in range(1000))
    return [b"", b"x", rows, ids, bytes(range(256)) * 4]


def blocks(data):
    yield NONE, data
    yield GZIP, gzip.compress(data)
    yield GZIP, zlib.compress(data)
    try:
        import pyarrow as pa
    except ImportError:
        return
    for codec, name in ((SNAPPY, "snappy"), (ZSTD, "zstd"), (LZ4_RAW, "lz4_raw"),
                        (BROTLI, "brotli")):
        yield codec, pa.compress(data, codec=name, asbytes=True)
    raw = pa.compress(data, codec="lz4_raw", asbytes=True)
    yield LZ4_HADOOP, struct.pack(">II", len(data), len(raw)) + raw
    yield LZ4_HADOOP, raw


def main(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for data in samples():
        for codec, block in blocks(data):
            header = bytes([codec]) + len(data).to_bytes(3, "little")
            (out / f"seed_{n:03d}").write_bytes(header + block)
            n += 1
    print(f"{n} seeds in {out}")


if __name__ == "__main__":
    main(sys.argv[1])
