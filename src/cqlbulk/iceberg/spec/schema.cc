// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/spec/schema.h"

#include <algorithm>
#include <utility>

namespace cqlbulk::iceberg {

// Types without parameters are shared: one instance per kind, made on first use.
#define CQLBULK_ICEBERG_PRIMITIVE(Name, Id)              \
  TypePtr Type::Name() {                                 \
    static const TypePtr type(new Type(TypeId::Id));     \
    return type;                                         \
  }
CQLBULK_ICEBERG_PRIMITIVE(Boolean, kBoolean)
CQLBULK_ICEBERG_PRIMITIVE(Int, kInt)
CQLBULK_ICEBERG_PRIMITIVE(Long, kLong)
CQLBULK_ICEBERG_PRIMITIVE(Float, kFloat)
CQLBULK_ICEBERG_PRIMITIVE(Double, kDouble)
CQLBULK_ICEBERG_PRIMITIVE(Date, kDate)
CQLBULK_ICEBERG_PRIMITIVE(Time, kTime)
CQLBULK_ICEBERG_PRIMITIVE(Timestamp, kTimestamp)
CQLBULK_ICEBERG_PRIMITIVE(TimestampTz, kTimestampTz)
CQLBULK_ICEBERG_PRIMITIVE(String, kString)
CQLBULK_ICEBERG_PRIMITIVE(Uuid, kUuid)
CQLBULK_ICEBERG_PRIMITIVE(Binary, kBinary)
#undef CQLBULK_ICEBERG_PRIMITIVE

TypePtr Type::Decimal(int32_t precision, int32_t scale) {
  auto type = std::shared_ptr<Type>(new Type(TypeId::kDecimal));
  type->precision_ = precision;
  type->scale_ = scale;
  return type;
}

TypePtr Type::Fixed(int32_t length) {
  auto type = std::shared_ptr<Type>(new Type(TypeId::kFixed));
  type->length_ = length;
  return type;
}

TypePtr Type::Struct(std::vector<NestedField> fields) {
  auto type = std::shared_ptr<Type>(new Type(TypeId::kStruct));
  type->fields_ = std::move(fields);
  return type;
}

TypePtr Type::List(int32_t element_id, TypePtr element, bool element_required) {
  auto type = std::shared_ptr<Type>(new Type(TypeId::kList));
  type->fields_.push_back({element_id, "element", element_required, std::move(element), {}});
  return type;
}

TypePtr Type::Map(int32_t key_id, TypePtr key, int32_t value_id, TypePtr value,
                  bool value_required) {
  auto type = std::shared_ptr<Type>(new Type(TypeId::kMap));
  type->fields_.push_back(NestedField::Required(key_id, "key", std::move(key)));
  type->fields_.push_back({value_id, "value", value_required, std::move(value), {}});
  return type;
}

std::string Type::ToString() const {
  switch (id_) {
    case TypeId::kBoolean:
      return "boolean";
    case TypeId::kInt:
      return "int";
    case TypeId::kLong:
      return "long";
    case TypeId::kFloat:
      return "float";
    case TypeId::kDouble:
      return "double";
    case TypeId::kDecimal:
      return "decimal(" + std::to_string(precision_) + "," + std::to_string(scale_) + ")";
    case TypeId::kDate:
      return "date";
    case TypeId::kTime:
      return "time";
    case TypeId::kTimestamp:
      return "timestamp";
    case TypeId::kTimestampTz:
      return "timestamptz";
    case TypeId::kString:
      return "string";
    case TypeId::kUuid:
      return "uuid";
    case TypeId::kFixed:
      return "fixed[" + std::to_string(length_) + "]";
    case TypeId::kBinary:
      return "binary";
    case TypeId::kStruct: {
      std::string out = "struct<";
      for (size_t i = 0; i < fields_.size(); ++i) {
        const NestedField& f = fields_[i];
        if (i > 0) out += ", ";
        out += std::to_string(f.id) + ": " + f.name + ": " + (f.required ? "required " : "") +
               f.type->ToString();
      }
      return out + ">";
    }
    case TypeId::kList:
      return "list<" + fields_[0].type->ToString() + ">";
    case TypeId::kMap:
      return "map<" + fields_[0].type->ToString() + ", " + fields_[1].type->ToString() + ">";
  }
  return "unknown";
}

bool operator==(const NestedField& a, const NestedField& b) {
  return a.id == b.id && a.name == b.name && a.required == b.required && a.doc == b.doc &&
         (a.type == b.type || (a.type && b.type && *a.type == *b.type));
}

bool operator==(const Type& a, const Type& b) {
  return a.id_ == b.id_ && a.precision_ == b.precision_ && a.scale_ == b.scale_ &&
         a.length_ == b.length_ && a.fields_ == b.fields_;
}

namespace {

const NestedField* FindById(const std::vector<NestedField>& fields, int32_t id) {
  for (const NestedField& f : fields) {
    if (f.id == id) return &f;
    if (const NestedField* found = FindById(f.type->fields(), id)) return found;
  }
  return nullptr;
}

int32_t HighestId(const std::vector<NestedField>& fields) {
  int32_t highest = 0;
  for (const NestedField& f : fields) {
    highest = std::max({highest, f.id, HighestId(f.type->fields())});
  }
  return highest;
}

}  // namespace

const NestedField* Schema::FindField(int32_t id) const { return FindById(fields, id); }

const NestedField* Schema::FindField(std::string_view dotted_name) const {
  const std::vector<NestedField>* level = &fields;
  const NestedField* found = nullptr;
  while (true) {
    size_t dot = dotted_name.find('.');
    std::string_view name = dotted_name.substr(0, dot);
    auto it = std::find_if(level->begin(), level->end(),
                           [&](const NestedField& f) { return f.name == name; });
    if (it == level->end()) return nullptr;
    found = &*it;
    if (dot == std::string_view::npos) return found;
    dotted_name.remove_prefix(dot + 1);
    level = &found->type->fields();
  }
}

int32_t Schema::HighestFieldId() const { return HighestId(fields); }

}  // namespace cqlbulk::iceberg
