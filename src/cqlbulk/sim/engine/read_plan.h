// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/ring/token.h"
#include "cqlbulk/sim/engine/executor_terms.h"
#include "cqlbulk/sim/model/schema.h"
#include "cqlbulk/sim/parser/cql_dml_ast.h"
#include "cqlbulk/sim/storage/storage.h"

/// WHERE clauses: which partitions a statement touches and which rows match.
namespace cqlbulk::sim::internal {

/// \brief One relation, evaluated: `columns op values`.
struct Predicate {
  std::vector<int> columns;  ///< table column indexes (several for (a, b) relations)
  RelationOp op = RelationOp::kEq;
  /// One tuple of components (one per column) per value: one for = and slices, any number
  /// for IN.
  std::vector<std::vector<Bytes>> values;
};

/// Whether a row whose column values are `row` (by column index; nullopt for null) matches.
bool Matches(const Predicate& predicate, const TableSchema& table,
             std::span<const std::optional<BytesView>> row);

/// \brief What a WHERE clause selects.
struct ReadPlan {
  bool by_keys = false;                 ///< every partition key column restricted by = / IN
  /// Then these partitions (those within the token bounds, if any), unique, in the order of
  /// the partition key's type column by column (as Cassandra returns an IN's partitions).
  std::vector<PartitionKey> keys;
  std::vector<std::vector<Bytes>> key_components;  ///< parallel to keys: the column values
  bool has_token_bounds = false;
  bool has_low = false;
  bool has_high = false;
  ring::Token low = ring::Token::Min();  ///< Min: unbounded
  bool low_inclusive = false;
  ring::Token high = ring::Token::Min();  ///< Min: unbounded
  bool high_inclusive = true;
  bool is_empty = false;  ///< contradictory token bounds
  std::vector<Predicate> partition_predicates;   ///< partial key restrictions (filtering)
  std::vector<Predicate> clustering_predicates;
  std::vector<Predicate> row_predicates;         ///< static and regular columns
  /// Clustering columns restricted by = or IN from the first one on: values per column.
  std::vector<std::vector<Bytes>> clustering_eq;
  bool needs_filtering = false;
};

enum class WhereUse : uint8_t { kSelect, kUpdate, kDelete };

/// \brief Evaluates a WHERE clause. For kSelect, refuses filtering without ALLOW FILTERING
/// as Cassandra does; for UPDATE and DELETE, requires the whole partition key (and, for
/// UPDATE, the whole clustering key unless `static_only`).
Result<ReadPlan> PlanWhere(const TableSchema& table, const std::vector<Relation>& where,
                           const TermEnv& env, bool allow_filtering, WhereUse use,
                           bool static_only = false);

/// The partition key of serialized key column values (in key order): token and bytes.
Result<PartitionKey> MakePartitionKey(const std::vector<BytesView>& components);

/// \brief Walks the column values of a stored partition key (one column's value, or the
/// composite of several) without allocating.
class PartitionKeyReader {
 public:
  PartitionKeyReader(std::string_view key, size_t num_columns) noexcept
      : rest_(AsBytes(key)), is_composite_(num_columns > 1) {}
  /// The next column's value; empty past the last one.
  BytesView Next() noexcept;

 private:
  BytesView rest_;
  bool is_composite_;
};

/// Splits a stored partition key back into its column values.
std::vector<BytesView> SplitPartitionKey(std::string_view key, size_t num_columns);

/// The cartesian product of per-column value lists, in order.
std::vector<std::vector<BytesView>> Cartesian(const std::vector<std::vector<Bytes>>& lists);

}  // namespace cqlbulk::sim::internal
