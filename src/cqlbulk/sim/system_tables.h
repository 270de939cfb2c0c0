// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/value.h"
#include "cqlbulk/ring/ring.h"
#include "cqlbulk/sim/schema.h"
#include "cqlbulk/sim/topology.h"

namespace cqlbulk::sim {

/// \brief The read-only keyspaces Cassandra 4.0 has beside the user's: system, system_schema,
/// system_auth, system_distributed, system_traces, system_virtual_schema, system_views.
bool IsSystemKeyspace(std::string_view keyspace);

/// \brief The schema of the system keyspaces and of the tables cqlsim fills (system.local,
/// system.peers, system.peers_v2, system.size_estimates, system_schema.*,
/// system_virtual_schema.*), with Cassandra 4.0's column names and types. The same object on
/// every call.
const Schema& SystemSchema();

/// \brief The rows of a system table as node `coordinator` answers for it, each a Value per
/// column of `table` (in its column order; a null Value for no value), in the table's
/// clustering order within each partition. `user_schema` is described in system_schema.*
/// together with the system keyspaces themselves. Tables cqlsim does not fill have no rows.
Result<std::vector<std::vector<cql::Value>>> SystemTableRows(const TableSchema& table,
                                                             const Topology& topology,
                                                             const Schema& user_schema,
                                                             ring::HostIndex coordinator);

}  // namespace cqlbulk::sim
