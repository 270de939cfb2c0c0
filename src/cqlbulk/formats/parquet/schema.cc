// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/schema.h"

#include <algorithm>
#include <string>
#include <utility>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::formats::parquet {
namespace {

using data::Field;
using data::LogicalType;
using data::TypeKind;

LogicalTypeAnnotation Annotation(LogicalTypeAnnotation::Kind kind) {
  LogicalTypeAnnotation a;
  a.kind = kind;
  return a;
}

LogicalTypeAnnotation IntegerAnnotation(int8_t bits) {
  LogicalTypeAnnotation a = Annotation(LogicalTypeAnnotation::Kind::kInteger);
  a.bit_width = bits;
  a.is_signed = true;
  return a;
}

LogicalTypeAnnotation TimeAnnotation(LogicalTypeAnnotation::Kind kind, TimeUnit unit,
                                     bool utc) {
  LogicalTypeAnnotation a = Annotation(kind);
  a.unit = unit;
  a.is_adjusted_to_utc = utc;
  return a;
}

/// Bytes of the smallest two's-complement FIXED_LEN_BYTE_ARRAY that holds `precision` digits.
int32_t DecimalBytes(int32_t precision) {
  int32_t bytes = 1;
  // 10^precision - 1 < 2^(8 * bytes - 1)
  while (static_cast<double>(8 * bytes - 1) * 0.30102999566398120 < precision) ++bytes;
  return bytes;
}

class Builder {
 public:
  Builder(ParquetSchema& out, const TypeMapping& mapping, int32_t next_id)
      : out_(out), mapping_(mapping), next_id_(next_id) {}

  /// Adds the elements of `field` below the current group; returns its node.
  Result<SchemaNode> Add(const Field& field, std::vector<std::string>& path, int16_t parent_def,
                         int16_t parent_rep, bool force_required = false) {
    if (field.name.empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   "parquet: a field under '" + DottedPath(path) + "' has an empty name");
    }
    const LogicalType& type = *field.type;
    SchemaNode node;
    node.optional = field.nullable && !force_required;
    node.definition_level = static_cast<int16_t>(parent_def + (node.optional ? 1 : 0));
    node.repetition_level = parent_rep;
    path.push_back(field.name);
    SchemaElement element;
    element.name = field.name;
    element.repetition_type = node.optional ? Repetition::kOptional : Repetition::kRequired;
    element.field_id = field.field_id ? *field.field_id : next_id_++;
    size_t index = out_.elements.size();
    out_.elements.push_back(element);

