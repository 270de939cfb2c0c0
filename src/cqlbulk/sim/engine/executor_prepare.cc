// SPDX-License-Identifier: Apache-2.0
// PREPARE: bind-marker metadata (names, types, pk_indexes) and result metadata.
#include <algorithm>
#include <type_traits>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/sim/engine/executor.h"
#include "cqlbulk/sim/engine/mutation.h"

namespace cqlbulk::sim::internal {
namespace {

using cql::DataType;
using cql::DataTypePtr;
using cql::TypeId;

Result<const ColumnSchema*> MarkerColumn(const TableSchema& table, const std::string& name) {
  int index = table.FindColumn(name);
  if (index < 0) return InvalidRequest("Undefined column name " + name);
  return &table.columns[static_cast<size_t>(index)];
}

Result<DataTypePtr> MarkerType(const BindMarker& m, const TableSchema& table) {
  switch (m.role) {
    case BindRole::kLimit:
    case BindRole::kPerPartitionLimit:
    case BindRole::kTtl:
      return DataType::Native(TypeId::kInt);
    case BindRole::kTimestamp:
    case BindRole::kToken:
      return DataType::Native(TypeId::kBigint);
    case BindRole::kJson:
      return DataType::Native(TypeId::kVarchar);
    case BindRole::kCast: {
      auto type = cql::ParseCqlType(m.cast_type);
      if (!type.has_value()) return InvalidRequest(type.error().message());
      return *type;
    }
    default:
      break;
  }
  if (m.columns.empty()) return DataType::Native(TypeId::kBlob);
  std::vector<DataTypePtr> types;
  for (const std::string& name : m.columns) {
    CQLBULK_ASSIGN_OR_RETURN(const ColumnSchema* column, MarkerColumn(table, name));
    types.push_back(column->type);
  }
  const DataType& t = *types[0];
  switch (m.role) {
    case BindRole::kSubtracted:
      if (t.id == TypeId::kMap) return DataType::Set(t.params[0]);
      return types[0];
    case BindRole::kInValues:
      if (types.size() > 1) return DataType::List(DataType::Tuple(types));
      return DataType::List(types[0]);
    case BindRole::kTuple:
      return DataType::Tuple(types);
    case BindRole::kCollectionKey:
      if (t.id == TypeId::kMap) return t.params[0];
      if (t.id == TypeId::kList) return DataType::Native(TypeId::kInt);
      return InvalidRequest("Invalid operation for non-map/list column " + m.columns[0]);
    case BindRole::kCollectionElement:
      if (t.is_collection()) return t.params.back();
      return InvalidRequest("Invalid operation for non-collection column " + m.columns[0]);
    case BindRole::kUdtField: {
      auto it = std::find(t.field_names.begin(), t.field_names.end(), m.field);
      if (t.id != TypeId::kUdt || it == t.field_names.end()) {
        return InvalidRequest("Unknown field " + m.field + " of column " + m.columns[0]);
      }
      return t.params[static_cast<size_t>(it - t.field_names.begin())];
    }
    default:
      return types[0];
  }
}

std::string MarkerName(const BindMarker& m, const TableSchema& table) {
  if (m.name.empty() && m.role == BindRole::kCollectionKey && m.columns.size() == 1) {
    int index = table.FindColumn(m.columns[0]);
    if (index >= 0 && table.columns[static_cast<size_t>(index)].type->id == TypeId::kList) {
      return "idx(" + m.columns[0] + ")";
    }
  }
  return BindMarkerSpecName(m);
}

/// Tables a statement refers to (one, or one per statement of a batch).
Result<std::vector<std::shared_ptr<const TableSchema>>> StatementTables(
    const Schema& schema, const Statement& statement, const std::string& keyspace) {
  std::vector<std::shared_ptr<const TableSchema>> out;
  auto add = [&](const QualifiedName& name) -> Status {
    CQLBULK_ASSIGN_OR_RETURN(auto table, ResolveTable(schema, name, keyspace));
    out.push_back(std::move(table));
    return OkStatus();
  };
  auto add_modification = [&](const ModificationStatement& m) -> Status {
    return std::visit([&](const auto& s) { return add(s.table); }, m);
  };
  if (auto* s = std::get_if<SelectStatement>(&statement)) {
    CQLBULK_RETURN_IF_ERROR(add(s->table));
  } else if (auto* s = std::get_if<InsertStatement>(&statement)) {
    CQLBULK_RETURN_IF_ERROR(add(s->table));
  } else if (auto* s = std::get_if<UpdateStatement>(&statement)) {
    CQLBULK_RETURN_IF_ERROR(add(s->table));
  } else if (auto* s = std::get_if<DeleteStatement>(&statement)) {
    CQLBULK_RETURN_IF_ERROR(add(s->table));
  } else if (auto* s = std::get_if<BatchStatement>(&statement)) {
    for (const ModificationStatement& m : s->statements) CQLBULK_RETURN_IF_ERROR(add_modification(m));
  }
  return out;
}

/// Cassandra's refusals for conditional statements that come when they are prepared.
Status CheckConditionals(const std::vector<std::shared_ptr<const TableSchema>>& tables,
                         const Statement& statement) {
  if (auto* batch = std::get_if<BatchStatement>(&statement)) {
    for (size_t i = 0; i < batch->statements.size() && i < tables.size(); ++i) {
      CQLBULK_RETURN_IF_ERROR(CheckConditionalStatement(*tables[i], batch->statements[i]));
    }
    return CheckConditionalBatch(*batch);
  }
  return std::visit(
      [&](const auto& s) -> Status {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, InsertStatement> || std::is_same_v<T, UpdateStatement> ||
                      std::is_same_v<T, DeleteStatement>) {
          return CheckConditionalStatement(*tables.at(0), s);
        } else {
          return OkStatus();
        }
      },
      statement);
}

/// Positions of the markers giving each partition key column by `=`, or none.
std::vector<uint16_t> PartitionKeyIndexes(const TableSchema& table,
                                          const std::vector<BindMarker>& markers) {
  std::vector<uint16_t> out;
  for (size_t k = 0; k < table.num_partition_key; ++k) {
    const std::string& name = table.partition_key(k).name;
    auto it = std::find_if(markers.begin(), markers.end(), [&](const BindMarker& m) {
      return m.role == BindRole::kColumnValue && !m.in_list && m.columns.size() == 1 &&
             m.columns[0] == name;
    });
    if (it == markers.end()) return {};
    out.push_back(static_cast<uint16_t>(it->index));
  }
  return out;
}

}  // namespace

