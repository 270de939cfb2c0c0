// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/sim/engine/executor_terms.h"
#include "cqlbulk/sim/engine/read_plan.h"
#include "cqlbulk/sim/model/schema.h"
#include "cqlbulk/sim/parser/cql_dml_ast.h"
#include "cqlbulk/sim/storage/storage.h"

/// The write path: INSERT, UPDATE and DELETE as mutations of one partition each.
namespace cqlbulk::sim::internal {

/// \brief One change to one column.
struct CellOp {
  enum class Kind : uint8_t {
    kSet,            ///< c = v (a null value deletes)
    kDelete,         ///< DELETE c
    kAdd,            ///< counter increment, list append, set/map union
    kSubtract,       ///< counter decrement, element / key removal
    kPrepend,        ///< l = v + l
    kSetElement,     ///< m[k] = v, l[i] = v (null removes)
    kDeleteElement,  ///< DELETE m[k], l[i]
    kSetField,       ///< u.f = v
    kDeleteField,    ///< DELETE u.f
  };
  Kind kind = Kind::kSet;
  uint32_t column = 0;
  TermValue value;
  Bytes key;          ///< element key / list index (int)
  std::string field;  ///< UDT field
};

/// \brief An IF condition, evaluated: `column[element] op values`.
struct Condition {
  uint32_t column = 0;
  RelationOp op = RelationOp::kEq;
  std::vector<std::optional<Bytes>> values;  ///< nullopt: null
  std::optional<Bytes> element;              ///< m[k] / l[i] conditions
  std::string field;                         ///< u.f conditions
};

/// \brief Everything one statement does to one partition.
struct Mutation {
  enum class Scope : uint8_t { kRow, kStatic, kPartition, kRange };
  std::shared_ptr<const TableSchema> table;
  PartitionKey key;
  Scope scope = Scope::kRow;
  Bytes clustering;                  ///< kRow: the encoded clustering key
  std::vector<Predicate> range;      ///< kRange: clustering predicates of the deleted rows
  bool write_marker = false;         ///< INSERT: primary key liveness
  bool delete_row = false;           ///< DELETE of the whole row (kRow) or partition
  std::vector<CellOp> ops;
  int64_t timestamp = 0;             ///< microseconds
  int32_t ttl = 0;                   ///< seconds; 0 none
  bool is_counter = false;
  // Lightweight transactions.
  bool if_not_exists = false;
  bool if_exists = false;
  std::vector<Condition> conditions;
  bool is_conditional() const noexcept { return if_not_exists || if_exists || !conditions.empty(); }
  size_t data_size() const;  ///< bytes of keys and values, for the batch size warning
};

/// \brief Turns a statement into mutations (several with IN), evaluating its terms.
/// `default_timestamp` is used without USING TIMESTAMP.
Result<std::vector<Mutation>> BuildMutations(const Schema& schema,
                                             const ModificationStatement& statement,
                                             const TermEnv& env, int64_t default_timestamp,
                                             bool batch_has_timestamp);

/// \brief Cassandra's refusals for a conditional statement (IF ...) on `table`, made when it
/// is prepared and again when it runs: no counter table, no USING TIMESTAMP.
Status CheckConditionalStatement(const TableSchema& table, const ModificationStatement& statement);
/// As above for a BATCH with a conditional statement: no USING TIMESTAMP on the batch.
Status CheckConditionalBatch(const BatchStatement& batch);

/// \brief Applies `m` to `store` (its mutex held exclusively). Fails (changing nothing
/// further) for a list index out of bounds.
Status ApplyMutation(TableStore& store, const Mutation& m, int64_t now_seconds);

/// \brief The current values of the row `m` touches, by column index (static columns from
/// the static row), and whether the row exists.
struct CurrentRow {
  bool exists = false;
  std::vector<std::optional<Bytes>> values;
};
CurrentRow ReadCurrentRow(const TableStore& store, const Mutation& m, int64_t now_seconds);

/// Whether the IF conditions of `m` hold on `row`.
bool ConditionsHold(const Mutation& m, const CurrentRow& row);

}  // namespace cqlbulk::sim::internal
