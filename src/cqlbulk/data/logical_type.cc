// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/data/logical_type.h"

#include <utility>

namespace cqlbulk::data {

std::string_view TypeKindName(TypeKind kind) {
  switch (kind) {
    case TypeKind::kBoolean:
      return "boolean";
    case TypeKind::kInt8:
      return "int8";
    case TypeKind::kInt16:
      return "int16";
    case TypeKind::kInt32:
      return "int32";
    case TypeKind::kInt64:
      return "int64";
    case TypeKind::kFloat32:
      return "float32";
    case TypeKind::kFloat64:
      return "float64";
    case TypeKind::kDecimal:
      return "decimal";
    case TypeKind::kBigInteger:
      return "big_integer";
    case TypeKind::kString:
      return "string";
    case TypeKind::kBinary:
      return "binary";
    case TypeKind::kUuid:
      return "uuid";
    case TypeKind::kDate:
      return "date";
    case TypeKind::kTime:
      return "time";
    case TypeKind::kTimestamp:
      return "timestamp";
    case TypeKind::kDuration:
      return "duration";
    case TypeKind::kInet:
      return "inet";
    case TypeKind::kList:
      return "list";
    case TypeKind::kSet:
      return "set";
    case TypeKind::kMap:
      return "map";
    case TypeKind::kStruct:
      return "struct";
    case TypeKind::kVector:
      return "vector";
  }
  return "unknown";
}

std::string Field::ToString() const {
  std::string out = name + ": " + (type ? type->ToString() : "null");
  if (!nullable) {
    out += " not null";
  }
  if (field_id) {
    out += " id=" + std::to_string(*field_id);
  }
  return out;
}

bool operator==(const Field& a, const Field& b) {
  if (a.name != b.name || a.nullable != b.nullable || a.field_id != b.field_id) {
    return false;
  }
  if (a.type == b.type) {
    return true;
  }
  return a.type && b.type && *a.type == *b.type;
}

namespace {

// Primitive types are shared singletons: building a schema allocates only nested types.
template <typename Factory>
const LogicalTypePtr& Singleton(Factory make) {
  static const LogicalTypePtr type = make();
  return type;
}

}  // namespace

// The private constructor keeps std::make_shared out; these are built once per schema.
#define CQLBULK_DATA_PRIMITIVE(Name, kind, flag)                                            \
  LogicalTypePtr LogicalType::Name() {                                                      \
    return Singleton([] { return LogicalTypePtr(new LogicalType(TypeKind::kind, flag)); }); \
  }
CQLBULK_DATA_PRIMITIVE(Boolean, kBoolean, false)
CQLBULK_DATA_PRIMITIVE(Int8, kInt8, false)
CQLBULK_DATA_PRIMITIVE(Int16, kInt16, false)
CQLBULK_DATA_PRIMITIVE(Int32, kInt32, false)
CQLBULK_DATA_PRIMITIVE(Int64, kInt64, false)
CQLBULK_DATA_PRIMITIVE(Counter, kInt64, true)
CQLBULK_DATA_PRIMITIVE(Float32, kFloat32, false)
CQLBULK_DATA_PRIMITIVE(Float64, kFloat64, false)
CQLBULK_DATA_PRIMITIVE(Decimal, kDecimal, false)
CQLBULK_DATA_PRIMITIVE(BigInteger, kBigInteger, false)
CQLBULK_DATA_PRIMITIVE(String, kString, false)
CQLBULK_DATA_PRIMITIVE(Ascii, kString, true)
CQLBULK_DATA_PRIMITIVE(Binary, kBinary, false)
CQLBULK_DATA_PRIMITIVE(Uuid, kUuid, false)
CQLBULK_DATA_PRIMITIVE(TimeUuid, kUuid, true)
CQLBULK_DATA_PRIMITIVE(Date, kDate, false)
CQLBULK_DATA_PRIMITIVE(Time, kTime, false)
CQLBULK_DATA_PRIMITIVE(Timestamp, kTimestamp, false)
CQLBULK_DATA_PRIMITIVE(Duration, kDuration, false)
CQLBULK_DATA_PRIMITIVE(Inet, kInet, false)
#undef CQLBULK_DATA_PRIMITIVE

LogicalTypePtr LogicalType::Decimal(int32_t precision, int32_t scale) {
  auto type = new LogicalType(TypeKind::kDecimal);
  type->precision_ = precision;
  type->scale_ = scale;
  return LogicalTypePtr(type);
}

LogicalTypePtr LogicalType::Nested(TypeKind kind, std::vector<Field> fields) {
  auto type = new LogicalType(kind);
  type->fields_ = std::move(fields);
  return LogicalTypePtr(type);
}

LogicalTypePtr LogicalType::List(LogicalTypePtr element) {
  return List(Field{.name = "element", .type = std::move(element)});
}
LogicalTypePtr LogicalType::List(Field element) {
  return Nested(TypeKind::kList, {std::move(element)});
}
LogicalTypePtr LogicalType::Set(LogicalTypePtr element) {
  return Set(Field{.name = "element", .type = std::move(element)});
}
LogicalTypePtr LogicalType::Set(Field element) {
  return Nested(TypeKind::kSet, {std::move(element)});
}

LogicalTypePtr LogicalType::Map(LogicalTypePtr key, LogicalTypePtr value) {
  return Map(Field{.name = "key", .type = std::move(key), .nullable = false},
             Field{.name = "value", .type = std::move(value)});
}
LogicalTypePtr LogicalType::Map(Field key, Field value) {
  // Arrow's layout: a map is a list of non-nullable <key, value> structs.
  Field entries{
      .name = "entries", .type = Struct({std::move(key), std::move(value)}), .nullable = false};
  return Nested(TypeKind::kMap, {std::move(entries)});
}

LogicalTypePtr LogicalType::Struct(std::vector<Field> fields, std::string name) {
  auto type = new LogicalType(TypeKind::kStruct);
  type->fields_ = std::move(fields);
  type->name_ = std::move(name);
  return LogicalTypePtr(type);
}

LogicalTypePtr LogicalType::Tuple(std::vector<LogicalTypePtr> elements) {
  std::vector<Field> fields;
  fields.reserve(elements.size());
  for (size_t i = 0; i < elements.size(); ++i) {
    fields.push_back(Field{.name = "_" + std::to_string(i + 1), .type = std::move(elements[i])});
  }
  return Struct(std::move(fields));
}

LogicalTypePtr LogicalType::Vector(LogicalTypePtr element, int32_t dimension) {
  return Vector(Field{.name = "element", .type = std::move(element), .nullable = false}, dimension);
}
LogicalTypePtr LogicalType::Vector(Field element, int32_t dimension) {
  auto type = new LogicalType(TypeKind::kVector);
  type->fields_.push_back(std::move(element));
  type->dimension_ = dimension;
  return LogicalTypePtr(type);
}

int LogicalType::fixed_width() const noexcept {
  switch (kind_) {
    case TypeKind::kBoolean:
    case TypeKind::kInt8:
      return 1;
    case TypeKind::kInt16:
      return 2;
    case TypeKind::kInt32:
    case TypeKind::kFloat32:
    case TypeKind::kDate:
      return 4;
    case TypeKind::kInt64:
    case TypeKind::kFloat64:
    case TypeKind::kTime:
    case TypeKind::kTimestamp:
      return 8;
    case TypeKind::kUuid:
    case TypeKind::kDuration:
      return 16;
    default:
      return 0;
  }
}

std::string LogicalType::ToString() const {
  std::string out(TypeKindName(kind_));
  switch (kind_) {
    case TypeKind::kInt64:
      return is_counter() ? out + "(counter)" : out;
    case TypeKind::kString:
      return is_ascii() ? out + "(ascii)" : out;
    case TypeKind::kUuid:
      return is_time_based() ? out + "(time_based)" : out;
    case TypeKind::kDecimal:
      if (has_fixed_scale()) {
        out += "(" + std::to_string(precision_) + ", " + std::to_string(scale_) + ")";
      }
      return out;
    case TypeKind::kList:
    case TypeKind::kSet:
      return out + "<" + element().type->ToString() + ">";
    case TypeKind::kMap:
      return out + "<" + key().type->ToString() + ", " + value().type->ToString() + ">";
    case TypeKind::kVector:
      return out + "<" + element().type->ToString() + ", " + std::to_string(dimension_) + ">";
    case TypeKind::kStruct: {
      if (!name_.empty()) {
        out += " " + name_;
      }
      out += "<";
      for (size_t i = 0; i < fields_.size(); ++i) {
        out += (i == 0 ? "" : ", ") + fields_[i].ToString();
      }
      return out + ">";
    }
    default:
      return out;
  }
}

bool operator==(const LogicalType& a, const LogicalType& b) {
  return a.kind_ == b.kind_ && a.flag_ == b.flag_ && a.precision_ == b.precision_ &&
         a.scale_ == b.scale_ && a.dimension_ == b.dimension_ && a.name_ == b.name_ &&
         a.fields_ == b.fields_;
}

}  // namespace cqlbulk::data
