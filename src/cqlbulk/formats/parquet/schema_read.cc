// SPDX-License-Identifier: Apache-2.0
// The reader's side of schema.h: a file's schema elements to a logical schema.
#include <memory>
#include <string>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/parquet/schema.h"

namespace cqlbulk::formats::parquet {
namespace {

using data::Field;
using data::LogicalType;
using data::LogicalTypePtr;
using Kind = LogicalTypeAnnotation::Kind;

/// The annotation of an element: its LogicalType, else the one its legacy ConvertedType means.
LogicalTypeAnnotation AnnotationOf(const SchemaElement& e) {
  if (e.logical_type.kind != Kind::kNone || !e.converted_type) return e.logical_type;
  switch (*e.converted_type) {
    case ConvertedType::kUtf8:
      return LogicalTypeAnnotation::Of(Kind::kString);
    case ConvertedType::kMap:
    case ConvertedType::kMapKeyValue:
      return LogicalTypeAnnotation::Of(Kind::kMap);
    case ConvertedType::kList:
      return LogicalTypeAnnotation::Of(Kind::kList);
    case ConvertedType::kEnum:
      return LogicalTypeAnnotation::Of(Kind::kEnum);
    case ConvertedType::kDecimal:
      return LogicalTypeAnnotation::Decimal(e.precision.value_or(0), e.scale.value_or(0));
    case ConvertedType::kDate:
      return LogicalTypeAnnotation::Of(Kind::kDate);
    case ConvertedType::kTimeMillis:
      return LogicalTypeAnnotation::Time(true, TimeUnit::kMillis);
    case ConvertedType::kTimeMicros:
      return LogicalTypeAnnotation::Time(true, TimeUnit::kMicros);
    case ConvertedType::kTimestampMillis:
      return LogicalTypeAnnotation::Timestamp(true, TimeUnit::kMillis);
    case ConvertedType::kTimestampMicros:
      return LogicalTypeAnnotation::Timestamp(true, TimeUnit::kMicros);
    case ConvertedType::kUint8:
      return LogicalTypeAnnotation::Integer(8, false);
    case ConvertedType::kUint16:
      return LogicalTypeAnnotation::Integer(16, false);
    case ConvertedType::kUint32:
      return LogicalTypeAnnotation::Integer(32, false);
    case ConvertedType::kUint64:
      return LogicalTypeAnnotation::Integer(64, false);
    case ConvertedType::kInt8:
      return LogicalTypeAnnotation::Integer(8, true);
    case ConvertedType::kInt16:
      return LogicalTypeAnnotation::Integer(16, true);
    case ConvertedType::kInt32:
      return LogicalTypeAnnotation::Integer(32, true);
    case ConvertedType::kInt64:
      return LogicalTypeAnnotation::Integer(64, true);
    case ConvertedType::kJson:
      return LogicalTypeAnnotation::Of(Kind::kJson);
    case ConvertedType::kBson:
      return LogicalTypeAnnotation::Of(Kind::kBson);
    default:
      return e.logical_type;
  }
}

class Reader {
 public:
  Reader(const std::vector<SchemaElement>& elements, ParquetSchema& out)
      : elements_(elements), out_(out) {}

  /// The field at elements_[next_] and its subtree (next_ moves past it).
  Result<std::pair<Field, SchemaNode>> ReadField(std::vector<std::string>& path, int16_t def,
                                                 int16_t rep) {
    if (next_ >= elements_.size()) return Corrupt("the schema ends inside a group");
    size_t index = next_++;
    const SchemaElement& e = elements_[index];
    if (!e.repetition_type) return Corrupt("element '" + e.name + "' has no repetition");
    path.push_back(e.name);
    Field field{e.name, nullptr, true, e.field_id};
    SchemaNode node;
    Repetition repetition = *e.repetition_type;
    if (repetition == Repetition::kRepeated) {
      // A bare repeated field: a required list of it (LogicalTypes.md, backward compatibility).
      node.kind = SchemaNode::Kind::kList;
      node.optional = false;
      node.definition_level = def;
      node.repetition_level = rep;
      CQLBULK_ASSIGN_OR_RETURN(auto element,
                               ReadType(index, path, static_cast<int16_t>(def + 1),
                                        static_cast<int16_t>(rep + 1), /*optional=*/false));
      element.first.name = "element";
      field.nullable = false;
      field.type = LogicalType::List(std::move(element.first));
      node.children.push_back(std::move(element.second));
      path.pop_back();
      return std::pair{std::move(field), std::move(node)};
    }
    bool optional = repetition == Repetition::kOptional;
    auto own_def = static_cast<int16_t>(def + (optional ? 1 : 0));
    CQLBULK_ASSIGN_OR_RETURN(auto typed, ReadType(index, path, own_def, rep, optional));
    typed.first.name = e.name;
    typed.first.field_id = e.field_id;
    path.pop_back();
    return typed;
  }

