// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/result_metadata.h"
#include "cqlbulk/sim/model/schema.h"
#include "cqlbulk/sim/parser/cql_dml_ast.h"

namespace cqlbulk::sim::internal {

/// \brief One column of a SELECT's result and how each row computes it.
struct OutputColumn {
  enum class Kind : uint8_t {
    kColumn,       ///< the stored value
    kWritetime,    ///< writetime(c): bigint microseconds
    kTtl,          ///< ttl(c): int seconds left, null without TTL
    kToken,        ///< token(pk...): bigint
    kCountRows,    ///< count(*) / count(1): bigint
    kCountColumn,  ///< count(c): non-null values, bigint
  };
  Kind kind = Kind::kColumn;
  int column = -1;  ///< table column index (kColumn, kWritetime, kTtl, kCountColumn)
  cql::ColumnSpec spec;
};

/// \brief The result columns of a SELECT.
struct Selection {
  std::vector<OutputColumn> columns;
  bool is_aggregate = false;  ///< one row over all matching rows
};

/// \brief Resolves the select list against `table` with Cassandra's column names
/// ("count", "writetime(v)", "system.token(k)") and its errors for unknown columns and
/// functions not allowed on a column.
Result<Selection> BuildSelection(const TableSchema& table, const SelectStatement& select);

}  // namespace cqlbulk::sim::internal