Result<cql::PreparedResult> DescribePrepared(EngineCore& core, const ParsedStatement& parsed,
                                             const std::string& keyspace) {
  SchemaPtr schema = core.CurrentSchema();
  if (auto* u = std::get_if<UnsupportedStatement>(&parsed.statement)) {
    return InvalidRequest("Unsupported statement: " + u->kind + " is not supported by cqlsim");
  }
  CQLBULK_ASSIGN_OR_RETURN(auto tables, StatementTables(*schema, parsed.statement, keyspace));
  CQLBULK_RETURN_IF_ERROR(CheckConditionals(tables, parsed.statement));
  cql::PreparedResult result;
  for (const BindMarker& m : parsed.bind_markers) {
    const TableSchema* table = tables.empty() ? nullptr : tables[0].get();
    for (const auto& t : tables) {
      if (m.columns.empty() || t->FindColumn(m.columns[0]) >= 0) {
        table = t.get();
        break;
      }
    }
    if (table == nullptr) return InvalidRequest("Bind markers are not supported in this statement");
    CQLBULK_ASSIGN_OR_RETURN(DataTypePtr type, MarkerType(m, *table));
    result.metadata.columns.push_back(
        cql::ColumnSpec{table->keyspace, table->name, MarkerName(m, *table), std::move(type)});
  }
  result.metadata.global_table = cql::CommonTable(result.metadata.columns);
  bool is_batch = std::holds_alternative<BatchStatement>(parsed.statement);
  if (tables.size() == 1 && !is_batch) {
    result.metadata.pk_indexes = PartitionKeyIndexes(*tables[0], parsed.bind_markers);
  }
  if (auto* s = std::get_if<SelectStatement>(&parsed.statement)) {
    CQLBULK_ASSIGN_OR_RETURN(auto columns, SelectColumns(*tables[0], *s));
    result.result_metadata.columns_count = static_cast<int32_t>(columns.size());
    result.result_metadata.global_table = cql::TableSpec{tables[0]->keyspace, tables[0]->name};
    result.result_metadata.columns = std::move(columns);
  } else {
    result.result_metadata.no_metadata = true;
  }
  result.result_metadata_id = ResultMetadataId(result.result_metadata.columns);
  return result;
}

}  // namespace cqlbulk::sim::internal
