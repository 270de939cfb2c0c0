#!/usr/bin/python3
"""python3-snappy's framing-format stream codec as a filter: -c compresses stdin to stdout, -d
decompresses. Debian's python3-snappy 0.5.3 fails on Python 3.11 in its C CRC-32C
(PY_SSIZE_T_CLEAN), so this replaces that one function with a table-driven CRC-32C in Python;
the framing and the Snappy codec stay python-snappy's."""
import sys

import snappy
import snappy.snappy

_TABLE = []
for _b in range(256):
    _c = _b
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _TABLE.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    table = _TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283
snappy.snappy._crc32c = crc32c

if __name__ == "__main__":
    if sys.argv[1:] == ["-c"]:
        snappy.stream_compress(sys.stdin.buffer, sys.stdout.buffer)
    elif sys.argv[1:] == ["-d"]:
        snappy.stream_decompress(sys.stdin.buffer, sys.stdout.buffer)
    else:
        sys.exit("usage: snappy_tool.py -c|-d < in > out")
