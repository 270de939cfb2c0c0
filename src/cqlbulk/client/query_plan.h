// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
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

/// \brief The hosts one request tries, in order: a small vector that holds up to `kInline`
/// hosts in place (a replica set, or a small cluster, costs no allocation per request) and
/// moves to the heap beyond.
class QueryPlan {
 public:
  static constexpr size_t kInline = 8;

  QueryPlan() = default;
  QueryPlan(const QueryPlan& other) { *this = other; }
  QueryPlan& operator=(const QueryPlan& other) {
    if (this != &other) {
      heap_ = other.heap_;
      inline_ = other.inline_;
      size_ = other.size_;
    }
    return *this;
  }

  void push_back(ring::HostIndex host) {
    if (heap_.empty() && size_ < kInline) {
      inline_[size_++] = host;
      return;
    }
    if (heap_.empty()) heap_.assign(inline_.begin(), inline_.begin() + size_);
    heap_.push_back(host);
    ++size_;
  }
  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  ring::HostIndex* begin() noexcept { return heap_.empty() ? inline_.data() : heap_.data(); }
  ring::HostIndex* end() noexcept { return begin() + size_; }
  const ring::HostIndex* begin() const noexcept {
    return heap_.empty() ? inline_.data() : heap_.data();
  }
  const ring::HostIndex* end() const noexcept { return begin() + size_; }
  ring::HostIndex operator[](size_t i) const noexcept { return begin()[i]; }

 private:
  std::array<ring::HostIndex, kInline> inline_{};
  std::vector<ring::HostIndex> heap_;  ///< every host, once there are more than kInline
  size_t size_ = 0;
};

/// \brief The hosts to try for one request, in order (cpp-driver's token-aware + DC-aware
/// policies in one step).
///
/// With a token whose keyspace has replicas: the live replicas only, those in `local_dc`
/// first, each group rotated by `rotation` so that load spreads over the replicas. When no
/// replica is up, or without routing information: every live host, `local_dc` first, rotated.
/// Empty when no host is up. An empty `local_dc` makes every data center local.
QueryPlan MakeQueryPlan(const TopologySnapshot& topology, std::string_view local_dc,
                        const RoutingInfo& routing, uint64_t rotation);

/// True if the plan for `routing` would start at a replica of its token (tests, stats).
bool IsReplica(const TopologySnapshot& topology, const RoutingInfo& routing,
               ring::HostIndex host);

}  // namespace cqlbulk::client
