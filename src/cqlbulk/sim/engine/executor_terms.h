// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/notation.h"
#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/cql/types/value.h"
#include "cqlbulk/sim/engine/engine_internal.h"
#include "cqlbulk/sim/parser/cql_ast.h"

/// Terms (literals, bind markers, function calls, collection literals) as serialized values.
namespace cqlbulk::sim::internal {

/// \brief A term's value: serialized bytes, null, or unset (a bound value of length -2).
struct TermValue {
  enum class Kind : uint8_t { kValue, kNull, kUnset };
  Kind kind = Kind::kNull;
  Bytes bytes;

  bool is_value() const noexcept { return kind == Kind::kValue; }
  bool is_null() const noexcept { return kind == Kind::kNull; }
  bool is_unset() const noexcept { return kind == Kind::kUnset; }
};

/// \brief What terms are evaluated against.
struct TermEnv {
  std::span<const cql::BoundValue* const> bound;  ///< by marker index
  EngineCore* core = nullptr;
  const Schema* schema = nullptr;  ///< for UDTs named in casts
  std::string keyspace;
};

/// \brief What becomes of a bound list, set or map (at any depth but in tuples and UDTs).
enum class BoundCollections : uint8_t {
  kSorted,  ///< rebuilt as Cassandra stores them for most receivers: sets and maps sorted and
            ///< de-duplicated, IPv4-mapped inet elements as 4-byte IPv4 addresses
  kAsSent,  ///< kept as sent: Cassandra's receiver for a DESC clustering column is a
            ///< ReversedType, not a collection type, so its marker takes the bytes unchanged
};

/// The form of bound values for `column`: kAsSent for a DESC clustering column.
inline BoundCollections BoundCollectionsFor(const ColumnSchema& column) {
  return column.is_descending ? BoundCollections::kAsSent : BoundCollections::kSorted;
}

/// \brief Evaluates `term` as a `type` value for the receiver named `receiver` (a column:
/// error messages name it). Bound values are validated against `type`, and their sets and
/// maps normalised as `bound` says.
Result<TermValue> EvalTerm(const Term& term, const cql::DataType& type, std::string_view receiver,
                           const TermEnv& env,
                           BoundCollections bound = BoundCollections::kSorted);

/// As EvalTerm, decoded; null gives Value::Null(), unset an error.
Result<cql::Value> EvalTermValue(const Term& term, const cql::DataType& type,
                                 std::string_view receiver, const TermEnv& env);

/// \brief An int (LIMIT, TTL) or bigint (TIMESTAMP) term; nullopt when unset.
/// Null is refused ("Invalid null value of limit").
Result<std::optional<int64_t>> EvalInteger(const Term& term, bool is_bigint,
                                           std::string_view what, const TermEnv& env);

/// \brief The values of `c IN (...)` / `c IN ?` (element type `type`); IN ? with null is
/// refused, unset elements are an error. `bound` applies to the markers of an IN list.
Result<std::vector<Bytes>> EvalInValues(const Relation& relation, const cql::DataType& type,
                                        std::string_view receiver, const TermEnv& env,
                                        BoundCollections bound = BoundCollections::kSorted);

/// The Cassandra message for bound bytes that are not a valid `type` value, or nullopt.
std::optional<std::string> ValidateSerialized(const cql::DataType& type, BytesView bytes);

/// The Murmur3 token of a serialized bigint term value.
Result<int64_t> DecodeTokenValue(const TermValue& value);

}  // namespace cqlbulk::sim::internal
