// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/client/query_plan.h"

#include <algorithm>
#include <ranges>
#include <span>

namespace cqlbulk::client {

namespace {

/// Rotates the hosts of `plan` from `first` on by `rotation` (spreads the load over them).
void RotateFrom(QueryPlan& plan, size_t first, uint64_t rotation) {
  const size_t n = plan.size() - first;
  if (n > 1) {
    auto begin = plan.begin() + first;
    std::rotate(begin, begin + rotation % n, plan.end());
  }
}

bool IsLocal(const HostInfo& host, std::string_view local_dc) {
  return local_dc.empty() || host.datacenter == local_dc;
}

}  // namespace

ring::Token RoutingTokenOfRange(const ring::TokenRange& range) {
  return range.end().is_minimum() ? ring::Token::Max() : range.end();
}

QueryPlan MakeQueryPlan(const TopologySnapshot& topology, std::string_view local_dc,
                        const RoutingInfo& routing, uint64_t rotation) {
  // Local hosts, rotated, then remote ones, rotated; built in the one plan returned (a
  // request used to allocate three vectors).
  QueryPlan plan;
  auto add_up = [&](auto hosts, bool local) {
    const size_t first = plan.size();
    for (ring::HostIndex index : hosts) {
      const HostInfo& host = topology.host(index);
      if (host.is_up && IsLocal(host, local_dc) == local) plan.push_back(index);
    }
    RotateFrom(plan, first, rotation);
  };
  if (routing.token) {
    std::span<const ring::HostIndex> replicas = topology.Replicas(routing.keyspace, *routing.token);
    add_up(replicas, true);
    add_up(replicas, false);
    if (!plan.empty()) {
      return plan;
    }
  }
  auto all = std::views::iota(ring::HostIndex{0},
                              static_cast<ring::HostIndex>(topology.hosts().size()));
  add_up(all, true);
  add_up(all, false);
  return plan;
}

bool IsReplica(const TopologySnapshot& topology, const RoutingInfo& routing,
               ring::HostIndex host) {
  if (!routing.token) {
    return false;
  }
  auto replicas = topology.Replicas(routing.keyspace, *routing.token);
  return std::find(replicas.begin(), replicas.end(), host) != replicas.end();
}

}  // namespace cqlbulk::client