  Status ReadRoot(data::Schema& schema) {
    if (elements_.empty()) return Corrupt("the schema has no root");
    const SchemaElement& root = elements_[0];
    next_ = 1;
    std::vector<std::string> path;
    for (int32_t i = 0; i < root.num_children.value_or(0); ++i) {
      CQLBULK_ASSIGN_OR_RETURN(auto field, ReadField(path, 0, 0));
      schema.fields.push_back(std::move(field.first));
      out_.fields.push_back(std::move(field.second));
    }
    if (next_ != elements_.size()) {
      return Corrupt("the root's children end at element " + std::to_string(next_) + " of " +
                     std::to_string(elements_.size()));
    }
    return OkStatus();
  }

 private:
  static Error Corrupt(std::string what) {
    return Error(ErrorCode::kCorrupt, "parquet schema: " + std::move(what));
  }


  /// The type of the element at `index` (its children follow at next_), present at `def`.
  Result<std::pair<Field, SchemaNode>> ReadType(size_t index, std::vector<std::string>& path,
                                                int16_t def, int16_t rep, bool optional) {
    const SchemaElement& e = elements_[index];
    SchemaNode node;
    node.optional = optional;
    node.definition_level = def;
    node.repetition_level = rep;
    Field field{e.name, nullptr, optional, e.field_id};
    if (!e.num_children) {
      CQLBULK_ASSIGN_OR_RETURN(field.type, Leaf(index, path, def, rep, node));
      return std::pair{std::move(field), std::move(node)};
    }
    if (*e.num_children <= 0) return Corrupt("group '" + DottedPath(path) + "' has no children");
    LogicalTypeAnnotation a = AnnotationOf(e);
    if (a.kind == Kind::kList && *e.num_children == 1) return List(e, path, std::move(node));
    if (a.kind == Kind::kMap && *e.num_children == 1) return Map(e, path, std::move(node));
    node.kind = SchemaNode::Kind::kStruct;
    std::vector<Field> fields;
    for (int32_t i = 0; i < *e.num_children; ++i) {
      CQLBULK_ASSIGN_OR_RETURN(auto child, ReadField(path, def, rep));
      fields.push_back(std::move(child.first));
      node.children.push_back(std::move(child.second));
    }
    field.type = LogicalType::Struct(std::move(fields));
    return std::pair{std::move(field), std::move(node)};
  }

  /// A LIST group: `<name> (LIST) { repeated <r> }` where <r> is the element itself (a
  /// primitive, a group of several fields, or a group named "array" or "<name>_tuple") or,
  /// in the standard form, a group around the one element field.
  Result<std::pair<Field, SchemaNode>> List(const SchemaElement& e,
                                            std::vector<std::string>& path, SchemaNode node) {
    if (next_ >= elements_.size()) return Corrupt("the schema ends inside '" + DottedPath(path) + "'");
    const SchemaElement& repeated = elements_[next_];
    if (repeated.repetition_type != Repetition::kRepeated) {
      return Corrupt("list '" + DottedPath(path) + "' has no repeated child");
    }
    node.kind = SchemaNode::Kind::kList;
    auto entry_def = static_cast<int16_t>(node.definition_level + 1);
    auto entry_rep = static_cast<int16_t>(node.repetition_level + 1);
    bool element_is_repeated = !repeated.num_children || *repeated.num_children > 1 ||
                               repeated.name == "array" || repeated.name == e.name + "_tuple";
    std::pair<Field, SchemaNode> element;
    if (element_is_repeated) {
      size_t index = next_++;
      path.push_back(repeated.name);
      CQLBULK_ASSIGN_OR_RETURN(element, ReadType(index, path, entry_def, entry_rep, false));
      path.pop_back();
    } else {
      ++next_;
      path.push_back(repeated.name);
      CQLBULK_ASSIGN_OR_RETURN(element, ReadField(path, entry_def, entry_rep));
      path.pop_back();
    }
    element.first.name = "element";
    Field field{e.name, LogicalType::List(std::move(element.first)), node.optional, e.field_id};
    node.children.push_back(std::move(element.second));
    return std::pair{std::move(field), std::move(node)};
  }

