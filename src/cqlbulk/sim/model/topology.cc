// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/model/topology.h"

#include "cqlbulk/core/macros.h"

namespace cqlbulk::sim {

Result<TopologyPtr> MakeTopology(std::string cluster_name, std::vector<NodeInfo> nodes) {
  std::vector<ring::Host> hosts;
  std::vector<ring::RingEntry> entries;
  for (ring::HostIndex i = 0; i < nodes.size(); ++i) {
    const NodeInfo& n = nodes[i];
    if (n.tokens.empty()) {
      return InvalidArgument("node " + n.address + " has no token");
    }
    hosts.push_back({n.address, n.datacenter, n.rack});
    for (ring::Token t : n.tokens) entries.push_back({t, i});
  }
  CQLBULK_ASSIGN_OR_RETURN(ring::Ring ring, ring::Ring::Make(std::move(hosts), std::move(entries)));
  return std::make_shared<const Topology>(Topology{.cluster_name = std::move(cluster_name),
                                                   .nodes = std::move(nodes),
                                                   .ring = std::move(ring)});
}

TopologyPtr WithNodeStatus(const Topology& topology, ring::HostIndex node, bool is_up) {
  auto copy = std::make_shared<Topology>(topology);
  copy->nodes.at(node).is_up = is_up;
  return copy;
}

}  // namespace cqlbulk::sim
