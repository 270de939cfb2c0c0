// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/sim/parser/cql_ast.h"
#include "cqlbulk/sim/parser/cql_lexer.h"

namespace cqlbulk::sim {

/// \brief Limits that keep hostile input from exhausting the stack.
struct ParseOptions {
  /// Deepest nesting of terms, selectors and types (`[[[...]]]`, `f(f(...))`,
  /// `frozen<list<...>>`). Deeper input is a syntax error, never a crash.
  size_t max_nesting_depth = 64;
};

/// \brief Parses one CQL statement (an optional trailing ';' is allowed).
///
/// Errors are ErrorCode::kInvalidArgument with a message in Cassandra's form, naming the
/// line, column and offending token ("line 1:0 no viable alternative at input 'SELEC'
/// ([SELEC]...)", "line 1:14 mismatched input 'WHERE' expecting FROM"). Error::server_code()
/// is kCqlSyntaxErrorCode (0x2000) for syntax errors and kCqlInvalidCode (0x2200) for the
/// few checks Cassandra reports as invalid requests (column/value count mismatch in
/// INSERT, missing or repeated PRIMARY KEY, COMPACT STORAGE).
///
/// Statements recognised by their leading keywords that cqlsim does not support (ALTER,
/// CREATE INDEX, GRANT, ...) parse to UnsupportedStatement.
Result<ParsedStatement> ParseStatement(std::string_view text, const ParseOptions& options = {});

}  // namespace cqlbulk::sim
