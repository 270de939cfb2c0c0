// SPDX-License-Identifier: Apache-2.0
// The one table from logical (CQL) types to Iceberg types, both ways (README.md, "Iceberg
// types"), with the field ids that tie an Iceberg schema to its Parquet files.
#include "cqlbulk/iceberg/spec/type_mapping.h"

#include <algorithm>
#include <set>
#include <utility>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::iceberg {
namespace {

using data::LogicalType;
using data::LogicalTypePtr;
using data::TypeKind;

// Numbers the fields of a logical schema as Java's AssignFreshIds does: a struct's fields
// first, one after the other, then the types they hold; a list's element, a map's key and
// value before what they hold.
class IdAssigner {
 public:
  std::vector<data::Field> Fields(std::vector<data::Field> fields) {
    for (data::Field& f : fields) f.field_id = next_++;
    for (data::Field& f : fields) f.type = Renumber(f.type);
    return fields;
  }

  int32_t highest() const { return next_ - 1; }

 private:
  data::Field Child(data::Field field) {
    field.field_id = next_++;
    field.type = Renumber(field.type);
    return field;
  }

  LogicalTypePtr Renumber(const LogicalTypePtr& type) {
    switch (type->kind()) {
      case TypeKind::kStruct:
        return LogicalType::Struct(Fields(type->fields()), type->name());
      case TypeKind::kList:
        return LogicalType::List(Child(type->element()));
      case TypeKind::kSet:
        return LogicalType::Set(Child(type->element()));
      case TypeKind::kVector:
        return LogicalType::Vector(Child(type->element()), type->dimension());
      case TypeKind::kMap: {
        data::Field key = type->key();
        data::Field value = type->value();
        key.field_id = next_++;
        value.field_id = next_++;
        key.type = Renumber(key.type);
        value.type = Renumber(value.type);
        return LogicalType::Map(std::move(key), std::move(value));
      }
      default:
        return type;
    }
  }

  int32_t next_ = 1;
};

// Converts a logical schema whose fields all have ids into Iceberg types. A duration's three
// fields take the ids the Parquet writer gives the three leaves of its group: the next free
// numbers after the highest id, depth first (formats/parquet MakeParquetSchema).
class Converter {
 public:
  Converter(const TypeMappingOptions& options, int32_t highest_id)
      : options_(options), next_id_(highest_id + 1) {}

  NestedField Field(const data::Field& field, bool required) {
    return {field.field_id.value_or(0), field.name, required, Convert(*field.type), {}};
  }

 private:
  TypePtr Convert(const LogicalType& type) {
    switch (type.kind()) {
      case TypeKind::kBoolean:
        return Type::Boolean();
      case TypeKind::kInt8:
      case TypeKind::kInt16:
      case TypeKind::kInt32:
        return Type::Int();
      case TypeKind::kInt64:
        return Type::Long();
      case TypeKind::kFloat32:
        return Type::Float();
      case TypeKind::kFloat64:
        return Type::Double();
      case TypeKind::kDecimal:
        if (type.has_fixed_scale()) return Type::Decimal(type.precision(), type.scale());
        if (options_.decimal_precision) {
          return Type::Decimal(*options_.decimal_precision, options_.decimal_scale);
        }
        return Type::String();
      case TypeKind::kBigInteger:
        return options_.varint_as_decimal ? Type::Decimal(38, 0) : Type::String();
      case TypeKind::kString:
      case TypeKind::kInet:
        return Type::String();
      case TypeKind::kBinary:
        return Type::Binary();
      case TypeKind::kUuid:
        return Type::Uuid();
      case TypeKind::kDate:
        return Type::Date();
      case TypeKind::kTime:
        return options_.time_as_time ? Type::Time() : Type::Long();
      case TypeKind::kTimestamp:
        return Type::TimestampTz();
      case TypeKind::kDuration: {
        int32_t months = next_id_++;
        int32_t days = next_id_++;
        int32_t nanos = next_id_++;
        return Type::Struct({NestedField::Required(months, "months", Type::Int()),
                             NestedField::Required(days, "days", Type::Int()),
                             NestedField::Required(nanos, "nanoseconds", Type::Long())});
      }
      case TypeKind::kList:
      case TypeKind::kSet:
      case TypeKind::kVector: {
        const data::Field& element = type.element();
        return Type::List(element.field_id.value_or(0), Convert(*element.type), !element.nullable);
      }
      case TypeKind::kMap: {
        const data::Field& key = type.key();
        const data::Field& value = type.value();
        TypePtr key_type = Convert(*key.type);
        TypePtr value_type = Convert(*value.type);
        return Type::Map(key.field_id.value_or(0), std::move(key_type),
                         value.field_id.value_or(0), std::move(value_type), !value.nullable);
      }
      case TypeKind::kStruct: {
        std::vector<NestedField> fields;
        for (const data::Field& f : type.fields()) fields.push_back(Field(f, !f.nullable));
        return Type::Struct(std::move(fields));
      }
    }
    return Type::String();
  }

