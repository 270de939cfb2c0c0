// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "cqlbulk/client/topology.h"
#include "cqlbulk/ring/ring.h"
#include "cqlbulk/ring/token.h"
#include "cqlbulk/ring/token_range.h"

namespace cqlbulk::client {

/// \brief Where a statement's data lives: a keyspace and, for token-aware routing, a token.
struct RoutingInfo {
  std::string_view keyspace;
  std::optional<ring::Token> token;
};

/// \brief The token that routes a range scan over (start, end]: every token of a range cut
/// from one natural range has the replicas of its end. An end at Min (no key's token) stands
/// for Max, the last token of the wrapped-around piece.
ring::Token RoutingTokenOfRange(const ring::TokenRange& range);

/// \brief The hosts to try for one request, in order (cpp-driver's token-aware + DC-aware
/// policies in one step).
///
/// With a token whose keyspace has replicas: the live replicas only, those in `local_dc`
/// first, each group rotated by `rotation` so that load spreads over the replicas. When no
/// replica is up, or without routing information: every live host, `local_dc` first, rotated.
/// Empty when no host is up. An empty `local_dc` makes every data center local.
std::vector<ring::HostIndex> MakeQueryPlan(const TopologySnapshot& topology,
                                           std::string_view local_dc, const RoutingInfo& routing,
                                           uint64_t rotation);

/// True if the plan for `routing` would start at a replica of its token (tests, stats).
bool IsReplica(const TopologySnapshot& topology, const RoutingInfo& routing,
               ring::HostIndex host);

}  // namespace cqlbulk::client