    switch (type.kind()) {
      case TypeKind::kStruct: {
        node.kind = SchemaNode::Kind::kStruct;
        if (type.fields().empty()) {
          return Error(ErrorCode::kInvalidArgument,
                       "parquet: struct '" + DottedPath(path) + "' has no fields");
        }
        for (const Field& child : type.fields()) {
          CQLBULK_ASSIGN_OR_RETURN(SchemaNode c, Add(child, path, node.definition_level,
                                                     node.repetition_level));
          node.children.push_back(std::move(c));
        }
        out_.elements[index].num_children = static_cast<int32_t>(type.fields().size());
        break;
      }
      case TypeKind::kList:
      case TypeKind::kSet:
      case TypeKind::kVector: {
        node.kind = SchemaNode::Kind::kList;
        out_.elements[index].num_children = 1;
        out_.elements[index].converted_type = ConvertedType::kList;
        out_.elements[index].logical_type = Annotation(LogicalTypeAnnotation::Kind::kList);
        AddRepeatedGroup("list", 1, path);
        CQLBULK_ASSIGN_OR_RETURN(
            SchemaNode element_node,
            Add(Renamed(type.element(), "element"), path,
                static_cast<int16_t>(node.definition_level + 1),
                static_cast<int16_t>(node.repetition_level + 1)));
        path.pop_back();
        node.children.push_back(std::move(element_node));
        break;
      }
      case TypeKind::kMap: {
        node.kind = SchemaNode::Kind::kMap;
        out_.elements[index].num_children = 1;
        out_.elements[index].converted_type = ConvertedType::kMap;
        out_.elements[index].logical_type = Annotation(LogicalTypeAnnotation::Kind::kMap);
        AddRepeatedGroup("key_value", 2, path);
        auto entry_def = static_cast<int16_t>(node.definition_level + 1);
        auto entry_rep = static_cast<int16_t>(node.repetition_level + 1);
        CQLBULK_ASSIGN_OR_RETURN(SchemaNode key, Add(Renamed(type.key(), "key"), path, entry_def,
                                                     entry_rep, /*force_required=*/true));
        CQLBULK_ASSIGN_OR_RETURN(SchemaNode value,
                                 Add(Renamed(type.value(), "value"), path, entry_def, entry_rep));
        path.pop_back();
        node.children.push_back(std::move(key));
        node.children.push_back(std::move(value));
        break;
      }
      case TypeKind::kDuration: {
        node.kind = SchemaNode::Kind::kDuration;
        out_.elements[index].num_children = 3;
        node.leaf = out_.leaves.size();
        AddDurationPart("months", PhysicalType::kInt32, LeafForm::kDurationMonths, node, path);
        AddDurationPart("days", PhysicalType::kInt32, LeafForm::kDurationDays, node, path);
        AddDurationPart("nanoseconds", PhysicalType::kInt64, LeafForm::kDurationNanos, node,
                        path);
        break;
      }
      default: {
        node.kind = SchemaNode::Kind::kLeaf;
        node.leaf = out_.leaves.size();
        LeafColumn leaf;
        leaf.path = path;
        leaf.max_definition_level = node.definition_level;
        leaf.max_repetition_level = node.repetition_level;
        leaf.element = index;
        CQLBULK_RETURN_IF_ERROR(SetPrimitive(type, out_.elements[index], leaf));
        out_.leaves.push_back(std::move(leaf));
        break;
      }
    }
    path.pop_back();
    return node;
  }

 private:
  static Field Renamed(const Field& field, std::string name) {
    Field f = field;
    f.name = std::move(name);
    return f;
  }

  /// The middle level of a LIST or MAP: a repeated group without a field id.
  void AddRepeatedGroup(const char* name, int32_t num_children, std::vector<std::string>& path) {
    SchemaElement group;
    group.name = name;
    group.repetition_type = Repetition::kRepeated;
    group.num_children = num_children;
    if (num_children == 2) group.converted_type = ConvertedType::kMapKeyValue;
    out_.elements.push_back(std::move(group));
    path.push_back(name);
  }

  void AddDurationPart(const char* name, PhysicalType type, LeafForm form,
                       const SchemaNode& node, std::vector<std::string>& path) {
    SchemaElement e;
    e.name = name;
    e.repetition_type = Repetition::kRequired;
    e.type = type;
    e.field_id = next_id_++;
    if (type == PhysicalType::kInt32) {
      e.converted_type = ConvertedType::kInt32;
      e.logical_type = IntegerAnnotation(32);
    } else {
      e.converted_type = ConvertedType::kInt64;
      e.logical_type = IntegerAnnotation(64);
    }
    LeafColumn leaf;
    leaf.path = path;
    leaf.path.push_back(name);
    leaf.physical_type = type;
    leaf.max_definition_level = node.definition_level;
    leaf.max_repetition_level = node.repetition_level;
    leaf.form = form;
    leaf.element = out_.elements.size();
    out_.elements.push_back(std::move(e));
    out_.leaves.push_back(std::move(leaf));
  }

  /// DECIMAL(p, s) as INT32 up to 9 digits, INT64 up to 18, else FIXED_LEN_BYTE_ARRAY of the
  /// fewest bytes (the spec's recommended forms).
  Status SetFixedDecimal(SchemaElement& e, LeafColumn& leaf, int32_t precision, int32_t scale) {
    if (precision <= 9) {
      e.type = PhysicalType::kInt32;
    } else if (precision <= 18) {
      e.type = PhysicalType::kInt64;
    } else {
      e.type = PhysicalType::kFixedLenByteArray;
      e.type_length = DecimalBytes(precision);
      leaf.type_length = *e.type_length;
    }
    e.precision = precision;
    e.scale = scale;
    e.converted_type = ConvertedType::kDecimal;
    e.logical_type = Annotation(LogicalTypeAnnotation::Kind::kDecimal);
    e.logical_type.precision = precision;
    e.logical_type.scale = scale;
    leaf.physical_type = *e.type;
    leaf.form = LeafForm::kDecimalFixed;
    return OkStatus();
  }

