// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/client/query_plan.h"

#include <algorithm>

namespace cqlbulk::client {

namespace {

void AppendRotated(std::vector<ring::HostIndex>& out, std::vector<ring::HostIndex>& group,
                   uint64_t rotation) {
  if (group.empty()) {
    return;
  }
  auto shift = static_cast<std::ptrdiff_t>(rotation % group.size());
  std::rotate(group.begin(), group.begin() + shift, group.end());
  out.insert(out.end(), group.begin(), group.end());
}

bool IsLocal(const HostInfo& host, std::string_view local_dc) {
  return local_dc.empty() || host.datacenter == local_dc;
}

}  // namespace

ring::Token RoutingTokenOfRange(const ring::TokenRange& range) {
  return range.end().is_minimum() ? ring::Token::Max() : range.end();
}

std::vector<ring::HostIndex> MakeQueryPlan(const TopologySnapshot& topology,
                                           std::string_view local_dc, const RoutingInfo& routing,
                                           uint64_t rotation) {
  std::vector<ring::HostIndex> plan;
  std::vector<ring::HostIndex> local;
  std::vector<ring::HostIndex> remote;
  if (routing.token) {
    for (ring::HostIndex replica : topology.Replicas(routing.keyspace, *routing.token)) {
      const HostInfo& host = topology.host(replica);
      if (host.is_up) {
        (IsLocal(host, local_dc) ? local : remote).push_back(replica);
      }
    }
    AppendRotated(plan, local, rotation);
    AppendRotated(plan, remote, rotation);
    if (!plan.empty()) {
      return plan;
    }
  }
  for (size_t i = 0; i < topology.hosts().size(); ++i) {
    const HostInfo& host = topology.hosts()[i];
    if (host.is_up) {
      (IsLocal(host, local_dc) ? local : remote).push_back(static_cast<ring::HostIndex>(i));
    }
  }
  AppendRotated(plan, local, rotation);
  AppendRotated(plan, remote, rotation);
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
