// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include "cqlbulk/ring/replication.h"
#include "cqlbulk/ring/ring.h"
#include "cqlbulk/ring/token_range.h"

namespace cqlbulk::ring {

/// Replicas of a range in Cassandra's order: the primary (owner of the range end) first.
using ReplicaList = std::vector<HostIndex>;

/// \brief The replicas of every natural range of `ring`: element i is for ring.entries()[i].
///
/// Follows Cassandra 4.0, so the order matches `nodetool describering`:
/// - SimpleStrategy: walk clockwise from the range end, taking each host not yet taken, until
///   there are replication_factor of them (or no more hosts).
/// - NetworkTopologyStrategy: the same walk, shared by all data centers. Per data center a host
///   on a rack not yet used there is taken; a host on a used rack is taken only while the data
///   center still needs more replicas than it has unused racks (the first such hosts met win).
///   A data center stops at its factor or when it runs out of hosts; the walk stops when every
///   data center has stopped. The replica set equals that of Cassandra 3.x (distinct racks
///   first, then the skipped hosts in ring order); only the order of the rack repeats differs.
/// Hosts without tokens count for no data center. A factor of 0 gives empty lists.
template <typename T>
std::vector<ReplicaList> PlaceReplicas(const BasicRing<T>& ring,
                                       const ReplicationStrategy& strategy);

/// \brief A token range and the hosts that hold it.
template <typename T>
struct BasicReplicatedRange {
  BasicTokenRange<T> range;
  ReplicaList replicas;

  friend bool operator==(const BasicReplicatedRange&, const BasicReplicatedRange&) = default;
};

using ReplicatedRange = BasicReplicatedRange<Token>;
using BigTokenReplicatedRange = BasicReplicatedRange<BigToken>;

/// \brief The natural ranges of `ring` with their replicas, in entry order.
template <typename T>
std::vector<BasicReplicatedRange<T>> ReplicatedRanges(const BasicRing<T>& ring,
                                                      const ReplicationStrategy& strategy);

extern template std::vector<ReplicaList> PlaceReplicas(const Ring&, const ReplicationStrategy&);
extern template std::vector<ReplicaList> PlaceReplicas(const BigTokenRing&,
                                                       const ReplicationStrategy&);
extern template std::vector<ReplicatedRange> ReplicatedRanges(const Ring&,
                                                              const ReplicationStrategy&);
extern template std::vector<BigTokenReplicatedRange> ReplicatedRanges(const BigTokenRing&,
                                                                      const ReplicationStrategy&);

}  // namespace cqlbulk::ring
