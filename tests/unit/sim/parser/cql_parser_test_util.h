// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/sim/parser/cql_parser.h"

namespace cqlbulk::sim::testing {

/// Parses `cql` and returns the statement if it is a T (an error naming the kind if not).
template <typename T>
Result<T> ParseAs(std::string_view cql) {
  CQLBULK_ASSIGN_OR_RETURN(ParsedStatement parsed, ParseStatement(cql));
  if (auto* statement = std::get_if<T>(&parsed.statement)) {
    return std::move(*statement);
  }
  return Internal("parsed as " + std::string(StatementKindName(parsed.statement)));
}

}  // namespace cqlbulk::sim::testing