  const TypeMappingOptions& options_;
  int32_t next_id_;
};

Status CheckOptions(const TypeMappingOptions& options) {
  if (options.decimal_precision &&
      (*options.decimal_precision < 1 || *options.decimal_precision > 38 ||
       options.decimal_scale < 0 || options.decimal_scale > *options.decimal_precision)) {
    return InvalidArgument("decimal(" + std::to_string(*options.decimal_precision) + ", " +
                           std::to_string(options.decimal_scale) +
                           "): the precision must be 1..38 and the scale 0..precision");
  }
  return OkStatus();
}

// The spec's rule for identifier fields: primitive, and neither float nor double.
bool CanIdentify(const Type& type) {
  return type.is_primitive() && type.id() != TypeId::kFloat && type.id() != TypeId::kDouble;
}

data::Field DataField(const NestedField& field);

LogicalTypePtr DataType(const Type& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return LogicalType::Boolean();
    case TypeId::kInt:
      return LogicalType::Int32();
    case TypeId::kLong:
      return LogicalType::Int64();
    case TypeId::kFloat:
      return LogicalType::Float32();
    case TypeId::kDouble:
      return LogicalType::Float64();
    case TypeId::kDecimal:
      return LogicalType::Decimal(type.precision(), type.scale());
    case TypeId::kDate:
      return LogicalType::Date();
    case TypeId::kTime:
      return LogicalType::Time();
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return LogicalType::Timestamp();
    case TypeId::kString:
      return LogicalType::String();
    case TypeId::kUuid:
      return LogicalType::Uuid();
    case TypeId::kFixed:
    case TypeId::kBinary:
      return LogicalType::Binary();
    case TypeId::kStruct: {
      std::vector<data::Field> fields;
      for (const NestedField& f : type.fields()) fields.push_back(DataField(f));
      return LogicalType::Struct(std::move(fields));
    }
    case TypeId::kList:
      return LogicalType::List(DataField(type.fields()[0]));
    case TypeId::kMap:
      return LogicalType::Map(DataField(type.fields()[0]), DataField(type.fields()[1]));
  }
  return LogicalType::Binary();
}

data::Field DataField(const NestedField& field) {
  return data::Field{field.name, DataType(*field.type), !field.required, field.id};
}

}  // namespace

Result<IcebergMapping> MapToIceberg(const data::Schema& schema,
                                    std::span<const std::string> primary_key,
                                    const TypeMappingOptions& options) {
  CQLBULK_RETURN_IF_ERROR(CheckOptions(options));
  std::set<std::string> names;
  for (const data::Field& field : schema.fields) {
    if (!names.insert(field.name).second) {
      return InvalidArgument("column " + field.name + " appears twice in the table's schema");
    }
  }
  std::set<std::string> key;
  for (const std::string& column : primary_key) {
    if (names.count(column) == 0) {
      return InvalidArgument("primary key column " + column + " is not a column of the table");
    }
    if (!key.insert(column).second) {
      return InvalidArgument("primary key column " + column + " is named twice");
    }
  }

  IcebergMapping out;
  IdAssigner ids;
  out.data_schema.fields = ids.Fields(schema.fields);
  for (data::Field& field : out.data_schema.fields) field.nullable = key.count(field.name) == 0;

  Converter converter(options, ids.highest());
  for (const data::Field& field : out.data_schema.fields) {
    out.schema.fields.push_back(converter.Field(field, !field.nullable));
  }
  for (const std::string& column : primary_key) {
    const NestedField* field = out.schema.FindField(std::string_view(column));
    if (CanIdentify(*field->type)) {
      out.schema.identifier_field_ids.push_back(field->id);
    } else {
      out.key_columns_not_identifiers.push_back(column);
    }
  }
  if (!out.key_columns_not_identifiers.empty()) out.schema.identifier_field_ids.clear();

  out.parquet.timestamp_unit = formats::parquet::TimeUnit::kMicros;
  out.parquet.time_unit =
      options.time_as_time ? formats::parquet::TimeUnit::kMicros : formats::parquet::TimeUnit::kNanos;
  out.parquet.plain_time_nanos = true;
  out.parquet.plain_small_integers = true;
  out.parquet.decimal_precision = options.decimal_precision;
  out.parquet.decimal_scale = options.decimal_scale;
  out.parquet.big_integer_as_decimal = options.varint_as_decimal;
  return out;
}

data::Schema DataSchemaFromIceberg(const Schema& schema) {
  data::Schema out;
  for (const NestedField& field : schema.fields) out.fields.push_back(DataField(field));
  return out;
}

}  // namespace cqlbulk::iceberg