  /// A MAP group: `<name> (MAP) { repeated key_value { required key; [optional value] } }`.
  Result<std::pair<Field, SchemaNode>> Map(const SchemaElement& e, std::vector<std::string>& path,
                                           SchemaNode node) {
    if (next_ >= elements_.size()) return Corrupt("the schema ends inside '" + DottedPath(path) + "'");
    const SchemaElement& repeated = elements_[next_];
    int32_t n = repeated.num_children.value_or(0);
    if (repeated.repetition_type != Repetition::kRepeated || n < 1 || n > 2) {
      return Corrupt("map '" + DottedPath(path) +
                     "' has no repeated group of a key and a value");
    }
    ++next_;
    node.kind = SchemaNode::Kind::kMap;
    auto entry_def = static_cast<int16_t>(node.definition_level + 1);
    auto entry_rep = static_cast<int16_t>(node.repetition_level + 1);
    path.push_back(repeated.name);
    CQLBULK_ASSIGN_OR_RETURN(auto key, ReadField(path, entry_def, entry_rep));
    std::pair<Field, SchemaNode> value;
    if (n == 2) {
      CQLBULK_ASSIGN_OR_RETURN(value, ReadField(path, entry_def, entry_rep));
    }
    path.pop_back();
    if (n == 1) {  // a map without values: a set of its keys
      key.first.name = "element";
      Field field{e.name, LogicalType::Set(std::move(key.first)), node.optional, e.field_id};
      node.kind = SchemaNode::Kind::kList;
      node.children.push_back(std::move(key.second));
      return std::pair{std::move(field), std::move(node)};
    }
    key.first.name = "key";
    key.first.nullable = false;
    value.first.name = "value";
    value.first.nullable = true;
    Field field{e.name, LogicalType::Map(std::move(key.first), std::move(value.first)),
                node.optional, e.field_id};
    node.children.push_back(std::move(key.second));
    node.children.push_back(std::move(value.second));
    return std::pair{std::move(field), std::move(node)};
  }

  Result<LogicalTypePtr> Leaf(size_t index, const std::vector<std::string>& path, int16_t def,
                              int16_t rep, SchemaNode& node) {
    const SchemaElement& e = elements_[index];
    if (!e.type) return Corrupt("leaf '" + DottedPath(path) + "' has no type");
    node.kind = SchemaNode::Kind::kLeaf;
    node.leaf = out_.leaves.size();
    LeafColumn leaf;
    leaf.path = path;
    leaf.physical_type = *e.type;
    leaf.type_length = e.type_length.value_or(0);
    leaf.max_definition_level = def;
    leaf.max_repetition_level = rep;
    leaf.element = index;
    CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr type, LeafType(e, path, leaf));
    out_.leaves.push_back(std::move(leaf));
    return type;
  }

