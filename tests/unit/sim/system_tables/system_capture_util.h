// SPDX-License-Identifier: Apache-2.0
// Test helper: the ROWS answers real Cassandra 4.0 gave for its system tables in the captures
// of ../shared/testdata, decoded from the .bin byte streams, and small schema builders.
#pragma once

#include <string>
#include <vector>

#include "cqlbulk/cql/protocol/result_metadata.h"
#include "cqlbulk/cql/types/value.h"
#include "cqlbulk/sim/model/schema.h"

namespace cqlbulk::sim::testing {

/// \brief One captured ROWS result of a system table.
struct CapturedRows {
  std::string capture;  ///< "v4", "v4_lz4", "v5", "v5_lz4"
  std::string role;     ///< "control" or "session"
  int frame_index = 0;  ///< the index's frame number
  std::string query;    ///< the request's query text, from the index
  std::string keyspace;
  std::string table;
  std::vector<cql::ColumnSpec> columns;
  std::vector<std::vector<cql::Value>> rows;

  std::string label() const;
  bool is_select_star() const;
  int ColumnIndex(const std::string& name) const;
};

/// Every ROWS answer on a system_* keyspace in the four captures (control and session
/// connections). Fails the current test on any decoding problem.
std::vector<CapturedRows> LoadCapturedSystemRows();

/// The first captured SELECT * answer for `keyspace.table` in capture `capture`, without a
/// WHERE clause unless `allow_where`.
const CapturedRows* FindSelectStar(const std::vector<CapturedRows>& all, const std::string& capture,
                                   const std::string& keyspace, const std::string& table,
                                   bool allow_where = false);

/// \brief A table whose columns are put in TableSchema's order (partition key by position,
/// clustering by position, then the rest by name) and counted.
TableSchema MakeTable(std::string keyspace, std::string name, std::vector<ColumnSchema> columns);

}  // namespace cqlbulk::sim::testing
