#!/usr/bin/env python3
"""Reads what CsvWriter and JsonWriter write with Python's own csv and json modules and checks
every value against Python's libraries (datetime, decimal, uuid, ipaddress, base64).

Usage: writer_crosscheck.py <formats_writer_test binary>

The rows come from WriterCrossCheckTest in writer_crosscheck_test.cc, run here with
CQLBULK_WRITER_CROSSCHECK_DIR set; `expected(i)` below recomputes row i from the same
formulas (keep the two in step)."""
import base64
import csv
import datetime
import decimal
import io
import ipaddress
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import uuid

ROWS = 300
TEXTS = ["plain", "", "comma, inside", "quote \" inside", "new\nline", "cr\r\nlf", " lead",
         "trail ", "unicode \u00e9 \u20ac \U0001F600", "tab\tx", "back\\slash", "NULL"]
INT64_MIN, INT64_MAX = -2**63, 2**63 - 1
INT32_MIN, INT32_MAX = -2**31, 2**31 - 1
FIELDS = ["id", "big", "flag", "f64", "f32", "text", "blob", "uuid", "date", "ts", "time", "dec",
          "varint", "inet", "dur", "ints", "nested", "point", "pair"]
NAN = object()  # marks a NaN double
EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()


def c_mod(a, b):
    """C's % (truncating) for the formulas shared with C++."""
    return int(math.fmod(a, b))


def iso_year(year):
    if 0 <= year <= 9999:
        return "%04d" % year
    return ("-%04d" if year < 0 else "+%04d") % abs(year)


def civil(days):
    """(year, month, day) of days since 1970-01-01 through datetime and 400-year cycles
    (146097 days each), so that any year works."""
    ordinal = EPOCH_ORDINAL + days
    cycles = (ordinal - 1) // 146097
    date = datetime.date.fromordinal(ordinal - cycles * 146097)
    return date.year + 400 * cycles, date.month, date.day


def date_text(days):
    y, m, d = civil(days)
    return "%s-%02d-%02d" % (iso_year(y), m, d)


