#!/usr/bin/env python3
"""pyarrow's own codecs referee Parquet's page codecs, both ways (block_codec_interop_test.cc).

For each DIR/<codec>.<level>.<case>.plain (level: a number or "default"):
  - writes <...>.theirs, the plain bytes compressed by pyarrow at that level;
  - checks that <...>.ours, our compression of them, decompresses with pyarrow to exactly them;
  - for gzip, also writes <...>.zlib (zlib's format, RFC 1950) and <...>.members (two gzip
    members) with Python's zlib and gzip, which a Parquet GZIP reader accepts too.
Codec "lz4_hadoop" is Parquet's deprecated LZ4: Hadoop's framing ([4-byte big-endian
uncompressed size][4-byte big-endian compressed size][LZ4 block]) around pyarrow's lz4_raw,
since pyarrow.compress's "lz4" is the LZ4 frame format and pyarrow's Parquet writer writes
LZ4_RAW for compression='lz4'. Exits 1 after listing every mismatch.
"""
import gzip
import pathlib
import struct
import sys
import zlib

import pyarrow as pa


def compress(codec, level, data):
    if codec == "lz4_hadoop":
        raw = compress("lz4_raw", level, data)
        return struct.pack(">II", len(data), len(raw)) + raw
    kwargs = {} if level == "default" else {"compression_level": int(level)}
    return pa.Codec(codec, **kwargs).compress(data, asbytes=True)


def decompress(codec, data, size):
    if codec == "lz4_hadoop":
        if len(data) < 8:
            raise ValueError("shorter than a Hadoop frame header")
        raw_size, packed_size = struct.unpack(">II", data[:8])
        if raw_size != size or packed_size != len(data) - 8:
            raise ValueError(f"Hadoop frame header says {raw_size}/{packed_size}, "
                             f"expected {size}/{len(data) - 8}")
        return pa.decompress(data[8:], decompressed_size=size, codec="lz4_raw", asbytes=True)
    return pa.decompress(data, decompressed_size=size, codec=codec, asbytes=True)


def main(directory):
    failures = []
    plains = sorted(pathlib.Path(directory).glob("*.plain"))
    if not plains:
        failures.append(f"no .plain files in {directory}")
    for plain in plains:
        codec, level, _case = plain.name.split(".")[:3]
        data = plain.read_bytes()
        plain.with_suffix(".theirs").write_bytes(compress(codec, level, data))
        if codec == "gzip":
            plain.with_suffix(".zlib").write_bytes(zlib.compress(data))
            half = len(data) // 2
            plain.with_suffix(".members").write_bytes(
                gzip.compress(data[:half]) + gzip.compress(data[half:]))
        ours = plain.with_suffix(".ours")
        if not ours.exists():
            failures.append(f"{ours.name}: missing")
            continue
        try:
            back = decompress(codec, ours.read_bytes(), len(data))
        except Exception as e:  # pyarrow raises OSError, ValueError, ArrowInvalid...
            failures.append(f"{ours.name}: pyarrow cannot decompress it: {e}")
            continue
        if back != data:
            failures.append(f"{ours.name}: pyarrow decompresses it to other bytes")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"pyarrow {pa.__version__}: {len(plains)} blocks, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
