// SPDX-License-Identifier: Apache-2.0
// system.size_estimates and system.table_estimates: per-table partition counts over the
// coordinator's primary ranges, as Cassandra 4.0's SizeEstimatesRecorder publishes them.
#include <optional>
#include <string>

#include "cqlbulk/ring/replica_placement.h"
#include "cqlbulk/ring/uint128.h"
#include "cqlbulk/sim/system_tables/system_tables_internal.h"

namespace cqlbulk::sim::internal {
namespace {

using ring::Token;
using ring::Uint128;

/// A range as the table shows it: (start, end], where an end of Token::Min() means "to the
/// end of the ring" (Cassandra's reading of a right bound at the minimum token).
struct EstimateRange {
  Token start;
  Token end;
};

/// Cassandra's Range.unwrap(): a range that wraps (start >= end, end not the minimum) becomes
/// (start, min] and (min, end]; any other range stays whole.
void AppendUnwrapped(const ring::TokenRange& range, std::vector<EstimateRange>& out) {
  if (range.start() >= range.end() && !range.end().is_minimum()) {
    out.push_back({range.start(), Token::Min()});
    out.push_back({Token::Min(), range.end()});
  } else {
    out.push_back({range.start(), range.end()});
  }
}

/// The coordinator's primary ranges for `strategy`: the natural ranges whose first replica
/// it is (StorageService.getPrimaryRanges), unwrapped.
std::vector<EstimateRange> PrimaryRanges(const Topology& topology,
                                         const ring::ReplicationStrategy& strategy,
                                         ring::HostIndex coordinator) {
  std::vector<EstimateRange> out;
  const std::vector<ring::ReplicaList> replicas = ring::PlaceReplicas(topology.ring, strategy);
  for (size_t i = 0; i < replicas.size(); ++i) {
    if (!replicas[i].empty() && replicas[i].front() == coordinator) {
      AppendUnwrapped(topology.ring.NaturalRange(i), out);
    }
  }
  return out;
}

/// The coordinator's ranges on the ring of its own data center alone
/// (StorageService.getLocalPrimaryRange), unwrapped.
std::vector<EstimateRange> LocalPrimaryRanges(const Topology& topology,
                                              ring::HostIndex coordinator) {
  const std::string& dc = topology.nodes.at(coordinator).datacenter;
  std::vector<Token> dc_tokens;
  std::vector<bool> owned;
  for (const ring::RingEntry& entry : topology.ring.entries()) {
    if (topology.nodes.at(entry.host).datacenter == dc) {
      dc_tokens.push_back(entry.token);
      owned.push_back(entry.host == coordinator);
    }
  }
  std::vector<EstimateRange> out;
  for (size_t i = 0; i < dc_tokens.size(); ++i) {
    if (owned[i]) {
      const Token previous = dc_tokens[i == 0 ? dc_tokens.size() - 1 : i - 1];
      AppendUnwrapped(ring::TokenRange(previous, dc_tokens[i]), out);
    }
  }
  return out;
}

/// floor(num_partitions * position / 2^64): the partitions before ring position `position`
/// when they are spread evenly. Exact in 128 bits (both factors are below 2^64).
Uint128 PartitionsBefore(int64_t num_partitions, Uint128 position) {
  return (static_cast<Uint128>(num_partitions) * position) >> 64;
}

int64_t PartitionsIn(int64_t num_partitions, const EstimateRange& range) {
  if (num_partitions <= 0) return 0;
  const Uint128 from = range.start.position();
  const Uint128 to = range.end.is_minimum() ? Token::kRingSize : range.end.position();
  return static_cast<int64_t>(PartitionsBefore(num_partitions, to) -
                              PartitionsBefore(num_partitions, from));
}

void AppendRows(const TableSchema& table, const TableSchema& source,
                const std::vector<EstimateRange>& ranges, const TableSizeEstimate& size,
                std::optional<std::string_view> range_type, Rows& rows) {
  for (const EstimateRange& range : ranges) {
    RowBuilder row(table);
    row.Set("keyspace_name", cql::Value::Text(source.keyspace))
        .Set("table_name", cql::Value::Text(source.name))
        .Set("range_start", cql::Value::Text(range.start.ToString()))
        .Set("range_end", cql::Value::Text(range.end.ToString()))
        .Set("partitions_count", cql::Value::Bigint(PartitionsIn(size.num_partitions, range)))
        .Set("mean_partition_size", cql::Value::Bigint(size.mean_partition_size_bytes));
    if (range_type.has_value()) row.Set("range_type", cql::Value::Text(std::string(*range_type)));
    rows.push_back(std::move(row).Build());
  }
}

}  // namespace

Rows SizeEstimateRows(const TableSchema& table, const Topology& topology, const Schema& user_schema,
                      ring::HostIndex coordinator, const SystemTableOptions& options,
                      bool table_estimates) {
  Rows rows;
  const std::vector<EstimateRange> local_primary =
      table_estimates ? LocalPrimaryRanges(topology, coordinator) : std::vector<EstimateRange>{};
  for (const KeyspaceSchema* ks : DescribedKeyspaces(user_schema)) {
    // Keyspace.nonLocalStrategy(): node-local keyspaces have no ranges.
    auto cls = ks->replication_options.find("class");
    if (cls != ks->replication_options.end() && cls->second.ends_with("LocalStrategy")) continue;
    const std::vector<EstimateRange> primary =
        PrimaryRanges(topology, ks->replication, coordinator);
    for (const auto& [name, source] : ks->tables) {
      std::optional<TableSizeEstimate> size;
      if (options.size_estimator) size = options.size_estimator(*source);
      const TableSizeEstimate estimate = size.value_or(TableSizeEstimate{});
      if (!table_estimates) {
        AppendRows(table, *source, primary, estimate, std::nullopt, rows);
        continue;
      }
      AppendRows(table, *source, primary, estimate, "primary", rows);
      AppendRows(table, *source, local_primary, estimate, "local_primary", rows);
    }
  }
  return rows;
}

}  // namespace cqlbulk::sim::internal