def timestamp_text(ms):
    days, ms_of_day = divmod(ms, 86_400_000)
    text = date_text(days) + "T%02d:%02d:%02d" % (ms_of_day // 3_600_000,
                                                  ms_of_day // 60_000 % 60,
                                                  ms_of_day // 1000 % 60)
    if ms_of_day % 1000:
        text += ".%03d" % (ms_of_day % 1000)
    return text + "Z"


def time_text(ns):
    seconds, nanos = divmod(ns, 10**9)
    text = "%02d:%02d:%02d" % (seconds // 3600, seconds // 60 % 60, seconds % 60)
    if nanos:
        digits = "%09d" % nanos
        while digits.endswith("000"):
            digits = digits[:-3]
        text += "." + digits
    return text


def duration_text(months, days, nanos):
    if months == days == nanos == 0:
        return "0s"
    text = "-" if min(months, days, nanos) < 0 else ""
    months, days, nanos = abs(months), abs(days), abs(nanos)
    parts = [(months // 12, "y"), (months % 12, "mo"), (days, "d"),
             (nanos // (3600 * 10**9), "h"), (nanos // (60 * 10**9) % 60, "m"),
             (nanos // 10**9 % 60, "s"), (nanos // 10**6 % 1000, "ms"),
             (nanos // 1000 % 1000, "us"), (nanos % 1000, "ns")]
    return text + "".join("%d%s" % (v, unit) for v, unit in parts if v)


def expected(i):
    """Row i as Python values (None for null)."""
    row = {"id": i * 7919 - 1_000_000}
    row["big"] = INT64_MIN if i == 0 else INT64_MAX if i == 1 else \
        i * 1_000_000_007 * (1 if i % 2 == 0 else -1)
    row["flag"] = i % 3 == 0
    row["f64"] = {1: NAN, 2: math.inf, 3: -math.inf, 4: -0.0, 5: 5e-324,
                  6: None}.get(i % 50, i / 7.0 - 20.0)
    row["f32"] = struct.unpack("<f", struct.pack("<f", i / 3.0))[0]
    if i % 11 == 10:
        row["text"] = None
    else:
        row["text"] = TEXTS[i % len(TEXTS)] + (str(i) if i >= 2 * len(TEXTS) else "")
    row["blob"] = bytes((i + k * 31) % 256 for k in range(i % 7 * 3))
    row["uuid"] = uuid.UUID(bytes=bytes((i * 17 + k * 13) % 256 for k in range(16)))
    row["date"] = INT32_MIN if i == 0 else INT32_MAX if i == 1 else (i - 150) * 40_000
    row["ts"] = INT64_MIN if i == 0 else INT64_MAX if i == 1 else \
        (i - 150) * 123_456_789_012 + i
    row["time"] = i * 987_654_321_987 % 86_400_000_000_000
    unscaled = (i - 150) * 12345
    if unscaled:
        unscaled *= 10 ** (i % 20)
    scale = i % 13 - 4
    sign, digits, _ = decimal.Decimal(unscaled).as_tuple()
    row["dec"] = decimal.Decimal((sign, digits, -scale))
    row["varint"] = (-1) ** i * 3 ** i
    if i % 3 == 0:
        row["inet"] = ipaddress.ip_address(bytes([10, i % 256, i * 7 % 256, 1]))
    elif i % 3 == 1:
        ip = bytearray(16)
        ip[0], ip[1] = 0x20, 0x01
        ip[2 + i % 12] = i % 256
        ip[15] = 1
        row["inet"] = ipaddress.ip_address(bytes(ip))
    else:
        row["inet"] = ipaddress.ip_address(bytes([0] * 10 + [0xff, 0xff, 192, 168, i % 256, 9]))
    sign = -1 if i % 4 == 1 else 1
    row["dur"] = (sign * (i % 30), sign * (i % 9), sign * (i * 123_456_789_123 % 10**14))
    ints = []
    if i % 4 >= 1:
        ints.append(i)
    if i % 4 >= 2:
        ints.append(None if i % 8 < 4 else i * 2)
    if i % 4 >= 3:
        ints.append(-i)
    row["ints"] = ints
    row["nested"] = {} if i % 3 == 0 else {"k%d" % i: [i], "q\"%d" % i: []}
    row["point"] = None if i % 5 == 4 else {"x": i, "label": None if i % 2 else "p%d" % i}
    row["pair"] = [-i, ",\"%d" % i]
    return row


failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        if len(failures) <= 30:
            print("FAIL:", what, file=sys.stderr)


def check_double(text, value, where, json_value=False):
    if value is NAN:
        check(text == "NaN", f"{where}: {text!r} is not NaN")
    elif value in (math.inf, -math.inf):
        check(text == ("Infinity" if value > 0 else "-Infinity"), f"{where}: {text!r}")
    else:
        back = float(text)
        check(back == value and math.copysign(1, back) == math.copysign(1, value),
              f"{where}: {text!r} reads back as {back!r}, not {value!r}")
        # Shortest round trip: the same significant digits as Python's repr.
        check(decimal.Decimal(text).normalize() == decimal.Decimal(repr(value)).normalize(),
              f"{where}: {text!r} is not the shortest text of {value!r}")


def check_scalar_text(name, text, value, where):
    """The text of a non-null scalar, as in a CSV cell (a JSON string's content, or a JSON
    number's raw text)."""
    if name in ("id", "big", "varint"):
        check(int(text) == value, f"{where}: {text!r} != {value}")
    elif name == "flag":
        check(text == ("true" if value else "false"), f"{where}: {text!r}")
    elif name == "f64":
        check_double(text, value, where)
    elif name == "f32":
        back = struct.unpack("<f", struct.pack("<f", float(text)))[0]
        check(back == value, f"{where}: {text!r} reads back as {back!r}, not {value!r}")
    elif name == "text":
        check(text == value, f"{where}: {text!r} != {value!r}")
    elif name == "blob":
        check(base64.b64decode(text, validate=True) == value, f"{where}: {text!r}")
        check(text == base64.b64encode(value).decode(), f"{where}: {text!r} padding")
    elif name == "uuid":
        check(text == str(value), f"{where}: {text!r} != {value}")
    elif name == "date":
        check(text == date_text(value), f"{where}: {text!r} != {date_text(value)!r}")
        y, _, _ = civil(value)
        if 1 <= y <= 9999:
            back = (datetime.date.fromisoformat(text).toordinal() - EPOCH_ORDINAL)
            check(back == value, f"{where}: {text!r} is day {back}, not {value}")
    elif name == "ts":
        check(text == timestamp_text(value), f"{where}: {text!r} != {timestamp_text(value)!r}")
        y, _, _ = civil(value // 86_400_000)
        if 1 <= y <= 9999:
            parsed = datetime.datetime.fromisoformat(text)
            epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
            back = (parsed - epoch) // datetime.timedelta(milliseconds=1)
            check(back == value, f"{where}: {text!r} is {back} ms, not {value}")
    elif name == "time":
        check(text == time_text(value), f"{where}: {text!r} != {time_text(value)!r}")
    elif name == "dec":
        # Java's BigDecimal.toString and Python's Decimal.__str__ both follow the General
        # Decimal Arithmetic to-scientific-string rules.
        check(text == str(value), f"{where}: {text!r} != {str(value)!r}")
        back = decimal.Decimal(text)
        check(back.as_tuple() == value.as_tuple(), f"{where}: {text!r} lost the scale")
    elif name == "inet":
        check(ipaddress.ip_address(text) == value, f"{where}: {text!r} != {value}")
        if value.version == 6 and value.ipv4_mapped is None:
            check(text == str(value), f"{where}: {text!r} is not RFC 5952 ({value})")
        elif value.version == 6:
            check(text == "::ffff:" + str(value.ipv4_mapped), f"{where}: {text!r}")
    elif name == "dur":
        check(text == duration_text(*value), f"{where}: {text!r} != {duration_text(*value)!r}")
    else:
        raise AssertionError(name)


NESTED = ("ints", "nested", "point", "pair")


def fields_quoted(data):
    """Whether each field of each record was quoted (RFC 4180, no other dialect)."""
    records, fields, quoted, i = [], [], False, 0
    at_start = True
    while i < len(data):
        c = data[i]
        if at_start and c == '"':
            quoted, at_start = True, False
            i += 1
            while True:
                if data[i] == '"':
                    if i + 1 < len(data) and data[i + 1] == '"':
                        i += 2
                        continue
                    i += 1
                    break
                i += 1
            continue
        if c in ",\n":
            fields.append(quoted)
            quoted, at_start = False, True
            if c == "\n":
                records.append(fields)
                fields = []
        else:
            at_start = False
        i += 1
    return records


def check_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        data = f.read()
    rows = list(csv.reader(io.StringIO(data, newline="")))
    check(rows[0] == FIELDS, f"csv header {rows[0]}")
    check(len(rows) == ROWS + 1, f"csv: {len(rows) - 1} rows, not {ROWS}")
    quoted = fields_quoted(data)
    for i, cells in enumerate(rows[1:ROWS + 1]):
        row = expected(i)
        check(len(cells) == len(FIELDS), f"csv row {i}: {len(cells)} fields")
        for name, cell, was_quoted in zip(FIELDS, cells, quoted[i + 1]):
            value = row[name]
            where = f"csv row {i} {name}"
            if value is None:
                check(cell == "" and not was_quoted, f"{where}: null written as {cell!r}")
            elif name in NESTED:
                check(json.loads(cell) == value, f"{where}: {cell!r} != {value!r}")
            else:
                if cell == "":
                    check(was_quoted, f"{where}: an empty value is not quoted")
                check_scalar_text(name, cell, value, where)


def check_json(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    check(lines[-1] == "", "json: no final newline")
    lines = lines[:-1]
    check(len(lines) == ROWS, f"json: {len(lines)} lines, not {ROWS}")
    for i, line in enumerate(lines):
        # Numbers as their raw text: exact for decimals, varints and doubles.
        obj = json.loads(line, parse_float=str, parse_int=str)
        plain = json.loads(line)
        row = expected(i)
        check(list(obj) == FIELDS, f"json row {i}: keys {list(obj)}")
        for name in FIELDS:
            value, got = row[name], obj.get(name)
            where = f"json row {i} {name}"
            if value is None:
                check(got is None, f"{where}: {got!r} is not null")
            elif name in NESTED:
                check(plain[name] == value, f"{where}: {plain[name]!r} != {value!r}")
            elif name == "flag":
                check(got is value, f"{where}: {got!r}")
            else:
                number = name in ("id", "big", "varint", "dec") or (
                    name in ("f64", "f32") and value is not NAN and not math.isinf(value))
                check(isinstance(plain[name], str) != number,
                      f"{where}: {got!r} should be a JSON {'number' if number else 'string'}")
                check_scalar_text(name, got, value, where)


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, CQLBULK_WRITER_CROSSCHECK_DIR=tmp)
        subprocess.run([binary, "--gtest_filter=WriterCrossCheckTest.*"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        check_csv(os.path.join(tmp, "rows.csv"))
        check_json(os.path.join(tmp, "rows.jsonl"))
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print(f"ok: {ROWS} rows of {len(FIELDS)} columns read back by csv and json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
