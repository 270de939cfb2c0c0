// SPDX-License-Identifier: Apache-2.0
// CQL types as logical types (the other halves of cql_data.h: row_decoder.cc, cell_encoder.cc).
#include "cqlbulk/ops/cql_data.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/varint.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/cql/types/vint.h"
#include "cqlbulk/ops/cql_data_internal.h"

namespace cqlbulk::ops {

using cql::DataType;
using cql::TypeId;
using data::Column;
using data::ColumnBuilder;
using data::Field;
using data::LogicalType;
using data::LogicalTypePtr;
using data::TypeKind;

using internal::HasParams;
using internal::IsAscii;
using internal::IsValidUtf8;

namespace {

// --- types -----------------------------------------------------------------------------------

Error Incomplete(const DataType& type) {
  return InvalidArgument("incomplete CQL type descriptor (id " +
                         std::to_string(static_cast<int>(type.id)) + ")");
}

Result<LogicalTypePtr> MapType(const DataType& type, int depth) {
  if (depth > cql::kMaxValueDepth) {
    return InvalidArgument("CQL type nested more than " + std::to_string(cql::kMaxValueDepth) +
                           " levels deep");
  }
  switch (type.id) {
    case TypeId::kAscii:
      return LogicalType::Ascii();
    case TypeId::kBigint:
      return LogicalType::Int64();
    case TypeId::kBlob:
      return LogicalType::Binary();
    case TypeId::kBoolean:
      return LogicalType::Boolean();
    case TypeId::kCounter:
      return LogicalType::Counter();
    case TypeId::kDecimal:
      return LogicalType::Decimal();
    case TypeId::kDouble:
      return LogicalType::Float64();
    case TypeId::kFloat:
      return LogicalType::Float32();
    case TypeId::kInt:
      return LogicalType::Int32();
    case TypeId::kTimestamp:
      return LogicalType::Timestamp();
    case TypeId::kUuid:
      return LogicalType::Uuid();
    case TypeId::kVarchar:
      return LogicalType::String();
    case TypeId::kVarint:
      return LogicalType::BigInteger();
    case TypeId::kTimeuuid:
      return LogicalType::TimeUuid();
    case TypeId::kInet:
      return LogicalType::Inet();
    case TypeId::kDate:
      return LogicalType::Date();
    case TypeId::kTime:
      return LogicalType::Time();
    case TypeId::kSmallint:
      return LogicalType::Int16();
    case TypeId::kTinyint:
      return LogicalType::Int8();
    case TypeId::kDuration:
      return LogicalType::Duration();
    case TypeId::kList:
    case TypeId::kSet: {
      if (!HasParams(type, 1)) {
        return Incomplete(type);
      }
      CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr element, MapType(*type.params[0], depth + 1));
      return type.id == TypeId::kList ? LogicalType::List(std::move(element))
                                      : LogicalType::Set(std::move(element));
    }
    case TypeId::kMap: {
      if (!HasParams(type, 2)) {
        return Incomplete(type);
      }
      CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr key, MapType(*type.params[0], depth + 1));
      CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr value, MapType(*type.params[1], depth + 1));
      return LogicalType::Map(std::move(key), std::move(value));
    }
    case TypeId::kTuple: {
      if (!HasParams(type, type.params.size())) {
        return Incomplete(type);
      }
      std::vector<LogicalTypePtr> elements;
      elements.reserve(type.params.size());
      for (const auto& param : type.params) {
        CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr element, MapType(*param, depth + 1));
        elements.push_back(std::move(element));
      }
      return LogicalType::Tuple(std::move(elements));
    }
    case TypeId::kUdt: {
      if (!HasParams(type, type.params.size()) || type.field_names.size() != type.params.size()) {
        return Incomplete(type);
      }
      std::vector<Field> fields;
      fields.reserve(type.params.size());
      for (size_t i = 0; i < type.params.size(); ++i) {
        CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr field, MapType(*type.params[i], depth + 1));
        fields.push_back(Field{.name = type.field_names[i], .type = std::move(field)});
      }
      return LogicalType::Struct(std::move(fields), type.name);
    }
    case TypeId::kVector: {
      if (!HasParams(type, 1)) {
        return Incomplete(type);
      }
      if (type.dimension == 0 || type.dimension > std::numeric_limits<int32_t>::max()) {
        return InvalidArgument("vector dimension " + std::to_string(type.dimension) +
                               " is out of range");
      }
      CQLBULK_ASSIGN_OR_RETURN(LogicalTypePtr element, MapType(*type.params[0], depth + 1));
      return LogicalType::Vector(std::move(element), static_cast<int32_t>(type.dimension));
    }
    case TypeId::kCustom:
      return Unimplemented("custom type '" + type.custom_class +
                           "' has no logical type (of the custom types only vector and "
                           "duration are mapped)");
  }
  return Incomplete(type);
}

}  // namespace

Result<data::LogicalTypePtr> LogicalTypeOf(const cql::DataType& type) { return MapType(type, 0); }

Result<data::SchemaPtr> SchemaOf(const std::vector<cql::ColumnSpec>& columns) {
  auto schema = std::make_shared<data::Schema>();
  schema->fields.reserve(columns.size());
  for (const cql::ColumnSpec& column : columns) {
    if (column.type == nullptr) {
      return InvalidArgument("column '" + column.name + "' has no type");
    }
    auto type = LogicalTypeOf(*column.type);
    if (!type) {
      return std::move(type).error().WithContext("column '" + column.name + "'");
    }
    schema->fields.push_back(Field{.name = column.name, .type = std::move(*type)});
  }
  return data::SchemaPtr(std::move(schema));
}

Result<data::SchemaPtr> TableSchema(const client::TableMetadata& table,
                                    const std::vector<std::string>& columns) {
  const std::string table_name = table.keyspace + "." + table.name;
  std::vector<const client::ColumnMetadata*> chosen;
  if (columns.empty()) {
    for (const client::ColumnMetadata& column : table.columns) {
      chosen.push_back(&column);
    }
  } else {
    std::set<std::string_view> seen;
    for (const std::string& name : columns) {
      const client::ColumnMetadata* column = table.FindColumn(name);
      if (column == nullptr) {
        return InvalidArgument("table " + table_name + " has no column '" + name + "'");
      }
      if (!seen.insert(name).second) {
        return InvalidArgument("column '" + name + "' of table " + table_name +
                               " is listed twice");
      }
      chosen.push_back(column);
    }
  }
  auto schema = std::make_shared<data::Schema>();
  schema->fields.reserve(chosen.size());
  for (const client::ColumnMetadata* column : chosen) {
    if (column->type == nullptr) {
      return InvalidArgument("column '" + column->name + "' of table " + table_name +
                             " has no type");
    }
    auto type = LogicalTypeOf(*column->type);
    if (!type) {
      return std::move(type).error().WithContext("column '" + column->name + "' of table " +
                                                 table_name);
    }
    schema->fields.push_back(Field{.name = column->name, .type = std::move(*type)});
  }
  return data::SchemaPtr(std::move(schema));
}

}  // namespace cqlbulk::ops

