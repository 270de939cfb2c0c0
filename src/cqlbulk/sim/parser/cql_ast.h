// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cqlbulk/sim/parser/cql_dml_ast.h"
#include "cqlbulk/sim/parser/cql_schema_ast.h"
#include "cqlbulk/sim/parser/cql_term.h"

/// The typed syntax tree of the CQL statements cqlsim understands. It is pure syntax:
/// names are normalised (unquoted identifiers lower-cased), types are CQL type text and
/// literals are source text with a LiteralKind, so the executor converts them once it
/// knows the receiving column's type. Nothing here refers to a schema.
namespace cqlbulk::sim {

/// \brief Any parsed statement. Visit with std::visit, or test with std::get_if.
using Statement =
    std::variant<SelectStatement, InsertStatement, UpdateStatement, DeleteStatement, BatchStatement,
                 UseStatement, CreateKeyspaceStatement, DropKeyspaceStatement, CreateTableStatement,
                 DropTableStatement, TruncateStatement, CreateTypeStatement, DropTypeStatement,
                 UnsupportedStatement>;

/// \brief A statement and its bind markers.
struct ParsedStatement {
  Statement statement;
  /// Every `?` / `:name` in order of appearance across the whole statement text (all
  /// statements of a BATCH, USING, LIMIT); Term::bind_index points here. The values of an
  /// EXECUTE or a QUERY with values bind to these positions.
  std::vector<BindMarker> bind_markers;
};

/// \brief Upper-case name of a statement's kind: "SELECT", "CREATE TABLE", "BATCH", ...
/// (for UnsupportedStatement its `kind`).
std::string_view StatementKindName(const Statement& statement);

/// \brief The name Cassandra gives a bind marker in PREPARED bind metadata: the marker's own
/// name for `:name`, else by role: the column ("v"), "in(c)", "partition key token",
/// "key(m)" (Cassandra says "idx(l)" for a list index: the caller knows the type),
/// "value(m)", "u.f", "(a,b)", "[limit]", "[per_partition_limit]", "[ttl]", "[timestamp]",
/// "[json]"; a nested or cast marker takes its column's name ("" when it has none).
std::string BindMarkerSpecName(const BindMarker& marker);

/// \brief Upper-case keyword of a relation operator ("=", "<=", "IN", "CONTAINS KEY").
std::string_view RelationOpName(RelationOp op);

}  // namespace cqlbulk::sim
