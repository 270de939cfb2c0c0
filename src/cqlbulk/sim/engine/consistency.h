// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/cql/protocol/error_response.h"
#include "cqlbulk/cql/protocol/notation.h"
#include "cqlbulk/ring/replica_placement.h"
#include "cqlbulk/ring/replication.h"
#include "cqlbulk/ring/token.h"
#include "cqlbulk/sim/model/topology.h"

namespace cqlbulk::sim {

using ReplicaMap = std::vector<ring::ReplicaList>;  ///< element i: replicas of ring entry i

/// \brief PlaceReplicas per keyspace strategy and topology, computed once. Thread-safe.
class ReplicaCache {
 public:
  std::shared_ptr<const ReplicaMap> Get(const TopologyPtr& topology,
                                        const ring::ReplicationStrategy& strategy);

 private:
  struct Entry {
    TopologyPtr topology;
    std::string strategy;
    std::shared_ptr<const ReplicaMap> replicas;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

/// \brief The ring entries (natural ranges) a request touches.
struct Footprint {
  bool is_routed = false;     ///< one partition token or one token-range restriction
  std::vector<size_t> entries;  ///< ring entry indexes, without duplicates
};

/// Ring entry holding `token`.
size_t EntryOf(const Topology& topology, ring::Token token);
/// Entries whose natural ranges intersect the token interval from `low` to `high` (each
/// inclusive or not, Min as the open end); none when the interval is empty.
std::vector<size_t> EntriesOfInterval(const Topology& topology, ring::Token low,
                                      bool low_inclusive, ring::Token high, bool high_inclusive);

/// \brief Checks that enough replicas of every touched entry are up for `consistency`.
///
/// Returns the ERROR to answer: Unavailable (with required and alive as Cassandra counts them)
/// or Invalid for a level the operation cannot use (ANY for reads, SERIAL for plain writes).
std::optional<cql::ErrorResponse> CheckConsistency(
    const Topology& topology, const ring::ReplicationStrategy& strategy,
    const ReplicaMap& replicas, const std::vector<size_t>& entries,
    cql::Consistency consistency, bool is_write, ring::HostIndex coordinator);

/// Whether `node` is a replica of every entry in `entries`.
bool IsReplicaOfAll(const ReplicaMap& replicas, const std::vector<size_t>& entries,
                    ring::HostIndex node);

}  // namespace cqlbulk::sim