  void SetString(SchemaElement& e, LeafColumn& leaf, LeafForm form) {
    e.type = PhysicalType::kByteArray;
    e.converted_type = ConvertedType::kUtf8;
    e.logical_type = Annotation(LogicalTypeAnnotation::Kind::kString);
    leaf.physical_type = PhysicalType::kByteArray;
    leaf.form = form;
    leaf.unsigned_order = true;
  }

  Status SetPrimitive(const LogicalType& type, SchemaElement& e, LeafColumn& leaf) {
    auto set = [&](PhysicalType physical, LeafForm form) {
      e.type = physical;
      leaf.physical_type = physical;
      leaf.form = form;
    };
    switch (type.kind()) {
      case TypeKind::kBoolean:
        set(PhysicalType::kBoolean, LeafForm::kBoolean);
        break;
      case TypeKind::kInt8:
        set(PhysicalType::kInt32, LeafForm::kInt32FromInt8);
        if (!mapping_.plain_small_integers) {
          e.converted_type = ConvertedType::kInt8;
          e.logical_type = IntegerAnnotation(8);
        }
        break;
      case TypeKind::kInt16:
        set(PhysicalType::kInt32, LeafForm::kInt32FromInt16);
        if (!mapping_.plain_small_integers) {
          e.converted_type = ConvertedType::kInt16;
          e.logical_type = IntegerAnnotation(16);
        }
        break;
      case TypeKind::kInt32:
        set(PhysicalType::kInt32, LeafForm::kInt32);
        break;
      case TypeKind::kInt64:
        set(PhysicalType::kInt64, LeafForm::kInt64);
        break;
      case TypeKind::kFloat32:
        set(PhysicalType::kFloat, LeafForm::kFloat);
        break;
      case TypeKind::kFloat64:
        set(PhysicalType::kDouble, LeafForm::kDouble);
        break;
      case TypeKind::kDecimal:
        if (type.has_fixed_scale()) {
          return SetFixedDecimal(e, leaf, type.precision(), type.scale());
        }
        if (mapping_.decimal_precision) {
          return SetFixedDecimal(e, leaf, *mapping_.decimal_precision, mapping_.decimal_scale);
        }
        SetString(e, leaf, LeafForm::kDecimalText);
        break;
      case TypeKind::kBigInteger:
        if (mapping_.big_integer_as_decimal) return SetFixedDecimal(e, leaf, 38, 0);
        SetString(e, leaf, LeafForm::kBigIntegerText);
        break;
      case TypeKind::kString:
        SetString(e, leaf, LeafForm::kBytes);
        break;
      case TypeKind::kInet:
        SetString(e, leaf, LeafForm::kInetText);
        break;
      case TypeKind::kBinary:
        set(PhysicalType::kByteArray, LeafForm::kBytes);
        leaf.unsigned_order = true;
        break;
      case TypeKind::kUuid:
        set(PhysicalType::kFixedLenByteArray, LeafForm::kUuid);
        e.type_length = 16;
        leaf.type_length = 16;
        leaf.unsigned_order = true;
        e.logical_type = Annotation(LogicalTypeAnnotation::Kind::kUuid);
        break;
      case TypeKind::kDate:
        set(PhysicalType::kInt32, LeafForm::kInt32);
        e.converted_type = ConvertedType::kDate;
        e.logical_type = Annotation(LogicalTypeAnnotation::Kind::kDate);
        break;
      case TypeKind::kTime:
        set(PhysicalType::kInt64, mapping_.time_unit == TimeUnit::kNanos ? LeafForm::kInt64
                                                                          : LeafForm::kInt64Micros);
        if (mapping_.time_unit == TimeUnit::kNanos && mapping_.plain_time_nanos) break;
        e.logical_type =
            TimeAnnotation(LogicalTypeAnnotation::Kind::kTime, mapping_.time_unit, false);
        if (mapping_.time_unit == TimeUnit::kMicros) e.converted_type = ConvertedType::kTimeMicros;
        break;
      case TypeKind::kTimestamp:
        if (mapping_.timestamp_unit == TimeUnit::kMicros) {
          set(PhysicalType::kInt64, LeafForm::kInt64Micros);
          e.converted_type = ConvertedType::kTimestampMicros;
        } else {
          set(PhysicalType::kInt64, LeafForm::kInt64);
          e.converted_type = ConvertedType::kTimestampMillis;
        }
        e.logical_type =
            TimeAnnotation(LogicalTypeAnnotation::Kind::kTimestamp, mapping_.timestamp_unit, true);
        break;
      default:
        return Error(ErrorCode::kInternal,
                     "parquet: no leaf form for " + type.ToString());
    }
    return OkStatus();
  }

