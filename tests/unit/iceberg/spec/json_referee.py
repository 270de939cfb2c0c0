# SPDX-License-Identifier: Apache-2.0
"""PyIceberg as the referee of spec/json.cc (json_test.cc runs it).

usage: json_referee.py DIR
Reads DIR/ours_schema.json and DIR/ours_spec.json (written by our code for the schema and spec
built below, field for field) and checks that PyIceberg parses them to the same objects; writes
DIR/theirs_schema.json and DIR/theirs_spec.json, PyIceberg's own JSON of them, for our reader.
"""
import sys

from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import (BucketTransform, DayTransform, HourTransform,
                                  IdentityTransform, MonthTransform, TruncateTransform,
                                  VoidTransform, YearTransform)
from pyiceberg.types import (BinaryType, BooleanType, DateType, DecimalType, DoubleType,
                             FixedType, FloatType, IntegerType, ListType, LongType, MapType,
                             NestedField, StringType, StructType, TimestampType,
                             TimestamptzType, TimeType, UUIDType)

# The same schema as EveryType() in json_test.cc.
SCHEMA = Schema(
    NestedField(1, "id", LongType(), required=True, doc="the key"),
    NestedField(2, "flag", BooleanType(), required=False),
    NestedField(3, "i", IntegerType(), required=True),
    NestedField(4, "f", FloatType(), required=False),
    NestedField(5, "d", DoubleType(), required=False),
    NestedField(6, "price", DecimalType(38, 10), required=False),
    NestedField(7, "day", DateType(), required=False),
    NestedField(8, "t", TimeType(), required=False),
    NestedField(9, "ts", TimestampType(), required=False),
    NestedField(10, "tstz", TimestamptzType(), required=False),
    NestedField(11, "name", StringType(), required=False),
    NestedField(12, "u", UUIDType(), required=True),
    NestedField(13, "fx", FixedType(7), required=False),
    NestedField(14, "bin", BinaryType(), required=False),
    NestedField(15, "address", StructType(
        NestedField(16, "street", StringType(), required=False),
        NestedField(17, "tags", ListType(18, StringType(), element_required=True),
                    required=False)), required=False),
    NestedField(19, "prices", MapType(20, StringType(), 21, DecimalType(9, 2),
                                      value_required=False), required=False),
    NestedField(22, "nested", ListType(23, MapType(24, IntegerType(), 25, StructType(
        NestedField(26, "x", DoubleType(), required=True)), value_required=True),
        element_required=False), required=False),
    schema_id=3,
    identifier_field_ids=[1, 3, 12],
)

# The same spec as EverySpec() in json_test.cc.
SPEC = PartitionSpec(
    PartitionField(10, 1000, DayTransform(), "tstz_day"),
    PartitionField(1, 1001, BucketTransform(16), "id_bucket"),
    PartitionField(11, 1002, TruncateTransform(4), "name_trunc"),
    PartitionField(3, 1003, IdentityTransform(), "i"),
    PartitionField(7, 1004, YearTransform(), "day_year"),
    PartitionField(9, 1005, MonthTransform(), "ts_month"),
    PartitionField(10, 1006, HourTransform(), "tstz_hour"),
    PartitionField(2, 1007, VoidTransform(), "flag_null"),
    spec_id=2,
)


def main(directory):
    failures = []
    with open(f"{directory}/ours_schema.json") as f:
        ours = Schema.model_validate_json(f.read())
    if ours != SCHEMA or ours.schema_id != SCHEMA.schema_id or \
            ours.identifier_field_ids != SCHEMA.identifier_field_ids:
        failures.append(f"schema: PyIceberg read\n{ours!r}\nexpected\n{SCHEMA!r}")
    docs = [(f.field_id, f.doc) for f in ours.fields]
    if docs != [(f.field_id, f.doc) for f in SCHEMA.fields]:
        failures.append(f"schema docs: {docs}")
    with open(f"{directory}/ours_spec.json") as f:
        spec = PartitionSpec.model_validate_json(f.read())
    if spec != SPEC or spec.spec_id != SPEC.spec_id:
        failures.append(f"spec: PyIceberg read\n{spec!r}\nexpected\n{SPEC!r}")
    with open(f"{directory}/theirs_schema.json", "w") as f:
        f.write(SCHEMA.model_dump_json(by_alias=True))
    with open(f"{directory}/theirs_spec.json", "w") as f:
        f.write(SPEC.model_dump_json(by_alias=True))
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
