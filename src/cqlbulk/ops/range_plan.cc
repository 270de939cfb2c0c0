// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/range_plan.h"

#include <algorithm>
#include <string>

#include "cqlbulk/ring/grouping.h"

namespace cqlbulk::ops {

Result<RangePlan> PlanRanges(const client::TopologySnapshot& topology, std::string_view keyspace,
                             int splits) {
  std::vector<ring::ReplicatedRange> natural = topology.ReplicatedRanges(keyspace);
  if (natural.empty()) {
    return Unavailable("keyspace " + std::string(keyspace) +
                       " has no replicated ranges (a keyspace local to each node, such as "
                       "system, cannot be read over the ring)");
  }
  size_t target = splits > 0 ? static_cast<size_t>(splits)
                             : 128 * std::max<size_t>(1, topology.hosts().size());
  std::vector<ring::ReplicatedRange> pieces =
      ring::SplitProportionally(ring::UnwrapAll(natural), target);
  std::vector<ring::ReplicaGroup> groups = ring::GroupByReplicaSet(pieces);
  RangePlan plan;
  for (size_t i = 0; plan.ranges.size() < pieces.size(); ++i) {
    for (const auto& g : groups) {
      if (i < g.ranges.size()) plan.ranges.push_back(g.ranges[i]);
    }
  }
  Status covered = ring::VerifyCoverage(plan.ranges);
  if (!covered.has_value()) return Unexpected(std::move(covered.error()).WithContext("range plan"));
  for (const auto& r : natural) {
    plan.replicas = std::max(plan.replicas, static_cast<int>(r.replicas.size()));
  }
  return plan;
}

}  // namespace cqlbulk::ops
