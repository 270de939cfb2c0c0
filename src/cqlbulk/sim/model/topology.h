// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/core/uuid.h"
#include "cqlbulk/ring/ring.h"
#include "cqlbulk/ring/token.h"

namespace cqlbulk::sim {

/// \brief One simulated node as system.local / system.peers describe it.
struct NodeInfo {
  std::string address;  ///< listen, broadcast and rpc address alike ("127.0.0.2")
  uint16_t native_port = 9042;
  std::string datacenter;
  std::string rack;
  Uuid host_id;
  std::vector<ring::Token> tokens;  ///< sorted
  bool is_up = true;
};

/// \brief The cluster as every node sees it: an immutable snapshot, replaced as a whole when a
/// node stops or starts (share it as TopologyPtr). Make it with MakeTopology.
struct Topology {
  std::string cluster_name = "cqlsim";
  std::string release_version = "4.0.11";
  std::string partitioner = "org.apache.cassandra.dht.Murmur3Partitioner";
  std::vector<NodeInfo> nodes;  ///< index = ring::HostIndex
  ring::Ring ring;              ///< hosts in the order of `nodes`

  size_t num_nodes() const noexcept { return nodes.size(); }
  bool is_up(ring::HostIndex node) const { return nodes.at(node).is_up; }
};

using TopologyPtr = std::shared_ptr<const Topology>;

/// \brief Builds the ring from the nodes' tokens. kInvalidArgument when a node has no token or
/// two nodes share one.
Result<TopologyPtr> MakeTopology(std::string cluster_name, std::vector<NodeInfo> nodes);

/// A copy of `topology` with node `node` marked up or down.
TopologyPtr WithNodeStatus(const Topology& topology, ring::HostIndex node, bool is_up);

}  // namespace cqlbulk::sim
