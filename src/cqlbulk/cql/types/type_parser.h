// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/types/data_type.h"

namespace cqlbulk::cql {

/// \brief Finds a user-defined type by keyspace (empty when the text did not name one) and
/// name (as written when quoted, lower-cased otherwise). Returns nullptr when unknown.
using UdtResolver = std::function<DataTypePtr(std::string_view keyspace, std::string_view name)>;

/// \brief Parses a CQL type as written in DDL and in system_schema.columns.type:
/// "int", "varchar" (= text), "frozen<map<text, frozen<list<int>>>>", "tuple<int, text>",
/// "vector<float, 3>", "udt_ab", "ks.\"MyType\"", "'org.apache.cassandra.db.marshal.X'".
///
/// Keywords are case-insensitive; whitespace between tokens is free. Applies Cassandra's
/// rules: frozen<> only on collections, tuples and UDTs; collections and UDTs inside a
/// collection must be frozen (inside a tuple or vector they are frozen implicitly); no
/// counters in collections; no durations as set elements or map keys; vector dimensions > 0.
/// A quoted custom class that names a known marshal class maps to that type. UDTs come from
/// `resolver` (a copy marked frozen when written frozen<...>).
///
/// Fails with kInvalidArgument naming the text, the position and the problem
/// ("invalid CQL type 'list<int' at position 8: expected '>'"), or kNotFound naming an
/// unknown UDT.
Result<DataTypePtr> ParseCqlType(std::string_view text, const UdtResolver& resolver = {});

}  // namespace cqlbulk::cql