  static Result<LogicalTypePtr> LeafType(const SchemaElement& e,
                                         const std::vector<std::string>& path, LeafColumn& leaf) {
    LogicalTypeAnnotation a = AnnotationOf(e);
    auto unsupported = [&](std::string_view what) {
      return Error(ErrorCode::kUnimplemented,
                   "parquet: column " + DottedPath(path) + ": " + std::string(what) +
                       " is not read (" + std::string(PhysicalTypeName(*e.type)) + ", " +
                       LogicalTypeToString(a) + ")");
    };
    auto form = [&](LeafForm f, LogicalTypePtr t) -> Result<LogicalTypePtr> {
      leaf.form = f;
      return t;
    };
    if (a.kind == Kind::kUnrecognized) return unsupported("this logical type");
    if (a.kind == Kind::kDecimal) {
      if (a.precision <= 0 || a.scale < 0 || a.scale > a.precision) {
        return Error(ErrorCode::kCorrupt, "parquet: column " + DottedPath(path) + ": decimal(" +
                                              std::to_string(a.precision) + ", " +
                                              std::to_string(a.scale) + ") is not valid");
      }
      return form(LeafForm::kDecimalFixed, LogicalType::Decimal(a.precision, a.scale));
    }
    switch (*e.type) {
      case PhysicalType::kBoolean:
        return form(LeafForm::kBoolean, LogicalType::Boolean());
      case PhysicalType::kInt32:
        if (a.kind == Kind::kDate) return form(LeafForm::kInt32, LogicalType::Date());
        if (a.kind == Kind::kTime) return form(LeafForm::kInt32Millis, LogicalType::Time());
        if (a.kind == Kind::kInteger) {
          if (a.is_signed && a.bit_width == 8) {
            return form(LeafForm::kInt32FromInt8, LogicalType::Int8());
          }
          if ((a.is_signed && a.bit_width == 16) || (!a.is_signed && a.bit_width == 8)) {
            return form(LeafForm::kInt32FromInt16, LogicalType::Int16());
          }
          if (!a.is_signed && a.bit_width == 32) return form(LeafForm::kUint32, LogicalType::Int64());
        }
        return form(LeafForm::kInt32, LogicalType::Int32());
      case PhysicalType::kInt64:
        if (a.kind == Kind::kTimestamp) {
          if (a.unit == TimeUnit::kMillis) return form(LeafForm::kInt64, LogicalType::Timestamp());
          if (a.unit == TimeUnit::kMicros) {
            return form(LeafForm::kInt64Micros, LogicalType::Timestamp());
          }
          return form(LeafForm::kInt64Nanos, LogicalType::Timestamp());
        }
        if (a.kind == Kind::kTime) {
          if (a.unit == TimeUnit::kNanos) return form(LeafForm::kInt64, LogicalType::Time());
          if (a.unit == TimeUnit::kMicros) return form(LeafForm::kInt64Micros, LogicalType::Time());
          return unsupported("TIME(MILLIS) in INT64");
        }
        if (a.kind == Kind::kInteger && !a.is_signed) {
          return form(LeafForm::kUint64, LogicalType::BigInteger());
        }
        return form(LeafForm::kInt64, LogicalType::Int64());
      case PhysicalType::kInt96:
        return form(LeafForm::kInt96, LogicalType::Timestamp());
      case PhysicalType::kFloat:
        return form(LeafForm::kFloat, LogicalType::Float32());
      case PhysicalType::kDouble:
        return form(LeafForm::kDouble, LogicalType::Float64());
      case PhysicalType::kByteArray:
        leaf.unsigned_order = true;
        if (a.kind == Kind::kString || a.kind == Kind::kEnum || a.kind == Kind::kJson) {
          return form(LeafForm::kBytes, LogicalType::String());
        }
        return form(LeafForm::kBytes, LogicalType::Binary());
      case PhysicalType::kFixedLenByteArray:
        leaf.unsigned_order = true;
        if (leaf.type_length <= 0) {
          return Error(ErrorCode::kCorrupt,
                       "parquet: column " + DottedPath(path) + ": FIXED_LEN_BYTE_ARRAY without a length");
        }
        if (a.kind == Kind::kUuid && leaf.type_length == 16) {
          return form(LeafForm::kUuid, LogicalType::Uuid());
        }
        if (a.kind == Kind::kFloat16 && leaf.type_length == 2) {
          return form(LeafForm::kFloat16, LogicalType::Float32());
        }
        return form(LeafForm::kBytes, LogicalType::Binary());
    }
    return unsupported("this physical type");
  }

  const std::vector<SchemaElement>& elements_;
  ParquetSchema& out_;
  size_t next_ = 0;
};

}  // namespace

Result<FileSchema> SchemaFromParquet(const std::vector<SchemaElement>& elements) {
  FileSchema out;
  out.parquet.elements = elements;
  data::Schema schema;
  Reader reader(elements, out.parquet);
  CQLBULK_RETURN_IF_ERROR(reader.ReadRoot(schema));
  out.schema = std::make_shared<const data::Schema>(std::move(schema));
  return out;
}

}  // namespace cqlbulk::formats::parquet
