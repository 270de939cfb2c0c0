// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/cql_ast.h"

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
