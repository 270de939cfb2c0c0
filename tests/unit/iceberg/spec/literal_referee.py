# SPDX-License-Identifier: Apache-2.0
"""PyIceberg as the referee of spec/literal.cc (literal_test.cc runs it).

usage: literal_referee.py DIR
Reads DIR/cases.json, written by literal_test.cc:
  "values":   [{"type", "value" (JSON form below), "ours": hex of our ToBytes}]
  "truncate": [{"type": "string"|"binary", "value", "lower", "upper": our bounds or null}]
Checks our bytes against pyiceberg.conversions.to_bytes and from_bytes, and our bounds against
pyiceberg.utils.truncate (which keeps the code points after the one it increments where Java
drops them: ours must be PyIceberg's cut after that code point). Writes DIR/theirs.json:
  {"to_bytes": [hex per value], "order": {type: [indices of that type's values, sorted]}}
Value forms: float/double as text ("nan", "-0.0"), decimal as text, uuid as text, binary/fixed
as hex, the rest as JSON.
"""
import json
import math
import sys
import uuid

from pyiceberg.conversions import from_bytes, to_bytes
from pyiceberg.utils.truncate import (truncate_upper_bound_binary_string,
                                      truncate_upper_bound_text_string)
from referee_values import iceberg_type, python_value


def sort_key(name, value):
    if name in ("float", "double"):
        # Java's Float.compare: -0 before +0, NaN last.
        return (math.isnan(value), 0.0 if math.isnan(value) else value,
                math.copysign(1.0, value) > 0)
    return value


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or \
            (a == b and math.copysign(1.0, a) == math.copysign(1.0, b))
    return a == b


def check_upper(ours, theirs, prefix):
    """Ours is Java's bound: PyIceberg's with what follows its incremented element dropped."""
    if theirs is None:
        return ours is None
    if len(theirs) < len(prefix) or theirs == prefix:
        return ours == theirs  # nothing was cut
    i = len(theirs) - 1
    while i >= 0 and theirs[i] == prefix[i]:
        i -= 1
    return ours == theirs[:i + 1]


def main(directory):
    with open(f"{directory}/cases.json", encoding="utf-8") as f:
        cases = json.load(f)
    failures = []
    out = {"to_bytes": [], "order": {}}
    for i, case in enumerate(cases["values"]):
        name = case["type"]
        t = iceberg_type(name)
        value = python_value(name, case["value"])
        theirs = to_bytes(t, value)
        out["to_bytes"].append(theirs.hex())
        ours = bytes.fromhex(case["ours"])
        if ours != theirs:
            failures.append(f"{name} {case['value']}: ours {ours.hex()}, PyIceberg {theirs.hex()}")
        back = from_bytes(t, ours)
        if name == "uuid":
            back = uuid.UUID(bytes=back)
        if not same(back, value):
            failures.append(f"{name} {case['value']}: PyIceberg reads ours as {back!r}")
        out["order"].setdefault(name, []).append((sort_key(name, value), i))
    for name, keyed in out["order"].items():
        out["order"][name] = [i for _, i in sorted(keyed, key=lambda k: k[0])]

    for case in cases["truncate"]:
        if case["type"] == "string":
            value, lower, upper = case["value"], case["lower"], case["upper"]
            theirs_upper = truncate_upper_bound_text_string(value, 16)
        else:
            value = bytes.fromhex(case["value"])
            lower = bytes.fromhex(case["lower"])
            upper = None if case["upper"] is None else bytes.fromhex(case["upper"])
            theirs_upper = truncate_upper_bound_binary_string(value, 16)
        if lower != value[:16]:
            failures.append(f"lower bound of {value!r}: ours {lower!r}, expected {value[:16]!r}")
        if not check_upper(upper, theirs_upper, value[:16]):
            failures.append(f"upper bound of {value!r}: ours {upper!r}, PyIceberg {theirs_upper!r}")

    with open(f"{directory}/theirs.json", "w") as f:
        json.dump(out, f)
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
