# SPDX-License-Identifier: Apache-2.0
"""Shared by the referee scripts: Iceberg types from our type strings, and Python values from
the JSON forms the tests write (float/double and decimal as text, uuid as text, binary and fixed
as hex, the rest as JSON)."""
import uuid
from decimal import Decimal

from pyiceberg.types import (BinaryType, BooleanType, DateType, DecimalType, DoubleType,
                             FixedType, FloatType, IntegerType, LongType, StringType,
                             TimestampType, TimestamptzType, TimeType, UUIDType)

SIMPLE = {"boolean": BooleanType(), "int": IntegerType(), "long": LongType(),
          "float": FloatType(), "double": DoubleType(), "date": DateType(), "time": TimeType(),
          "timestamp": TimestampType(), "timestamptz": TimestamptzType(),
          "string": StringType(), "uuid": UUIDType(), "binary": BinaryType()}


def iceberg_type(name):
    if name in SIMPLE:
        return SIMPLE[name]
    if name.startswith("decimal("):
        p, s = name[8:-1].split(",")
        return DecimalType(int(p), int(s))
    if name.startswith("fixed["):
        return FixedType(int(name[6:-1]))
    raise ValueError(name)


def python_value(name, value):
    if value is None:
        return None
    if name in ("float", "double"):
        return float(value)
    if name.startswith("decimal("):
        return Decimal(value)
    if name == "uuid":
        return uuid.UUID(value)
    if name == "binary" or name.startswith("fixed["):
        return bytes.fromhex(value)
    return value
