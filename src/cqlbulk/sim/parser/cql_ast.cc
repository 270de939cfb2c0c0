// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/parser/cql_ast.h"

#include <type_traits>

namespace cqlbulk::sim {

std::string_view StatementKindName(const Statement& statement) {
  return std::visit(
      [](const auto& s) -> std::string_view {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, SelectStatement>) {
          return "SELECT";
        } else if constexpr (std::is_same_v<T, InsertStatement>) {
          return "INSERT";
        } else if constexpr (std::is_same_v<T, UpdateStatement>) {
          return "UPDATE";
        } else if constexpr (std::is_same_v<T, DeleteStatement>) {
          return "DELETE";
        } else if constexpr (std::is_same_v<T, BatchStatement>) {
          return "BATCH";
        } else if constexpr (std::is_same_v<T, UseStatement>) {
          return "USE";
        } else if constexpr (std::is_same_v<T, CreateKeyspaceStatement>) {
          return "CREATE KEYSPACE";
        } else if constexpr (std::is_same_v<T, DropKeyspaceStatement>) {
          return "DROP KEYSPACE";
        } else if constexpr (std::is_same_v<T, CreateTableStatement>) {
          return "CREATE TABLE";
        } else if constexpr (std::is_same_v<T, DropTableStatement>) {
          return "DROP TABLE";
        } else if constexpr (std::is_same_v<T, TruncateStatement>) {
          return "TRUNCATE";
        } else if constexpr (std::is_same_v<T, CreateTypeStatement>) {
          return "CREATE TYPE";
        } else if constexpr (std::is_same_v<T, DropTypeStatement>) {
          return "DROP TYPE";
        } else {
          static_assert(std::is_same_v<T, UnsupportedStatement>);
          return s.kind;
        }
      },
      statement);
}

std::string BindMarkerSpecName(const BindMarker& marker) {
  if (!marker.name.empty()) {
    return marker.name;
  }
  std::string columns;
  for (const std::string& column : marker.columns) {
    columns += (columns.empty() ? "" : ",") + column;
  }
  if (marker.columns.size() > 1 && marker.role != BindRole::kToken) {
    columns = "(" + columns + ")";
  }
  switch (marker.role) {
    case BindRole::kInValues:
      return "in(" + columns + ")";
    case BindRole::kToken:
      return "partition key token";
    case BindRole::kCollectionKey:
      return "key(" + columns + ")";
    case BindRole::kCollectionElement:
      return "value(" + columns + ")";
    case BindRole::kUdtField:
      return columns + "." + marker.field;
    case BindRole::kLimit:
      return "[limit]";
    case BindRole::kPerPartitionLimit:
      return "[per_partition_limit]";
    case BindRole::kTtl:
      return "[ttl]";
    case BindRole::kTimestamp:
      return "[timestamp]";
    case BindRole::kJson:
      return "[json]";
    case BindRole::kColumnValue:
    case BindRole::kSubtracted:
    case BindRole::kTuple:
    case BindRole::kCast:
    case BindRole::kNested:
      break;
  }
  return columns;
}

std::string_view RelationOpName(RelationOp op) {
  switch (op) {
    case RelationOp::kEq:
      return "=";
    case RelationOp::kNeq:
      return "!=";
    case RelationOp::kLt:
      return "<";
    case RelationOp::kLte:
      return "<=";
    case RelationOp::kGt:
      return ">";
    case RelationOp::kGte:
      return ">=";
    case RelationOp::kIn:
      return "IN";
    case RelationOp::kContains:
      return "CONTAINS";
    case RelationOp::kContainsKey:
      return "CONTAINS KEY";
    case RelationOp::kLike:
      return "LIKE";
  }
  return "?";
}

}  // namespace cqlbulk::sim
