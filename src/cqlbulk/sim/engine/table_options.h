// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/sim/parser/cql_schema_ast.h"

namespace cqlbulk::sim {

/// \brief Table options as Cassandra 4.0 reports them for a table created without WITH
/// (system_schema.tables), each value as CQL literal text.
std::map<std::string, std::string> DefaultTableOptions();

/// \brief Applies CREATE TABLE's WITH properties over the defaults: class names qualified,
/// map options completed as Cassandra completes them. Fails with a syntax error for an
/// unknown property and a configuration error for a bad value. `id` is not an option: the
/// caller reads it.
Result<std::map<std::string, std::string>> BuildTableOptions(const std::vector<Property>& properties);

/// `{'a': 'b', ...}` with keys in order.
std::string MapLiteral(const std::map<std::string, std::string>& map);

/// A CQL string literal ('it''s').
std::string QuoteString(const std::string& s);

}  // namespace cqlbulk::sim
