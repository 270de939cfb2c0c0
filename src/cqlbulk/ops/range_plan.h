// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>
#include <vector>

#include "cqlbulk/client/topology.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/ring/token_range.h"

namespace cqlbulk::ops {

/// \brief The token-range pieces a count or unload queries, and the most replicas any range
/// has (all data centers).
struct RangePlan {
  std::vector<ring::TokenRange> ranges;
  int replicas = 0;
};

/// \brief Splits the natural ranges of `keyspace` into about `splits` pieces (0: 128 per host;
/// never fewer than the natural ranges) in proportion to their size, none wrapping, and
/// orders them round-robin over replica sets so every host has work from the start. The
/// pieces are proven to cover the ring exactly once. kUnavailable for a keyspace without
/// replicated ranges (system and other local keyspaces).
Result<RangePlan> PlanRanges(const client::TopologySnapshot& topology, std::string_view keyspace,
                             int splits);

}  // namespace cqlbulk::ops