  ParquetSchema& out_;
  const TypeMapping& mapping_;
  int32_t next_id_;
};

int32_t MaxFieldId(const std::vector<Field>& fields) {
  int32_t max_id = 0;
  for (const Field& f : fields) {
    if (f.field_id) max_id = std::max(max_id, *f.field_id);
    max_id = std::max(max_id, MaxFieldId(f.type->fields()));
  }
  return max_id;
}

}  // namespace

std::string DottedPath(const std::vector<std::string>& path) {
  std::string s;
  for (const std::string& p : path) {
    if (!s.empty()) s += '.';
    s += p;
  }
  return s;
}

Result<BlockCodec> BlockCodecOf(CompressionCodec codec) {
  switch (codec) {
    case CompressionCodec::kUncompressed: return BlockCodec::kNone;
    case CompressionCodec::kSnappy: return BlockCodec::kSnappy;
    case CompressionCodec::kGzip: return BlockCodec::kGzip;
    case CompressionCodec::kZstd: return BlockCodec::kZstd;
    case CompressionCodec::kLz4Raw: return BlockCodec::kLz4Raw;
    case CompressionCodec::kLz4: return BlockCodec::kLz4Hadoop;
    case CompressionCodec::kBrotli: return BlockCodec::kBrotli;
    default:
      return Error(ErrorCode::kUnimplemented,
                   "the " + std::string(CompressionCodecName(codec)) + " codec is not supported");
  }
}

Result<ParquetSchema> MakeParquetSchema(const data::Schema& schema, const TypeMapping& mapping) {
  if (mapping.decimal_precision &&
      (*mapping.decimal_precision < 1 || *mapping.decimal_precision > 38 ||
       mapping.decimal_scale < 0 || mapping.decimal_scale > *mapping.decimal_precision)) {
    return Error(ErrorCode::kInvalidArgument,
                 "parquet: decimal(" + std::to_string(*mapping.decimal_precision) + ", " +
                     std::to_string(mapping.decimal_scale) +
                     "): the precision must be 1..38 and the scale 0..precision");
  }
  if (mapping.timestamp_unit == TimeUnit::kNanos) {
    return Error(ErrorCode::kInvalidArgument,
                 "parquet: timestamps are written in milliseconds or microseconds");
  }
  if (mapping.time_unit == TimeUnit::kMillis) {
    return Error(ErrorCode::kInvalidArgument,
                 "parquet: times are written in nanoseconds or microseconds");
  }
  ParquetSchema out;
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema.num_fields());
  out.elements.push_back(std::move(root));
  Builder builder(out, mapping, MaxFieldId(schema.fields) + 1);
  std::vector<std::string> path;
  for (const Field& field : schema.fields) {
    CQLBULK_ASSIGN_OR_RETURN(SchemaNode node, builder.Add(field, path, 0, 0));
    out.fields.push_back(std::move(node));
  }
  return out;
}

}  // namespace cqlbulk::formats::parquet
