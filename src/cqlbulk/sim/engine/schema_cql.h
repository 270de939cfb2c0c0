// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/sim/model/schema.h"

namespace cqlbulk::sim {

/// \brief The DDL that recreates `schema`: keyspaces, then their types (dependencies first),
/// then tables (with their ids and options), one statement per element.
std::vector<std::string> SchemaToCql(const Schema& schema);

/// CREATE statements for one keyspace, type and table.
std::string KeyspaceToCql(const KeyspaceSchema& keyspace);
std::string TypeToCql(const UserTypeSchema& type);
std::string TableToCql(const TableSchema& table);

/// \brief Splits a script into statements at the ';' outside strings, quoted names and
/// comments; empty statements are dropped.
std::vector<std::string> SplitCqlScript(std::string_view script);

}  // namespace cqlbulk::sim
