# SPDX-License-Identifier: Apache-2.0
"""PyIceberg as the referee of spec/transform.cc and spec/partition_path.cc (transform_test.cc
runs it).

usage: transform_referee.py DIR
Reads DIR/cases.json, written by transform_test.cc:
  "apply":  [{"transform", "type", "value" (referee_values forms)}]
  "types":  [type strings] and "transforms": [transform strings], for the can_transform matrix
  "paths":  [{"schema", "spec" (our JSON), "values": [[hex of to_bytes or null per field]]}]
Writes DIR/theirs.json with what PyIceberg computes, for the test to compare with ours:
  "apply":  [{"result": hex of to_bytes(result type, value) or null, "human": to_human_string,
              "result_type": str(result type)}]
  "can":    {transform: [can_transform per type]}
  "paths":  [[partition_to_path per tuple]]
  "partition_types": [JSON of spec.partition_type(schema) per path case]
"""
import json
import sys
import uuid

from pyiceberg.conversions import from_bytes, to_bytes
from pyiceberg.partitioning import PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import parse_transform
from pyiceberg.typedef import Record
from pyiceberg.types import FloatType, UUIDType

from referee_values import iceberg_type, python_value


def main(directory):
    with open(f"{directory}/cases.json", encoding="utf-8") as f:
        cases = json.load(f)
    out = {"apply": [], "can": {}, "paths": [], "partition_types": []}
    for case in cases["apply"]:
        source = iceberg_type(case["type"])
        transform = parse_transform(case["transform"])
        value = python_value(case["type"], case["value"])
        if isinstance(source, FloatType) and value is not None:
            value = from_bytes(source, to_bytes(source, value))  # as float32 holds it
        result_type = transform.result_type(source)
        result = transform.transform(source)(value)
        out["apply"].append({
            "result": None if result is None else to_bytes(result_type, result).hex(),
            "human": transform.to_human_string(result_type, result),
            "result_type": str(result_type),
        })
    for name in cases["transforms"]:
        transform = parse_transform(name)
        out["can"][name] = [transform.can_transform(iceberg_type(t)) for t in cases["types"]]
    for case in cases["paths"]:
        schema = Schema.model_validate_json(json.dumps(case["schema"]))
        spec = PartitionSpec.model_validate_json(json.dumps(case["spec"]))
        partition_type = spec.partition_type(schema)
        out["partition_types"].append(json.loads(partition_type.model_dump_json()))
        types = [f.field_type for f in partition_type.fields]
        paths = []
        for values in case["values"]:
            row = []
            for t, v in zip(types, values):
                value = None if v is None else from_bytes(t, bytes.fromhex(v))
                if isinstance(t, UUIDType) and value is not None:
                    value = uuid.UUID(bytes=value)
                row.append(value)
            paths.append(spec.partition_to_path(Record(*row), schema))
        out["paths"].append(paths)
    with open(f"{directory}/theirs.json", "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
